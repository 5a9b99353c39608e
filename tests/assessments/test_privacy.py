"""The assessment in issue 11's personal data: anonymised with its convention, exported
in « Mes données » to the person whose immersion it is."""

import pytest
from django.utils import timezone

from immersio.assessments import services
from immersio.assessments.models import AssessmentEvent
from immersio.assessments.rules import Level, SkillLevel
from immersio.core.actors import AUTOMATIC
from immersio.privacy import retention, selectors
from immersio.privacy.services import delete_account
from tests.accounts.factories import UserFactory
from tests.assessments.helpers import completed, ended_convention

pytestmark = pytest.mark.django_db


def filled_and_corrected():
    ended = ended_convention()
    c = ended.convention
    skills = (
        SkillLevel("Semer", Level.MASTERED),
        SkillLevel("Parler aux clients du marché", Level.BEGINNER, free=True),
    )
    assessment = services.fill(
        convention=c, answers=completed(c, advice="Se former", skills=skills), actor=AUTOMATIC
    )
    services.cosign(assessment=assessment, agrees=False, comment="Pas d'accord", actor=AUTOMATIC)
    services.correct(
        assessment=assessment,
        answers=completed(c, advice="Se former vite", skills=skills),
        reason="Précision de Sam Petit",
        actor=ended.counsellor,
    )
    assessment.refresh_from_db()
    return ended, assessment


def test_the_assessment_is_anonymised_with_its_convention():
    ended, assessment = filled_and_corrected()
    retention.anonymise_convention(ended.convention, now=timezone.now())
    assessment.refresh_from_db()
    assert (assessment.appreciation, assessment.advice, assessment.beneficiary_comment) == (
        "",
        "",
        "",
    )
    assert assessment.filled_by_name == ""
    assert {o["objective"] for o in assessment.objectives} == {""}
    assert {o["result"] for o in assessment.objectives} == {"atteint"}
    assert [s["skill"] for s in assessment.skills] == ["Semer", ""]
    assert assessment.minutes_done == 5 * 7 * 60 and assessment.beneficiary_agrees is False
    events = AssessmentEvent.objects.filter(assessment=assessment)
    assert set(events.values_list("by", "by_name", "reason")) == {(None, "", "")}


def test_my_data_exports_the_assessments_of_my_immersions_only():
    ended, _assessment = filled_and_corrected()
    [row] = selectors.person_data(ended.beneficiary).categories["bilans"]
    assert row["convention"] == ended.convention.reference
    assert row["conseils"] == "Se former vite" and row["votre_commentaire"] == "Pas d'accord"
    assert [e["action"] for e in row["historique"]][-1] == "Corrigé par le prescripteur"
    assert selectors.person_data(UserFactory()).categories["bilans"] == []
    assert selectors.person_data(ended.counsellor).categories["bilans"] == []


def test_deleting_an_account_keeps_the_assessment_with_its_convention_detached():
    ended = ended_convention(days_ago=1)  # over: the account may go
    c = ended.convention
    assessment = services.fill(convention=c, answers=completed(c), actor=ended.counsellor)
    delete_account(user=ended.counsellor, actor=ended.counsellor)
    delete_account(user=ended.beneficiary, actor=ended.beneficiary)
    assessment.refresh_from_db()
    assert assessment.filled_by is None and assessment.appreciation == "Ponctuelle et curieuse."
    assert set(assessment.events.values_list("by", flat=True)) == {None}
