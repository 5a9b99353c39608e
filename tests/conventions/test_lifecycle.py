"""The life of a sent convention, through its services (issue 10)."""

from datetime import date, timedelta

import pytest
from django.tasks import default_task_backend
from django.utils import timezone
from django.utils.html import escape

from immersio.conventions import content, lifecycle, selectors, services
from immersio.conventions.models import (
    ConventionEvent,
    ConventionVersion,
    Signature,
    SignatureReminder,
)
from immersio.conventions.services import ConventionError
from immersio.conventions.transitions import Action, Role, Status
from immersio.core.actors import AUTOMATIC, COMMAND, TASK
from immersio.core.dates import add_working_days
from immersio.notifications.models import OutboundEmail, OutboundSms
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.builders import valid_convention
from tests.conventions.lifecycle_helpers import last_code_for, sent_convention, sign, sign_all

pytestmark = pytest.mark.django_db


def kinds_to(address: str) -> list[str]:
    return list(
        OutboundEmail.objects.filter(recipient=address)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


# --- submission -----------------------------------------------------------------------------


def test_submission_makes_version_one_asks_each_signatory_and_tells_the_agency():
    sent = sent_convention()
    convention = sent.convention
    assert convention.status == Status.TO_SIGN
    assert convention.reference == f"IMM-{timezone.localdate().year}-{convention.pk:06d}"
    version = ConventionVersion.objects.get(convention=convention)
    assert (version.number, version.substance) == (1, True)
    assert version.sha256 == content.digest(content.canonical(convention))
    assert len(version.sha256) == 64
    roles = set(convention.signatories.values_list("role", flat=True))
    assert roles == {Role.BENEFICIARY, Role.HOST_REPRESENTATIVE}
    assert kinds_to("camille@exemple.fr") == ["convention_signature_request"]
    assert kinds_to("direction@exemple.com") == ["convention_signature_request"]
    assert kinds_to(sent.counsellor.email) == ["convention_submitted_agency"]
    assert kinds_to(sent.validator.email) == ["convention_submitted_agency"]
    event = convention.events.get()
    assert (event.action, event.from_status, event.to_status) == (
        "envoyer",
        Status.DRAFT,
        Status.TO_SIGN,
    )
    assert (event.version, event.content_sha256) == (1, version.sha256)


def test_a_minor_legal_representative_and_a_current_employer_sign_too():
    convention = valid_convention(
        beneficiary_birth_date=timezone.localdate() - timedelta(days=16 * 365 + 30),
        legal_rep_first_name="Jo",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.fr",
        legal_rep_relationship="mère",
        is_employee=True,
        employer_name="Boulangerie Dupain",
        employer_siret="73282932000074",
        employer_rep_name="Michel Dupain",
        employer_rep_email="employeur@exemple.fr",
        weekly_pattern={str(d): [["08:00", "12:00"], ["13:00", "16:00"]] for d in range(5)},
    )
    lifecycle.submit(convention=convention, actor=COMMAND)
    roles = set(convention.signatories.values_list("role", flat=True))
    assert roles == {
        Role.BENEFICIARY,
        Role.LEGAL_REPRESENTATIVE,
        Role.CURRENT_EMPLOYER,
        Role.HOST_REPRESENTATIVE,
    }


def test_minor_today_but_of_age_at_the_start_needs_the_legal_representative():
    start = timezone.localdate() + timedelta(days=20)
    birth = date(start.year - 18, start.month, start.day) - timedelta(days=3)  # 18 at the start
    convention = valid_convention(beneficiary_birth_date=birth)
    with pytest.raises(ConventionError) as refused:
        lifecycle.submit(convention=convention, actor=COMMAND)
    codes = [v.code for v in refused.value.violations]
    assert "legal_representative_required" in codes


def test_a_phone_shared_by_two_signatories_is_refused():
    convention = valid_convention(beneficiary_phone="06 12 34 56 78", host_rep_phone="0612345678")
    with pytest.raises(ConventionError) as refused:
        lifecycle.submit(convention=convention, actor=COMMAND)
    assert [v.code for v in refused.value.violations] == ["phone_not_distinct"]
    assert refused.value.violations[0].field == "signatories.representant_structure.phone"


def test_a_stranger_cannot_submit():
    convention = valid_convention()
    with pytest.raises(Exception) as refused:
        lifecycle.submit(convention=convention, actor=UserFactory())
    assert type(refused.value).__name__ == "PermissionDenied"


# --- signatures -----------------------------------------------------------------------------


def test_signing_records_the_evidence_and_the_last_signature_puts_it_in_review():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    first = sign(beneficiary, ip="203.0.113.9")
    assert first.status == Status.PARTIALLY_SIGNED
    signature = first.signature
    assert signature.method == Signature.Method.EMAIL_CODE
    assert signature.ip_address == "203.0.113.9"
    assert signature.user_agent == "Mozilla/5.0 (test)"
    assert signature.code_sent_to == "c•••@exemple.fr"
    assert signature.content_sha256 == sent.convention.versions.get().sha256
    second = sign(sent.signatory(Role.HOST_REPRESENTATIVE))
    assert second.completed and second.status == Status.IN_REVIEW
    assert kinds_to(sent.validator.email)[-1] == "convention_all_signed"
    actions = list(sent.convention.events.values_list("action", flat=True))
    assert actions == ["envoyer", "signer", "signer", "terminer_signatures"]


def test_signing_twice_changes_nothing():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    sign(beneficiary)
    again = lifecycle.sign(
        signatory=beneficiary,
        version=1,
        code="000000",
        confirmed=True,
        ip="",
        user_agent="",
        actor=AUTOMATIC,
    )
    assert again.already
    assert Signature.objects.count() == 1
    assert sent.convention.events.filter(action="signer").count() == 1


def test_without_the_confirmation_box_nothing_is_signed():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    with pytest.raises(lifecycle.SignatureError) as refused:
        lifecycle.sign(
            signatory=beneficiary,
            version=1,
            code=last_code_for(beneficiary),
            confirmed=False,
            ip="",
            user_agent="",
            actor=AUTOMATIC,
        )
    assert refused.value.code == "not_confirmed"
    assert not Signature.objects.exists()


def test_a_wrong_code_signs_nothing_and_five_kill_the_code():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    right = last_code_for(beneficiary)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(lifecycle.SignatureError) as refused:
            lifecycle.sign(
                signatory=beneficiary,
                version=1,
                code=wrong,
                confirmed=True,
                ip="",
                user_agent="",
                actor=AUTOMATIC,
            )
        messages.append(refused.value.message)
    assert messages[0] == "Ce code n'est pas le bon. Il vous reste 4 essais."
    assert messages[3] == "Ce code n'est pas le bon. Il vous reste 1 essai."
    assert messages[4].startswith("Trop d'essais")
    with pytest.raises(lifecycle.SignatureError):
        lifecycle.sign(
            signatory=beneficiary,
            version=1,
            code=right,
            confirmed=True,
            ip="",
            user_agent="",
            actor=AUTOMATIC,
        )
    assert not Signature.objects.exists()


def test_an_expired_code_does_not_sign(time_machine):
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    code = last_code_for(beneficiary)
    time_machine.move_to(timezone.now() + timedelta(minutes=11))
    with pytest.raises(lifecycle.SignatureError) as refused:
        lifecycle.sign(
            signatory=beneficiary,
            version=1,
            code=code,
            confirmed=True,
            ip="",
            user_agent="",
            actor=AUTOMATIC,
        )
    assert refused.value.code == "expired_code"


def test_a_signatory_without_e_mail_signs_with_a_code_by_sms():
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    host.email = ""
    host.phone = "07 00 11 22 33"
    host.save()
    result = sign(host, channel="sms")
    assert result.signature.method == Signature.Method.SMS_CODE
    assert result.signature.code_sent_to == "07 •• •• •• 33"
    assert OutboundSms.objects.filter(to="+33700112233", kind="convention_signature_code").exists()


def test_codes_per_signatory_are_limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signature_code_per_signatory": (2, 3600)}
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    for _ in range(2):
        lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    with pytest.raises(lifecycle.SignatureError) as refused:
        lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    assert refused.value.code == "rate_limited"


def test_a_link_to_an_older_version_cannot_sign():
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    lifecycle.correct(
        convention=sent.convention,
        data={"tutor_email": "autre.tuteur@exemple.com"},
        reason="Adresse mal saisie.",
        actor=sent.counsellor,
    )
    with pytest.raises(lifecycle.SignatureError) as refused:
        lifecycle.send_code(signatory=beneficiary, version=1, actor=AUTOMATIC)
    assert refused.value.code == "old_version"


def test_the_legal_representative_is_not_needed_once_the_beneficiary_signs_of_age():
    birth = timezone.localdate() - timedelta(days=18 * 365 + 10)
    sent = sent_convention(
        beneficiary_birth_date=birth,
        legal_rep_first_name="Jo",
        legal_rep_last_name="Durand",
        legal_rep_email="parent@exemple.fr",
    )
    roles = {s.role for s in selectors.required_signatories(sent.convention)}
    assert Role.LEGAL_REPRESENTATIVE not in roles


# --- the agency ------------------------------------------------------------------------------


def test_counsellor_pre_validates_validator_validates_and_everyone_is_told():
    sent = sent_convention()
    sign_all(sent)
    with pytest.raises(ConventionError):
        lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.counsellor)
    lifecycle.decide(convention=sent.convention, action=Action.PRE_VALIDATE, actor=sent.counsellor)
    assert sent.refresh().status == Status.PRE_VALIDATED
    decision = lifecycle.decide(
        convention=sent.convention, action=Action.VALIDATE, actor=sent.validator
    )
    convention = sent.refresh()
    assert convention.status == Status.VALIDATED
    assert convention.validator_name == "Victor Valide"
    assert decision.event.role == Role.VALIDATOR
    assert decision.event.content_sha256 == convention.versions.get().sha256
    for address in ("camille@exemple.fr", "direction@exemple.com", "tuteur@exemple.com"):
        assert kinds_to(address)[-1] == "convention_validated"
    validated = OutboundEmail.objects.filter(
        recipient="camille@exemple.fr", kind="convention_validated"
    ).get()
    assert "/conventions/signer/?jeton=" in validated.text_body
    # The tutor signs nothing, so has no link: the e-mail says who holds the PDF.
    to_tutor = OutboundEmail.objects.get(
        recipient="tuteur@exemple.com", kind="convention_validated"
    )
    host = convention.signatories.get(role=Role.HOST_REPRESENTATIVE)
    assert "jeton=" not in to_tutor.text_body
    said = f"{host.name}, qui a signé la convention pour {convention.host_name}"
    assert said in to_tutor.text_body
    assert escape(said) in to_tutor.html_body


