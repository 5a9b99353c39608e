"""*Espace prescripteur* through the Django test client: scoped to the agency, a decision
without its reason says so next to the field, a decision on a page that changed meanwhile
asks to reload, and the list filters and counts (issue 10, item 4 and « Bad input »)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from immersio.conventions import lifecycle
from immersio.conventions.models import Convention, ConventionEvent
from immersio.conventions.transitions import Action, Status
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.conventions.lifecycle_helpers import sent_convention, sign_all

pytestmark = pytest.mark.django_db


def detail(convention) -> str:
    return reverse("conventions:review", kwargs={"public_id": convention.public_id})


def act(convention) -> str:
    return reverse("conventions:review_act", kwargs={"public_id": convention.public_id})


def error_of(page: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', page, re.S)
    assert match is not None, f"aucune erreur sous le champ {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))


def decision(convention, action: str, reason: str = "", **seen) -> dict:
    return {
        "action": action,
        f"{action}-version": seen.get("version", convention.version),
        f"{action}-status": seen.get("status", convention.status),
        f"{action}-reason": reason,
    }


def events(convention) -> list[str]:
    return list(
        ConventionEvent.objects.filter(convention=convention)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- scope ----------------------------------------------------------------------------------


def test_another_agency_s_member_gets_404_for_the_page_its_actions_and_its_pdf(client):
    sent = sent_convention()
    convention = sign_all(sent)
    stranger = UserFactory()
    AgencyFactory(validator=stranger)
    client.force_login(stranger)
    before = events(convention)

    assert client.get(detail(convention)).status_code == 404
    posted = client.post(act(convention), decision(convention, "valider"))
    refused = client.post(act(convention), decision(convention, "refuser", "Pas pour nous."))
    pdf = client.get(reverse("conventions:review_pdf", kwargs={"public_id": convention.public_id}))

    assert (posted.status_code, refused.status_code, pdf.status_code) == (404, 404, 404)
    assert sent.refresh().status == Status.IN_REVIEW
    assert events(convention) == before
    assert convention.reference not in client.get(reverse("conventions:review_list")).text
    # The agency's own valideur sees it (the 404 above is the scope, not a broken page).
    client.force_login(sent.validator)
    assert client.get(detail(convention)).status_code == 200


def test_a_person_not_logged_in_is_sent_to_the_login_page(client):
    convention = sent_convention().convention

    response = client.get(detail(convention))
    posted = client.post(act(convention), decision(convention, "annuler", "Non."))

    assert response.status_code == posted.status_code == 302
    assert "/compte/" in response["Location"]
    assert convention.events.filter(action=Action.CANCEL.value).count() == 0


def test_the_detail_page_has_no_duplicate_id(client):
    sent = sent_convention()
    client.force_login(sent.validator)

    page = client.get(detail(sign_all(sent))).text

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


# --- decisions ------------------------------------------------------------------------------


def test_a_refusal_without_reason_says_so_next_to_the_field_and_changes_nothing(client):
    sent = sent_convention()
    convention = sign_all(sent)
    client.force_login(sent.validator)

    response = client.post(act(convention), decision(convention, "refuser", "   "))

    assert response.status_code == 400
    assert "Indiquez le motif" in error_of(response.text, "refuser-reason")
    assert re.search(r"<details[^>]*open[^>]*>\s*<summary>Refuser</summary>", response.text)
    assert sent.refresh().status == Status.IN_REVIEW
    assert Action.REFUSE.value not in events(convention)


def test_a_correction_without_reason_keeps_what_was_typed(client):
    sent = sent_convention()
    convention = sent.convention
    client.force_login(sent.counsellor)
    data = {
        "action": "corriger",
        "correction-version": convention.version,
        "correction-reason": "",
    }
    for name in (
        "beneficiary_first_name",
        "beneficiary_last_name",
        "beneficiary_email",
        "beneficiary_phone",
        "host_rep_name",
        "host_rep_email",
        "tutor_name",
        "tutor_email",
        "counsellor_name",
        "counsellor_email",
    ):
        data[f"correction-{name}"] = getattr(convention, name)
    data["correction-tutor_email"] = "sam.petit@exemple.com"

    response = client.post(act(convention), data)

    assert response.status_code == 400
    assert "Indiquez le motif" in error_of(response.text, "correction-reason")
    assert 'value="sam.petit@exemple.com"' in response.text
    assert Convention.objects.get(pk=convention.pk).tutor_email == "tuteur@exemple.com"


def test_a_refusal_with_its_reason_is_done_and_said(client):
    sent = sent_convention()
    convention = sign_all(sent)
    client.force_login(sent.validator)

    response = client.post(
        act(convention),
        decision(convention, "refuser", "Le métier ne correspond pas au projet."),
        follow=True,
    )

    assert "Convention refusée" in response.text
    convention = sent.refresh()
    assert convention.status == Status.REFUSED
    assert convention.status_reason == "Le métier ne correspond pas au projet."


def test_a_decision_on_a_page_that_changed_meanwhile_asks_to_reload(client):
    """The valideur opened the page; meanwhile the conseiller reopened the convention for
    a change. The validation is not applied to what the valideur did not see."""
    sent = sent_convention()
    convention = sign_all(sent)
    client.force_login(sent.validator)
    seen = client.get(detail(convention)).text
    version = re.search(r'name="valider-version" value="(\d+)"', seen).group(1)
    status = re.search(r'name="valider-status" value="([a-z_]+)"', seen).group(1)
    lifecycle.decide(
        convention=convention,
        action=Action.PRE_VALIDATE,
        actor=sent.counsellor,
        version=convention.version,
        status=convention.status,
    )

    response = client.post(
        act(convention),
        decision(convention, "valider", version=version, status=status),
        follow=True,
    )

    assert "rechargez la page" in html.unescape(response.text)
    assert sent.refresh().status == Status.PRE_VALIDATED
    assert Action.VALIDATE.value not in events(convention)


def test_a_decision_after_a_new_version_asks_to_reload(client):
    sent = sent_convention()
    convention = sign_all(sent)
    client.force_login(sent.validator)
    seen_version = convention.version
    lifecycle.correct(
        convention=convention,
        data={"tutor_email": "sam.petit@exemple.com"},
        reason="Adresse du tuteur mal écrite.",
        actor=sent.counsellor,
    )

    response = client.post(
        act(convention),
        decision(convention, "valider", version=seen_version, status=Status.IN_REVIEW),
        follow=True,
    )

    assert "rechargez la page" in html.unescape(response.text)
    assert sent.refresh().status == Status.IN_REVIEW


def test_a_forbidden_decision_is_said_and_changes_nothing(client):
    """Validate a refused convention: the button is not there; a forged POST gets a
    clear message."""
    sent = sent_convention()
    convention = sign_all(sent)
    lifecycle.decide(
        convention=convention, action=Action.REFUSE, reason="Hors champ.", actor=sent.validator
    )
    convention = sent.refresh()
    client.force_login(sent.validator)

    page = client.get(detail(convention)).text
    response = client.post(act(convention), decision(convention, "valider"), follow=True)

    assert 'value="valider"' not in page
    assert response.status_code == 200
    assert 'role="alert"' in response.text or "alert-danger" in response.text
    assert sent.refresh().status == Status.REFUSED
    assert Action.VALIDATE.value not in events(convention)


# --- the list -------------------------------------------------------------------------------


def _agency_with_conventions():
    counsellor, validator = UserFactory(), UserFactory()
    agency = AgencyFactory(counsellor=counsellor, validator=validator)
    waiting = sent_convention(agency=agency, beneficiary_last_name="Attente")
    signed = sent_convention(
        agency=agency,
        beneficiary_last_name="Signée",
        beneficiary_email="lou@exemple.fr",
        beneficiary_phone="0600000001",
        counsellor_name="Marie Curie",
    )
    sign_all(signed)
    later = sent_convention(
        agency=agency,
        beneficiary_last_name="Tardive",
        beneficiary_email="noe@exemple.fr",
        beneficiary_phone="0600000002",
    )
    Convention.objects.filter(pk=later.convention.pk).update(
        date_start=later.convention.date_start + timedelta(days=63),
        date_end=later.convention.date_end + timedelta(days=63),
    )
    return validator, waiting.refresh(), signed.refresh(), later.refresh()


def shown(page: str) -> set[str]:
    return set(re.findall(r'data-reference="([^"]+)"', page))


def count_of(page: str, label: str) -> int:
    match = re.search(
        rf'href="\?statut=[a-z_]+">{re.escape(label)} <span class="badge[^"]*">(\d+)</span>', page
    )
    assert match is not None, f"pas de compteur « {label} »"
    return int(match.group(1))


def test_the_list_counts_by_status_and_filters(client):
    validator, waiting, signed, later = _agency_with_conventions()
    other = sent_convention()  # another agency's: never counted nor shown
    client.force_login(validator)
    url = reverse("conventions:review_list")

    everything = client.get(url).text
    assert shown(everything) == {waiting.reference, signed.reference, later.reference}
    assert other.convention.reference not in everything
    assert count_of(everything, "À signer") == 2
    assert count_of(everything, "En examen par le prescripteur") == 1
    assert count_of(everything, "Validée") == 0

    in_review = client.get(url, {"statut": Status.IN_REVIEW}).text
    assert shown(in_review) == {signed.reference}
    # The counts stay those of the whole agency while a filter is applied.
    assert count_of(in_review, "À signer") == 2

    # Names are posted, never in an address (issue 11); the list's pages keep them.
    by_name = client.post(url, {"beneficiaire": "tardive"}, follow=True)
    assert shown(by_name.text) == {later.reference}
    [(address, _status)] = by_name.redirect_chain
    assert "tardive" not in address
    assert shown(client.get(f"{address}&page=1").text) == {later.reference}
    by_counsellor = client.post(url, {"conseiller": "curie"}, follow=True)
    assert shown(by_counsellor.text) == {signed.reference}
    assert "curie" not in by_counsellor.redirect_chain[0][0]
    # « Tout afficher » forgets them.
    assert len(shown(client.get(url).text)) == 3
    by_dates = client.get(
        url, {"debut_du": later.date_start.isoformat(), "debut_au": later.date_end.isoformat()}
    ).text
    assert shown(by_dates) == {later.reference}
    assert shown(client.get(url, {"debut_au": waiting.date_start.isoformat()}).text) == {
        waiting.reference,
        signed.reference,
    }


def test_a_wrong_filter_says_so_and_shows_nothing(client):
    validator, *_rows = _agency_with_conventions()
    client.force_login(validator)

    page = client.get(reverse("conventions:review_list"), {"debut_du": "31/02/2027"}).text

    assert shown(page) == set()
    assert "Date invalide : indiquez une date qui existe" in html.unescape(page)


def test_the_list_puts_those_starting_soon_first_then_the_rest_of_the_work(client):
    from immersio.core.dates import add_working_days

    validator, waiting, signed, later = _agency_with_conventions()
    today = timezone.localdate()
    # Validated long ago, and last month: done, so after the work, the latest first.
    old, recent = (
        sent_convention(agency=waiting.agency, beneficiary_email=f"{n}@exemple.fr").convention
        for n in ("ancien", "recent")
    )
    Convention.objects.filter(pk=old.pk).update(
        status=Status.VALIDATED, date_start=today - timedelta(days=300)
    )
    Convention.objects.filter(pk=recent.pk).update(
        status=Status.VALIDATED, date_start=today - timedelta(days=30)
    )
    # Not validated yet, starting within the two working days: first.
    Convention.objects.filter(pk=later.pk).update(date_start=add_working_days(today, 1))
    client.force_login(validator)

    page = client.get(reverse("conventions:review_list")).text

    order = re.findall(r'data-reference="([^"]+)"', page)
    in_progress = sorted([waiting, signed], key=lambda c: (c.date_start, c.pk))
    assert order == [
        later.reference,
        *(convention.reference for convention in in_progress),
        recent.reference,
        old.reference,
    ]
    assert "figure en tête et en surbrillance" in page


def test_a_finished_convention_waits_for_no_signature_and_each_outcome_has_its_colour(client):
    validator, waiting, signed, later = _agency_with_conventions()
    Convention.objects.filter(pk=later.pk).update(status=Status.OBSOLETE)
    Convention.objects.filter(pk=signed.pk).update(status=Status.VALIDATED)
    client.force_login(validator)

    page = client.get(reverse("conventions:review_list")).text

    def row(convention):
        return re.search(rf'data-reference="{convention.reference}"(.*?)</li>', page, re.S).group(1)

    assert "signatures attendues" in row(waiting)
    assert "attendue" not in row(later)
    assert 'badge text-bg-secondary ms-1">Obsolète' in row(later)
    assert 'badge text-bg-success ms-1">Validée' in row(signed)
    assert 'badge text-bg-primary ms-1">À signer' in row(waiting)


def test_the_history_names_the_platform_once():
    from immersio.conventions.models import ConventionEvent
    from immersio.conventions.transitions import Role

    assert ConventionEvent(role=Role.SYSTEM).role_shown == ""
    assert ConventionEvent(role="").role_shown == ""
    assert ConventionEvent(role=Role.VALIDATOR).role_shown == Role.VALIDATOR.label.lower()
