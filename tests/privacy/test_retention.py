"""Retention as code (issue 11, item 2): each rule of ``privacy.retention.RULES`` at its
boundary (one day before: kept; the day: acted), the dry run, a second run, and a failure
on one object."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from immersio.agencies.models import AgencyInvitation
from immersio.contacts.models import (
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    ContactEvent,
    ContactRequest,
    Message,
)
from immersio.conventions.models import Convention, ConventionInvitation, Status
from immersio.core.actors import COMMAND, TASK
from immersio.core.models import RateLimitCounter
from immersio.journal.models import JournalEntry, Reflection
from immersio.notifications.models import OutboundEmail, OutboundSms, PendingNotification
from immersio.privacy import retention
from immersio.privacy.inactivity import INACTIVITY_RULES
from immersio.privacy.models import RetentionRun
from immersio.privacy.purge import apply_retention
from immersio.structures.models import Invitation as StructureInvitation
from tests.accounts.factories import UserFactory
from tests.conventions.builders import valid_convention
from tests.fixtures.contacts import ContactRequestFactory, make_host
from tests.structures.factories import lyon, maraicher

pytestmark = pytest.mark.django_db

#: The age field of every object built here: mid-month, mid-day (no month-end clamping).
AT = timezone.make_aware(datetime(2031, 3, 15, 12, 0))


def _request(at: datetime) -> ContactRequest:
    request = ContactRequestFactory(phone="0611223344", transport="Vélo")
    Message.objects.create(request=request, side="candidat", author=None, body="Bonjour")
    Message.objects.filter(request=request).update(created_at=at - timedelta(days=3))
    ContactEvent.objects.create(request=request, at=at, to_status="nouvelle", reason="Motif")
    ContactRequest.objects.filter(pk=request.pk).update(updated_at=at)
    return request


def _board_post(at: datetime) -> BoardPost:
    commune = lyon()
    post = BoardPost.objects.create(
        candidate=UserFactory(),
        first_name="Camille",
        last_initial="D",
        appellation=maraicher(),
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period="En avril",
        duration="1s",
        motivations="Ancien cuisinier, 06 11 22 33 44.",
        published_at=at - timedelta(days=60),
        expires_at=at,
    )
    host = make_host()
    proposal = BoardProposal.objects.create(post=post, structure=host, body="Venez !")
    BoardProposalMessage.objects.create(proposal=proposal, side="candidat", body="Merci")
    return post


def _draft(at: datetime) -> Convention:
    convention = valid_convention()
    Convention.objects.filter(pk=convention.pk).update(updated_at=at)
    return convention


def _unsigned(at: datetime) -> Convention:
    convention = valid_convention()
    Convention.objects.filter(pk=convention.pk).update(status=Status.REFUSED, updated_at=at)
    return convention


def _validated(at: datetime) -> Convention:
    """Validated, the immersion ended on the day of ``at``."""
    end = timezone.localtime(at).date()
    convention = valid_convention()
    Convention.objects.filter(pk=convention.pk).update(
        status=Status.VALIDATED,
        validated_at=at - timedelta(days=20),
        date_start=end - timedelta(days=4),
        date_end=end,
    )
    return convention


def _email(at: datetime) -> OutboundEmail:
    return OutboundEmail.objects.create(
        recipient="camille@exemple.fr",
        subject="Objet",
        text_body="Bonjour Camille",
        html_body="<p>Bonjour Camille</p>",
        kind="essai",
        created_at=at,
    )


def _sms(at: datetime) -> OutboundSms:
    return OutboundSms.objects.create(to="+33611223344", body="Code", kind="essai", created_at=at)


def _pending_notification(at: datetime) -> PendingNotification:
    return PendingNotification.objects.create(
        kind="essai", payload={"class": "x.Y", "args": [], "kwargs": {}}, created_at=at
    )


def _counter(at: datetime) -> RateLimitCounter:
    return RateLimitCounter.objects.create(scope="essai", key="k", window_start=at, count=1)


def _code(at: datetime):
    from immersio.accounts.models import OneTimeCode

    return OneTimeCode.objects.create(
        purpose="essai",
        subject="s",
        code_hash="0" * 64,
        channel="email",
        sent_to="c•••@exemple.fr",
        expires_at=at,
    )


def _invitation(model):
    def build(at: datetime):
        from tests.agencies.factories import AgencyFactory
        from tests.structures.factories import HostStructureFactory

        owner = {
            "structures.Invitation": lambda: {"structure": HostStructureFactory()},
            "agencies.AgencyInvitation": lambda: {"agency": AgencyFactory()},
            "conventions.ConventionInvitation": lambda: {"convention": _validated(at)},
        }[model._meta.label]()
        invitation = model.objects.create(email="invitee@exemple.fr", **owner)
        model.objects.filter(pk=invitation.pk).update(created_at=at)
        # Accepted the same day: kept, whatever its age.
        accepted = model.objects.create(email="joined@exemple.fr", accepted_at=at, **owner)
        model.objects.filter(pk=accepted.pk).update(created_at=at)
        return invitation, accepted

    def acted(pair) -> bool:
        invitation, _accepted = pair
        return _gone(model, invitation.pk)

    return build, acted


def _journal_entry(at: datetime) -> JournalEntry:
    """A page of the carnet of an immersion that ended on the day of ``at``."""
    convention = _validated(at)
    return JournalEntry.objects.create(
        owner=UserFactory(), convention=convention, day=convention.date_start, note="Jour 1"
    )


def _reflection(at: datetime) -> Reflection:
    return Reflection.objects.create(
        owner=UserFactory(), convention=_validated(at), learned="Beaucoup", written=True
    )


def _testimony(at: datetime):
    """A testimony its author withdrew at ``at`` (the rejected ones share the rule)."""
    from tests.testimonies.helpers import submitted

    testimony = submitted()  # no e-mail: the outbox's rule counts its own
    type(testimony).objects.filter(pk=testimony.pk).update(status="retire", consent_withdrawn_at=at)
    return testimony


def _conversation(at: datetime):
    """An entretien-métier whose slot was on the day of ``at``."""
    from tests.resource_people.helpers import make_conversation

    return make_conversation(status="confirmee", slot_at=at, asked_at=at - timedelta(days=5))


def _refused_profile(at: datetime):
    from immersio.resource_people.models import ResourceProfile
    from tests.resource_people.helpers import make_profile

    profile = make_profile(status="refuse", reviewed_at=at)
    ResourceProfile.objects.filter(pk=profile.pk).update(updated_at=at)
    return profile


def _event(at: datetime):
    """An event that ended at ``at``, with who proposed it and a contact address."""
    from immersio.events.models import Event
    from tests.events.helpers import make_event

    event = make_event(submitted_by=UserFactory(), contact_email="contact@exemple.fr")
    Event.objects.filter(pk=event.pk).update(starts_at=at - timedelta(hours=3), ends_at=at)
    return event


def _refused_event(at: datetime):
    from immersio.events.models import Event, Status
    from tests.events.helpers import make_event

    event = make_event(status=Status.REFUSED, published_at=None, submitted_by=UserFactory())
    Event.objects.filter(pk=event.pk).update(updated_at=at)
    return event


def _event_anonymised(event) -> bool:
    event.refresh_from_db()
    return (
        event.anonymised_at is not None
        and event.submitted_by_id is None
        and not (event.contact_email)
    )


def _gone(model, pk) -> bool:
    return not model.objects.filter(pk=pk).exists()


#: rule key → (build an object whose age field is ``AT``, has the rule acted on it?)
BUILDERS = {
    "conventions_brouillons": (_draft, lambda c: _gone(Convention, c.pk)),
    "conventions_non_signees": (
        _unsigned,
        lambda c: Convention.objects.get(pk=c.pk).anonymised_at is not None,
    ),
    "conventions_signees_archivage": (
        _validated,
        lambda c: Convention.objects.get(pk=c.pk).archived_at is not None,
    ),
    "conventions_signees": (
        _validated,
        lambda c: Convention.objects.get(pk=c.pk).anonymised_at is not None,
    ),
    "demandes": (
        _request,
        lambda r: ContactRequest.objects.get(pk=r.pk).anonymised_at is not None,
    ),
    "tableau": (_board_post, lambda p: BoardPost.objects.get(pk=p.pk).anonymised_at is not None),
    "emails": (_email, lambda e: OutboundEmail.objects.get(pk=e.pk).body_purged_at is not None),
    "sms": (_sms, lambda s: OutboundSms.objects.get(pk=s.pk).body_purged_at is not None),
    "notifications_a_preparer": (
        _pending_notification,
        lambda p: _gone(PendingNotification, p.pk),
    ),
    "limites_de_debit": (_counter, lambda c: _gone(RateLimitCounter, c.pk)),
    "codes": (_code, lambda c: _gone(type(c), c.pk)),
    "invitations_structures": _invitation(StructureInvitation),
    "invitations_prescripteurs": _invitation(AgencyInvitation),
    "invitations_conventions": _invitation(ConventionInvitation),
    "carnets": (_journal_entry, lambda e: _gone(JournalEntry, e.pk)),
    "bilans_personnels": (_reflection, lambda r: _gone(Reflection, r.pk)),
    "temoignages_retires": (_testimony, lambda t: _gone(type(t), t.pk)),
    "entretiens_metier": (_conversation, lambda c: _gone(type(c), c.pk)),
    "profils_refuses": (_refused_profile, lambda p: _gone(type(p), p.pk)),
    "evenements": (_event, _event_anonymised),
    "evenements_non_publies": (_refused_event, lambda e: _gone(type(e), e.pk)),
}


#: Rules whose boundaries are tested in their own module, because acting needs more than
#: an age (an inactive account is deleted only after a warning): test_inactivity.py.
TESTED_ELSEWHERE = {rule.key for rule in INACTIVITY_RULES}


def test_every_rule_has_its_boundary_test():
    assert set(BUILDERS) | TESTED_ELSEWHERE == {rule.key for rule in retention.RULES}
    assert not set(BUILDERS) & TESTED_ELSEWHERE


def _the_day(rule_key: str) -> datetime:
    duration = retention.rule(rule_key).duration
    return AT + relativedelta(months=duration.months, days=duration.days)


@pytest.mark.parametrize("key", list(BUILDERS))
def test_one_day_before_the_object_is_kept_and_on_the_day_it_is_acted_on(key):
    build, acted = BUILDERS[key]
    obj = build(AT)
    day = _the_day(key)

    before = apply_retention(now=day - timedelta(days=1), wet_run=True, actor=TASK)
    assert not acted(obj)
    assert _line(before, key)["found"] == 0

    run = apply_retention(now=day, wet_run=True, actor=TASK)
    assert acted(obj)
    assert _line(run, key) == {
        "rule": key,
        "model": retention.rule(key).model,
        "action": retention.rule(key).action.value,
        "found": 1,
        "done": 1,
        "errors": 0,
    }


def _line(run: RetentionRun, key: str) -> dict:
    return next(line for line in run.report if line["rule"] == key)


def _everything(at: datetime) -> dict:
    return {key: build(at) for key, (build, _acted) in BUILDERS.items()}


FAR = AT + relativedelta(years=6)


def test_a_dry_run_counts_and_changes_nothing():
    objects = _everything(AT)
    run = apply_retention(now=FAR, wet_run=False, actor=COMMAND)
    assert run.pk is None and not RetentionRun.objects.exists()
    assert all(not BUILDERS[key][1](obj) for key, obj in objects.items())
    found = {line["rule"]: line["found"] for line in run.report}
    # Every object built is due; each validated convention built (for the archiving, the
    # anonymising and the invitation rules) is due under both convention rules.
    assert found["demandes"] == 1 and found["emails"] == 1
    validated = Convention.objects.filter(validated_at__isnull=False).count()
    assert found["conventions_signees"] == found["conventions_signees_archivage"] == validated
    assert all(line["done"] == 0 for line in run.report)


def test_a_second_run_finds_nothing_left():
    objects = _everything(AT)
    # The clock at FAR too: what the first run writes (the inactive accounts' warnings)
    # is dated then, as in a real night.
    with time_machine.travel(FAR, tick=False):
        first = apply_retention(now=FAR, wet_run=True, actor=TASK)
        assert all(BUILDERS[key][1](obj) for key, obj in objects.items())
        assert sum(line["errors"] for line in first.report) == 0
        second = apply_retention(now=FAR, wet_run=True, actor=TASK)
    assert [line["found"] for line in second.report] == [0] * len(retention.RULES)
    assert RetentionRun.objects.count() == 2


def test_a_failure_on_one_object_leaves_it_untouched_and_the_others_done(monkeypatch):
    failing, fine = _request(AT), _request(AT)
    real = retention.anonymise_request

    def half_then_fail(request, *, now):
        real(request, now=now)  # everything written, then the failure: rolled back
        if request.pk == failing.pk:
            raise RuntimeError("panne")

    monkeypatch.setattr(retention, "anonymise_request", half_then_fail)
    run = apply_retention(now=_the_day("demandes"), wet_run=True, actor=TASK)

    assert _line(run, "demandes") | {"found": 2, "done": 1, "errors": 1} == _line(run, "demandes")
    untouched = ContactRequest.objects.get(pk=failing.pk)
    assert untouched.anonymised_at is None
    assert untouched.last_name == "Durand"
    assert Message.objects.filter(request=failing).count() == 1
    assert ContactRequest.objects.get(pk=fine.pk).anonymised_at is not None

    monkeypatch.undo()  # the next night resumes with what is left
    again = apply_retention(now=_the_day("demandes"), wet_run=True, actor=TASK)
    assert _line(again, "demandes")["found"] == 1
    assert ContactRequest.objects.get(pk=failing.pk).anonymised_at is not None


def test_an_anonymised_request_keeps_its_statistics_and_loses_the_person():
    request = _request(AT)
    apply_retention(now=_the_day("demandes"), wet_run=True, actor=TASK)
    request.refresh_from_db()
    assert (request.first_name, request.last_name, request.phone) == ("", "", "")
    assert (request.motivations, request.hopes, request.period, request.transport) == ("",) * 4
    assert request.email == f"anonyme-{request.public_id}@anonyme.invalid"  # still open
    assert request.candidate is None
    assert not Message.objects.filter(request=request).exists()
    assert list(ContactEvent.objects.filter(request=request).values_list("reason", flat=True)) == [
        ""
    ]
    # What statistics count stays.
    assert request.status == "nouvelle"
    assert request.appellation == maraicher()
    assert request.sent_at is not None


def test_a_request_with_a_recent_message_or_a_convention_is_kept():
    talking, converted = _request(AT), _request(AT)
    message = Message.objects.create(request=talking, side="structure", body="Toujours là ?")
    Message.objects.filter(pk=message.pk).update(created_at=AT + timedelta(days=60))
    signed = _validated(AT)
    Convention.objects.filter(pk=signed.pk).update(contact_request=converted)
    apply_retention(now=_the_day("demandes") + timedelta(days=30), wet_run=True, actor=TASK)
    assert ContactRequest.objects.filter(anonymised_at__isnull=True).count() == 2


def test_an_anonymised_board_post_keeps_its_subject_and_loses_its_author():
    post = _board_post(AT)
    apply_retention(now=_the_day("tableau"), wet_run=True, actor=TASK)
    post.refresh_from_db()
    assert post.candidate is None
    assert (post.first_name, post.last_initial, post.motivations, post.period) == ("",) * 4
    assert post.appellation == maraicher() and post.commune == lyon()
    proposal = BoardProposal.objects.get(post=post)
    assert proposal.body == "" and proposal.structure_id is not None
    assert not BoardProposalMessage.objects.filter(proposal=proposal).exists()


def test_a_validated_convention_is_archived_then_anonymised_with_its_evidence(
    django_capture_on_commit_callbacks,
):
    from immersio.conventions import documents, lifecycle
    from immersio.conventions.models import ConventionDocument, Signature
    from immersio.conventions.transitions import Action
    from tests.conventions.lifecycle_helpers import sent_convention, sign_all

    sent = sent_convention(
        beneficiary_birth_date=date(1995, 6, 14), beneficiary_rqth=True, beneficiary_rsa=True
    )
    sign_all(sent)
    lifecycle.decide(convention=sent.convention, action=Action.PRE_VALIDATE, actor=sent.counsellor)
    lifecycle.decide(convention=sent.convention, action=Action.VALIDATE, actor=sent.validator)
    convention = sent.refresh()
    stored = documents.store_document(version=convention.versions.get(), actor=TASK)
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    end = convention.date_end
    agency, structure, appellation = convention.agency_id, convention.structure_id, 16384

    archive_day = timezone.make_aware(
        datetime.combine(end + relativedelta(years=2), datetime.min.time())
    )
    apply_retention(now=archive_day - timedelta(days=1), wet_run=True, actor=TASK)
    assert Convention.objects.get(pk=convention.pk).archived_at is None
    apply_retention(now=archive_day, wet_run=True, actor=TASK)
    convention.refresh_from_db()
    assert convention.archived_at is not None and convention.anonymised_at is None
    assert convention.beneficiary_last_name == "Durand"

    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=archive_day + relativedelta(years=3), wet_run=True, actor=TASK)
    convention.refresh_from_db()
    assert convention.anonymised_at is not None
    assert (convention.beneficiary_first_name, convention.beneficiary_last_name) == ("", "")
    assert convention.beneficiary_birth_date == date(1995, 1, 1)
    assert not convention.beneficiary_rqth and not convention.beneficiary_rsa
    assert convention.emergency_contact_name == convention.emergency_contact_phone == ""
    assert (convention.agency_id, convention.structure_id) == (agency, structure)
    assert convention.appellation_id == appellation and convention.date_end == end
    assert convention.status == Status.VALIDATED
    signatures = Signature.objects.filter(signatory__convention=convention)
    assert signatures.exists()
    assert set(signatures.values_list("ip_address", "user_agent")) == {(None, "")}
    assert set(convention.signatories.values_list("name", "email")) == {("", "")}
    assert not ConventionDocument.objects.filter(version__convention=convention).exists()
    assert not storage.exists(name)
    assert convention.versions.get().content == {}
    assert set(convention.events.values_list("by_name", "reason")) == {("", "")}


def test_an_accepted_invitation_is_kept():
    build, _acted = BUILDERS["invitations_structures"]
    invitation, accepted = build(AT)
    apply_retention(now=_the_day("invitations_structures"), wet_run=True, actor=TASK)
    assert not StructureInvitation.objects.filter(pk=invitation.pk).exists()
    assert StructureInvitation.objects.filter(pk=accepted.pk).exists()


def test_an_outbox_row_keeps_its_metadata_without_its_text():
    email, sms = _email(AT), _sms(AT)
    apply_retention(now=_the_day("emails"), wet_run=True, actor=TASK)
    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.text_body, email.html_body, sms.body) == ("", "", "")
    assert (email.recipient, email.subject, email.kind) == ("camille@exemple.fr", "Objet", "essai")


def test_the_command_is_a_dry_run_unless_wet_run():
    counter = _counter(timezone.now() - relativedelta(years=1))
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Simulation" in out.getvalue()
    assert "Compteurs de limites de débit : 1 à supprimer." in out.getvalue()
    assert RateLimitCounter.objects.filter(pk=counter.pk).exists()

    out = io.StringIO()
    call_command("apply_retention", "--wet-run", stdout=out)
    assert "Compteurs de limites de débit : 1 trouvé(s), 1 supprimé(s)." in out.getvalue()
    assert not RateLimitCounter.objects.filter(pk=counter.pk).exists()
    assert RetentionRun.objects.get().wet_run


def test_the_nightly_task_acts():
    from immersio.privacy.tasks import apply_retention as task

    counter = _counter(timezone.now() - relativedelta(years=1))
    result = task.call()
    assert "1 supprimé(s)" in result
    assert not RateLimitCounter.objects.filter(pk=counter.pk).exists()


def test_the_staff_read_the_reports_and_cannot_change_them(client):
    _counter(timezone.now() - relativedelta(years=1))
    run = apply_retention(wet_run=True, actor=TASK)
    client.force_login(UserFactory(superuser=True))
    listing = client.get("/gestion/privacy/retentionrun/")
    assert listing.status_code == 200
    page = client.get(f"/gestion/privacy/retentionrun/{run.pk}/change/").content.decode()
    assert "limites_de_debit (supprimer) : 1 trouvé(s), 1 traité(s), 0 erreur(s)" in page
    assert client.get("/gestion/privacy/retentionrun/add/").status_code == 403
    assert client.post(f"/gestion/privacy/retentionrun/{run.pk}/delete/").status_code == 403


def test_an_interrupted_run_leaves_whole_objects_and_the_next_one_resumes(monkeypatch):
    from immersio.privacy import purge

    first, second, third = _request(AT), _request(AT), _request(AT)
    real = retention.anonymise_request

    def killed_on_the_second(request, *, now):
        real(request, now=now)
        if request.pk == second.pk:
            raise KeyboardInterrupt  # the worker killed mid-object: nothing catches it

    monkeypatch.setattr(purge, "CHUNK", 1)
    monkeypatch.setattr(retention, "anonymise_request", killed_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        apply_retention(now=_the_day("demandes"), wet_run=True, actor=TASK)

    done = set(
        ContactRequest.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    )
    assert done == {first.pk}
    half = ContactRequest.objects.get(pk=second.pk)
    assert (half.last_name, Message.objects.filter(request=second).count()) == ("Durand", 1)
    interrupted = RetentionRun.objects.get()
    assert interrupted.finished_at is None

    monkeypatch.setattr(retention, "anonymise_request", real)
    run = apply_retention(now=_the_day("demandes"), wet_run=True, actor=TASK)
    assert _line(run, "demandes")["found"] == 2 and _line(run, "demandes")["done"] == 2
    assert not ContactRequest.objects.filter(anonymised_at__isnull=True).exists()
    assert third.pk in set(ContactRequest.objects.values_list("pk", flat=True))