def test_validation_queues_the_pdf_after_commit(django_capture_on_commit_callbacks):
    sent = sent_convention()
    sign_all(sent)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)
    queued = [r for r in default_task_backend.results if r.task.name == "render_pdf"]
    assert len(queued) == 1


def test_a_refusal_needs_a_reason_and_forbidden_moves_change_nothing():
    sent = sent_convention()
    with pytest.raises(ConventionError) as refused:
        lifecycle.decide(
            convention=sent.convention, action=Action.REFUSE, reason=" ", actor=sent.validator
        )
    assert "motif" in refused.value.message
    lifecycle.decide(
        convention=sent.convention,
        action=Action.REFUSE,
        reason="Projet à retravailler.",
        actor=sent.validator,
    )
    with pytest.raises(ConventionError) as refused:
        lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)
    assert refused.value.message.startswith("Cette convention a été refusée.")
    with pytest.raises(ConventionError) as refused:
        sign(sent.signatory(Role.BENEFICIARY))
    assert "« signer » n'est plus possible" in refused.value.message
    assert sent.refresh().status == Status.REFUSED


def test_no_validation_after_the_first_day_no_cancellation_from_it():
    sent = sent_convention()
    sign_all(sent)
    start = sent.convention.date_start
    with pytest.raises(ConventionError) as refused:
        lifecycle.decide(
            convention=sent.convention,
            action=Action.VALIDATE,
            actor=sent.validator,
            today=start + timedelta(days=1),
        )
    assert "ne se valide pas après son premier jour" in refused.value.message
    lifecycle.decide(
        convention=sent.convention, action=Action.VALIDATE, actor=sent.validator, today=start
    )
    with pytest.raises(ConventionError):
        lifecycle.decide(
            convention=sent.convention,
            action=Action.CANCEL,
            reason="Trop tard.",
            actor=sent.validator,
            today=start,
        )
    lifecycle.decide(
        convention=sent.convention,
        action=Action.CANCEL,
        reason="Emploi trouvé.",
        actor=sent.validator,
        today=start - timedelta(days=1),
    )
    assert sent.refresh().status == Status.CANCELLED


