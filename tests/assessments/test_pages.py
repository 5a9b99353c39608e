"""The assessment's pages through the Django test client: the tutor's link, the
prescriber's space, the beneficiary's co-signature; tampered, expired and others' links."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from immersio.assessments import links, services
from immersio.assessments.models import Assessment, AssessmentEvent, FilledBy
from immersio.assessments.rules import ASSESSMENT_LINK_DAYS, Outcome
from immersio.core.actors import AUTOMATIC, TASK
from immersio.notifications.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.agencies.factories import AgencyFactory
from tests.assessments.helpers import completed, ended_convention
from tests.core.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def tutor_link(assessment, email=None) -> str:
    email = email or assessment.convention.tutor_email
    return links.build_url(assessment=str(assessment.public_id), role=links.TUTOR, email=email)


def cosign_link(assessment) -> str:
    return links.build_url(
        assessment=str(assessment.public_id),
        role=links.BENEFICIARY,
        email=assessment.convention.beneficiary_email,
    )


def token_of(url: str) -> str:
    return url.split("jeton=")[1].split("&")[0]


def post(client, url: str, data: dict):
    """Post as the page does: the link's token in the form."""
    return client.post(url, {"jeton": token_of(url), **data})


def asked():
    ended = ended_convention()
    services.request_due(actor=TASK)
    return ended, ended.assessment()


def full_form(**changes) -> dict:
    data = {
        "outcome": Outcome.COMPLETED,
        "objective_0": "atteint",
        "objective_1": "non_atteint",
        "skill_0": "maitrise",
        "free_skill_0": "Travail en équipe",
        "free_skill_0_level": "progression",
        "appreciation": "Ponctuelle et curieuse.",
        "advice": "Se former.",
        "hired": "non",
    }
    return data | changes


def test_the_tutor_fills_from_the_link_and_sees_it_recorded(client):
    _ended, assessment = asked()
    url = tutor_link(assessment)
    page = client.get(url)
    assert page.status_code == 200
    assert "Découvrir les gestes du maraîchage" in page.text
    assert 'name="last_day"' in page.text and 'type="date"' in page.text
    response = post(client, url, full_form())
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.filled_by_kind == FilledBy.TUTOR
    assert [o["result"] for o in assessment.objectives] == ["atteint", "non_atteint"]
    assert {"skill": "Travail en équipe", "level": "progression", "free": True} in (
        assessment.skills
    )
    assert "Le bilan est enregistré" in client.get(url).text


def test_nothing_typed_is_lost_on_error_and_each_error_is_next_to_its_field(client):
    ended, assessment = asked()
    url = tutor_link(assessment)
    last = ended.convention.date_end + timedelta(days=3)
    data = full_form(outcome=Outcome.PARTIAL, last_day=last.isoformat(), appreciation="")
    response = post(client, url, data)
    assert response.status_code == 400
    page = response.text
    assert 'id="erreurs"' in page
    assert "Le dernier jour de présence doit être compris entre" in page
    assert "Donnez votre appréciation générale." in page
    assert "Se former." in page and "Travail en équipe" in page
    assert last.isoformat() in page
    assert not Assessment.objects.filter(filled_at__isnull=False).exists()


def test_the_no_show_shortcut_is_one_screen(client):
    _ended, assessment = asked()
    url = tutor_link(assessment) + "&absent=1"
    page = client.get(url).text
    assert 'name="appreciation"' not in page and 'name="no_show_reason"' in page
    response = post(client, url, {"absent": "1", "outcome": Outcome.NO_SHOW, "no_show_reason": ""})
    assert response.status_code == 400
    assert "Indiquez pourquoi la personne ne s&#x27;est pas présentée" in response.text
    post(client, url, {"absent": "1", "outcome": Outcome.NO_SHOW, "no_show_reason": "Malade"})
    assessment.refresh_from_db()
    assert assessment.is_no_show and assessment.no_show_reason == "Malade"
    assert OutboundEmail.objects.filter(kind="assessment_no_show").exists()


def test_a_tampered_link_or_one_for_another_address_opens_nothing(client):
    _ended, assessment = asked()
    url = tutor_link(assessment)
    assert client.get(url[:-3] + "abc").status_code == 404
    assert client.get(tutor_link(assessment, email="autre@exemple.fr")).status_code == 404
    # The tutor's link does not open the beneficiary's page, nor the reverse.
    token = token_of(url)
    assert client.get(reverse("assessments:cosign_link") + f"?jeton={token}").status_code == 404


def test_an_expired_link_offers_a_new_one_sent_to_the_tutor_only(client):
    ended, assessment = asked()
    url = tutor_link(assessment)
    with time_machine.travel(timezone.now() + timedelta(days=ASSESSMENT_LINK_DAYS, hours=1)):
        page = client.get(url)
        assert page.status_code == 410
        assert ended.convention.tutor_email not in page.text
        assert "Recevoir un nouveau lien" in page.text
        response = post(client, url, {"action": "nouveau-lien"})
    assert response.status_code == 200 and "Nouveau lien demandé" in response.text
    emails = OutboundEmail.objects.filter(kind="assessment_tutor_request").order_by("pk")
    assert [e.recipient for e in emails] == [ended.convention.tutor_email] * 2