def test_a_decision_on_what_the_person_did_not_see_is_refused():
    sent = sent_convention()
    sign_all(sent)
    with pytest.raises(lifecycle.StaleConvention):
        lifecycle.decide(
            convention=sent.convention,
            action=Action.VALIDATE,
            actor=sent.validator,
            version=1,
            status=Status.PARTIALLY_SIGNED,
        )
    assert sent.refresh().status == Status.IN_REVIEW


# --- changes ---------------------------------------------------------------------------------


def test_a_change_of_substance_resets_the_signatures_and_the_author_counts_as_signed():
    sent = sent_convention()
    sign_all(sent)
    author = UserFactory(email="camille@exemple.fr")
    sent.convention.participants.add(author)
    lifecycle.decide(
        convention=sent.convention,
        action=Action.REOPEN,
        reason="La structure ferme la première semaine.",
        actor=sent.counsellor,
    )
    convention = sent.refresh()
    assert convention.status == Status.DRAFT
    convention.date_start += timedelta(days=7)
    convention.date_end += timedelta(days=7)
    convention.save()
    OutboundEmail.objects.all().delete()
    lifecycle.submit(convention=convention, actor=author, ip="192.0.2.1", user_agent="UA")
    convention = sent.refresh()
    assert (convention.version, convention.substance_version) == (2, 2)
    assert convention.status == Status.PARTIALLY_SIGNED  # the author's counts
    current = selectors.signed_by(convention)
    assert [s.signatory.role for s in current.values()] == [Role.BENEFICIARY]
    assert current[sent.signatory(Role.BENEFICIARY).pk].method == Signature.Method.AUTHOR
    request = OutboundEmail.objects.get(
        recipient="direction@exemple.com", kind="convention_signature_request"
    )
    assert "Date de début" in request.text_body
    assert "La structure ferme la première semaine." in request.text_body
    assert kinds_to("camille@exemple.fr") == []  # already signed this version


def test_a_correction_of_contact_details_keeps_the_signatures():
    sent = sent_convention()
    sign(sent.signatory(Role.BENEFICIARY))
    found = lifecycle.correct(
        convention=sent.convention,
        data={"host_rep_email": "gerance@exemple.com", "beneficiary_last_name": "Durant"},
        reason="Coquilles.",
        actor=sent.counsellor,
    )
    assert {c.key for c in found} == {"host.rep_email", "beneficiary.last_name"}
    convention = sent.refresh()
    assert (convention.version, convention.substance_version) == (2, 1)
    assert convention.status == Status.PARTIALLY_SIGNED
    assert sent.signatory(Role.BENEFICIARY).pk in selectors.signed_by(convention)
    assert sent.signatory(Role.HOST_REPRESENTATIVE).email == "gerance@exemple.com"
    assert kinds_to("gerance@exemple.com") == ["convention_corrected"]


def test_another_person_is_not_a_correction():
    sent = sent_convention()
    with pytest.raises(ConventionError) as refused:
        lifecycle.correct(
            convention=sent.convention,
            data={"tutor_name": "Dominique Lefebvre"},
            reason="Autre tuteur.",
            actor=sent.counsellor,
        )
    assert "changement de fond" in refused.value.message
    assert sent.refresh().version == 1