def test_the_counsellor_fills_in_place_of_the_tutor_and_corrects_with_a_reason(client):
    ended, assessment = asked()
    client.force_login(ended.counsellor)
    url = reverse("assessments:fill", kwargs={"public_id": ended.convention.public_id})
    assert "Remplir le bilan à la place du tuteur" in client.get(url).text
    assert client.post(url, full_form()).status_code == 302
    assessment.refresh_from_db()
    assert assessment.filled_by_kind == FilledBy.AGENCY
    page = client.get(url).text
    assert "Corriger le bilan" in page and "Ponctuelle et curieuse." in page
    response = client.post(url, full_form(advice="Autre conseil"))
    assert response.status_code == 400 and "Indiquez le motif de la correction." in response.text
    client.post(url, full_form(advice="Autre conseil", reason="Oubli du tuteur"))
    assessment.refresh_from_db()
    assert assessment.advice == "Autre conseil"
    assert AssessmentEvent.objects.filter(action="corrige", reason="Oubli du tuteur").exists()


def test_the_review_page_shows_the_assessment(client):
    ended, _assessment = asked()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    client.force_login(ended.counsellor)
    page = client.get(
        reverse("conventions:review", kwargs={"public_id": ended.convention.public_id})
    ).text
    assert "Bilan de l'immersion" in page
    assert "en attente de la signature du bénéficiaire" in page
    assert "Ponctuelle et curieuse." in page


def test_another_agency_and_another_person_get_a_404(client):
    ended, _assessment = asked()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    other = UserFactory()
    AgencyFactory(counsellor=other)
    client.force_login(other)
    fill = reverse("assessments:fill", kwargs={"public_id": ended.convention.public_id})
    mine = reverse("assessments:mine", kwargs={"public_id": ended.convention.public_id})
    assert client.get(fill).status_code == 404
    assert client.post(fill, full_form(reason="x")).status_code == 404
    assert client.get(mine).status_code == 404
    client.force_login(ended.counsellor)
    assert client.get(mine).status_code == 404


def test_the_beneficiary_cosigns_from_the_link_or_from_the_account(client):
    ended, assessment = asked()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    url = cosign_link(assessment)
    page = client.get(url).text
    assert "Ponctuelle et curieuse." in page and "Signer le bilan" in page
    response = post(client, url, {"agrees": "non", "comment": ""})
    assert response.status_code == 400 and "dites avec quoi" in response.text
    post(client, url, {"agrees": "non", "comment": "J'étais là mercredi."})
    assessment.refresh_from_db()
    assert assessment.cosigned_at and assessment.beneficiary_comment == "J'étais là mercredi."
    client.force_login(ended.beneficiary)
    mine = reverse("assessments:mine", kwargs={"public_id": ended.convention.public_id})
    page = client.get(mine).text
    assert "n'est pas d'accord" in page and "Signer le bilan" not in page


def test_mes_conventions_links_the_beneficiary_to_the_assessment(client):
    ended, _assessment = asked()
    ended.convention.created_by = ended.beneficiary
    ended.convention.save()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    client.force_login(ended.beneficiary)
    page = client.get(reverse("conventions:mine")).text
    assert "Signer le bilan de l&#x27;immersion" in page
    assert reverse("assessments:mine", kwargs={"public_id": ended.convention.public_id}) in page


def test_mes_conventions_stays_flat_with_the_assessments_links(client):
    beneficiary = UserFactory(email="flat@exemple.fr")

    def add_rows(count: int) -> None:
        for _ in range(count):
            ended = ended_convention(
                beneficiary_email="flat@exemple.fr", created_by=beneficiary, with_account=False
            )
            services.fill(
                convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC
            )

    client.force_login(beneficiary)
    assert_flat(client, reverse("conventions:mine"), add_rows, marker="Signer le bilan de l")


def test_the_staff_read_assessments_in_the_back_office_and_cannot_change_them(client):
    ended, assessment = asked()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:assessments_assessment_changelist"))
    assert listing.status_code == 200 and ended.convention.reference in listing.text
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    assert "Ponctuelle et curieuse." in client.get(url).text
    client.post(url, {"appreciation": "Changé"})
    assessment.refresh_from_db()
    assert assessment.appreciation == "Ponctuelle et curieuse."


def test_an_expired_beneficiary_link_sends_to_the_account(client):
    ended, assessment = asked()
    services.fill(convention=ended.convention, answers=completed(ended.convention), actor=AUTOMATIC)
    url = cosign_link(assessment)
    with time_machine.travel(timezone.now() + timedelta(days=ASSESSMENT_LINK_DAYS, hours=1)):
        response = client.get(url)
        assert response.status_code == 410
        assert reverse("conventions:mine") in response.text
        post(client, url, {"agrees": "oui", "comment": ""})
    assessment.refresh_from_db()
    assert assessment.cosigned_at is None