def test_transfer_makes_a_new_version_to_confirm_and_tells_the_new_agency():
    sent = sent_convention()
    sign_all(sent)
    other_validator = UserFactory()
    other = AgencyFactory(validator=other_validator)
    lifecycle.transfer(
        convention=sent.convention,
        agency=other,
        reason="Suivi par une autre agence.",
        actor=sent.counsellor,
    )
    convention = sent.refresh()
    assert convention.agency == other
    assert (convention.status, convention.version, convention.substance_version) == (
        Status.TO_SIGN,
        2,
        2,
    )
    assert selectors.signed_by(convention) == {}
    assert kinds_to(other_validator.email) == ["convention_transferred"]


def test_declining_and_asking_for_a_change_are_told_and_change_no_status():
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    lifecycle.decline(
        signatory=host, version=1, reason="Pas de tuteur ce mois-ci.", actor=AUTOMATIC
    )
    lifecycle.request_change(
        convention=sent.convention,
        signatory=sent.signatory(Role.BENEFICIARY),
        version=1,
        reason="Commencer à 9 h.",
        actor=AUTOMATIC,
    )
    assert sent.refresh().status == Status.TO_SIGN
    host.refresh_from_db()
    assert host.decline_reason == "Pas de tuteur ce mois-ci."
    assert kinds_to(sent.validator.email).count("convention_request") == 2
    with pytest.raises(ConventionError):
        lifecycle.decline(signatory=host, version=1, reason="", actor=AUTOMATIC)


def test_the_agency_resends_a_link_at_most_once_a_day(time_machine):
    sent = sent_convention()
    beneficiary = sent.signatory(Role.BENEFICIARY)
    with pytest.raises(ConventionError) as refused:
        lifecycle.resend_link(signatory=beneficiary, actor=sent.counsellor)
    assert "moins de 24 heures" in refused.value.message
    time_machine.move_to(timezone.now() + timedelta(hours=24, minutes=1))
    lifecycle.resend_link(signatory=beneficiary, actor=sent.counsellor)
    beneficiary.refresh_from_db()
    assert beneficiary.links_sent == 2
    with pytest.raises(Exception) as refused:
        lifecycle.resend_link(signatory=beneficiary, actor=UserFactory())
    assert type(refused.value).__name__ == "PermissionDenied"


def test_a_paper_signature_is_recorded_as_such():
    sent = sent_convention()
    host = sent.signatory(Role.HOST_REPRESENTATIVE)
    signature = lifecycle.record_paper_signature(
        signatory=host, version=1, scan=b"%PDF-1.4 scan", filename="scan.pdf", actor=sent.counsellor
    )
    assert signature.method == Signature.Method.PAPER
    assert signature.recorded_by == sent.counsellor
    assert len(signature.scan_sha256) == 64
    with signature.scan.open("rb") as scan:
        assert scan.read() == b"%PDF-1.4 scan"


# --- the nightly jobs ------------------------------------------------------------------------


def test_not_validated_a_month_after_the_start_becomes_obsolete():
    sent = sent_convention()
    start = sent.convention.date_start
    from immersio.conventions.transitions import obsolete_after

    report = lifecycle.make_obsolete_overdue(
        actor=TASK, today=obsolete_after(start) - timedelta(days=1)
    )
    assert report.count == 0
    report = lifecycle.make_obsolete_overdue(actor=TASK, today=obsolete_after(start))
    assert report.references == (sent.convention.reference,)
    assert sent.refresh().status == Status.OBSOLETE
    event = ConventionEvent.objects.filter(action="rendre_obsolete").get()
    assert event.role == Role.SYSTEM and "un mois après" in event.reason
    assert kinds_to("camille@exemple.fr")[-1] == "convention_obsolete"


def test_reminders_three_and_one_working_days_before_once_each_and_their_effect():
    sent = sent_convention()
    sign(sent.signatory(Role.HOST_REPRESENTATIVE))
    start = sent.convention.date_start
    three_before = add_working_days(start, -3)
    first = lifecycle.send_signature_reminders(actor=TASK, today=three_before)
    again = lifecycle.send_signature_reminders(actor=TASK, today=three_before)
    assert (first.count, again.count) == (1, 0)
    assert kinds_to("camille@exemple.fr")[-1] == "convention_signature_reminder"
    assert kinds_to("direction@exemple.com").count("convention_signature_reminder") == 0
    lifecycle.send_signature_reminders(actor=TASK, today=add_working_days(start, -1))
    assert SignatureReminder.objects.count() == 2
    sign(sent.signatory(Role.BENEFICIARY))
    effect = selectors.reminder_effect()
    assert effect == {3: {"sent": 1, "acted": 1}, 1: {"sent": 1, "acted": 1}}


def test_jobs_refuse_a_person():
    with pytest.raises(Exception) as refused:
        lifecycle.make_obsolete_overdue(actor=UserFactory(is_staff=True))
    assert type(refused.value).__name__ == "PermissionDenied"
    lifecycle.make_obsolete_overdue(actor=COMMAND)


# --- the content ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "fix"),
    [
        ("Durand", "Durant", True),
        ("Hélène", "Helene", True),
        ("Jean-Pierre", "Jean Pierre", True),
        ("Martin", "Bernard", False),
        ("Lou", "Léa", False),  # too short to tell a typo from another name
        ("", "Durand", False),
    ],
)
def test_what_counts_as_a_spelling_fix(before, after, fix):
    assert content.is_spelling_fix(before, after) is fix


def test_the_hash_is_of_a_canonical_document():
    convention = valid_convention()
    document = content.canonical(convention)
    assert content.digest(document) == content.digest(dict(reversed(list(document.items()))))
    convention.tasks += " Vente."
    assert content.digest(content.canonical(convention)) != content.digest(document)


def test_a_beneficiary_without_e_mail_gets_the_link_and_the_code_by_sms():
    sent = sent_convention(beneficiary_email="", beneficiary_phone="06 98 76 54 32")
    beneficiary = sent.signatory(Role.BENEFICIARY)
    assert beneficiary.email == ""
    link_sms = OutboundSms.objects.get(kind="convention_signature_request")
    assert link_sms.to == "+33698765432"
    assert "/conventions/signer/?jeton=" in link_sms.body
    result = sign(beneficiary)
    assert result.signature.method == Signature.Method.SMS_CODE


def test_without_e_mail_nor_mobile_the_beneficiary_cannot_be_asked_to_sign():
    convention = valid_convention(beneficiary_email="", beneficiary_phone="04 78 00 00 00")
    with pytest.raises(ConventionError) as refused:
        lifecycle.submit(convention=convention, actor=COMMAND)
    assert "signatories.beneficiary.email" in {v.field for v in refused.value.violations}


def test_a_public_employer_adds_a_second_host_signatory_who_must_sign_too():
    sent = sent_convention()
    sign(sent.signatory(Role.BENEFICIARY))
    sign(sent.signatory(Role.HOST_REPRESENTATIVE))
    assert sent.refresh().status == Status.IN_REVIEW
    sent2 = sent_convention(beneficiary_email="dana@exemple.fr", host_rep_email="maire@exemple.fr")
    with pytest.raises(ConventionError) as refused:
        lifecycle.add_host_signatory(
            convention=sent2.convention,
            name="Directrice générale",
            email="maire@exemple.fr",
            phone="",
            actor=sent2.counsellor,
        )
    assert "déjà celles" in refused.value.message
    second = lifecycle.add_host_signatory(
        convention=sent2.convention,
        name="Dominique Directrice",
        email="dgs@exemple.fr",
        phone="",
        actor=sent2.counsellor,
    )
    assert kinds_to("dgs@exemple.fr") == ["convention_signature_request"]
    sign(sent2.signatory(Role.BENEFICIARY))
    sign(sent2.signatory(Role.HOST_REPRESENTATIVE))
    assert sent2.refresh().status == Status.PARTIALLY_SIGNED  # the second one is awaited
    sign(second)
    assert sent2.refresh().status == Status.IN_REVIEW


@pytest.mark.parametrize("signed", [0, 1, 2])
def test_a_convention_counts_in_the_history_whatever_its_progress(signed):
    """The 12-month limits and the duplicate warning see every live convention, signed or
    not, validated or not (not only those just sent)."""
    sent = sent_convention()
    for role in (Role.BENEFICIARY, Role.HOST_REPRESENTATIVE)[:signed]:
        sign(sent.signatory(role))
    first = sent.refresh()
    second = valid_convention(
        structure=first.structure,
        date_start=first.date_start + timedelta(days=7),
        date_end=first.date_end + timedelta(days=7),
    )
    data = services.to_rule_data(second)
    assert [c.date_start for c in data.previous_conventions] == [first.date_start]
    assert [d.reference for d in data.potential_duplicates] == [first.reference]


def test_an_amendment_is_signed_and_validated_again_the_original_staying_in_force():
    sent = sent_convention()
    sign_all(sent)
    lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)
    with pytest.raises(ConventionError):
        lifecycle.start_amendment(convention=sent.convention, reason="", actor=sent.validator)
    amendment = lifecycle.start_amendment(
        convention=sent.convention, reason="Le tuteur change.", actor=sent.counsellor
    )
    assert amendment.status == Status.DRAFT and amendment.amends == sent.convention
    assert amendment.tasks == sent.convention.tasks
    with pytest.raises(ConventionError) as refused:
        lifecycle.start_amendment(
            convention=sent.convention, reason="Encore.", actor=sent.counsellor
        )
    assert "déjà en cours" in refused.value.message
    amendment.tutor_name = "Dominique Lefebvre"
    amendment.tutor_email = "dominique@exemple.com"
    amendment.save()
    OutboundEmail.objects.all().delete()
    lifecycle.submit(convention=amendment, actor=sent.counsellor)
    amendment.refresh_from_db()
    request = OutboundEmail.objects.filter(
        recipient="camille@exemple.fr", kind="convention_signature_request"
    ).get()
    assert request.subject.startswith(f"Avenant {amendment.reference} à la convention")
    original = sent.refresh()
    assert original.status == Status.VALIDATED and original.replaced_at is None
    for signatory in selectors.required_signatories(amendment):
        sign(signatory)
    lifecycle.decide(convention=amendment, action=Action.VALIDATE, actor=sent.validator)
    original = sent.refresh()
    assert original.replaced_at is not None
    # The amendment replaces the original in the history of later conventions.
    later = valid_convention(
        structure=original.structure,
        date_start=original.date_start + timedelta(days=7),
        date_end=original.date_end + timedelta(days=7),
    )
    assert [d.reference for d in services.to_rule_data(later).potential_duplicates] == [
        amendment.reference
    ]
