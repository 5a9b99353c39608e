"""« Est-ce pour moi ? »: every situation gets an answer with a reason and a prescriber;
the age boundaries (16, 18, 26) and each contradiction are explained, never a crash."""

from datetime import date

import pytest

from immersio.core.law import limits_for
from immersio.orientation.rules import (
    CAP_EMPLOI,
    CONSEIL_DEPARTEMENTAL,
    CORE_SITUATION,
    FRANCE_TRAVAIL,
    MISSION_LOCALE,
    PIP_MAX_DAYS,
    RSA_MIN_AGE,
    SIAE,
    YOUNG_MAX_AGE,
    Followed,
    Verdict,
    WizardSituation,
    first_prescribers,
    orientation,
)

S = WizardSituation
LIMITS = limits_for(date.today())
ADULT = 30

#: situation → (verdict for an adult of ADULT years followed by no one, first prescriber)
EXPECTED = {
    S.JOB_SEEKER_FT: (Verdict.POSSIBLE, FRANCE_TRAVAIL),
    S.JOB_SEEKER: (Verdict.POSSIBLE, FRANCE_TRAVAIL),
    S.YOUNG_ML: (Verdict.POSSIBLE, FRANCE_TRAVAIL),  # 30: too old for a mission locale
    S.YOUNG: (Verdict.POSSIBLE, FRANCE_TRAVAIL),
    S.RQTH: (Verdict.POSSIBLE, CAP_EMPLOI),
    S.RSA: (Verdict.POSSIBLE, CONSEIL_DEPARTEMENTAL),
    S.EMPLOYEE_SEARCH: (Verdict.CONDITIONS, FRANCE_TRAVAIL),
    S.SIAE: (Verdict.POSSIBLE, SIAE),
    S.CUI: (Verdict.CONDITIONS, FRANCE_TRAVAIL),
    S.ESAT_EA: (Verdict.POSSIBLE, CAP_EMPLOI),
    S.UNFITNESS: (Verdict.POSSIBLE, CAP_EMPLOI),
    S.RETRAINING: (Verdict.CONDITIONS, FRANCE_TRAVAIL),
    S.EMPLOYEE: (Verdict.CONDITIONS, FRANCE_TRAVAIL),
    S.STUDENT: (Verdict.ELSEWHERE, FRANCE_TRAVAIL),
    S.PUBLIC_AGENT: (Verdict.ELSEWHERE, FRANCE_TRAVAIL),
    S.OTHER: (Verdict.CONDITIONS, FRANCE_TRAVAIL),
}


def test_every_situation_has_an_expectation():
    assert set(EXPECTED) == set(WizardSituation)
    assert set(CORE_SITUATION) == set(WizardSituation)


@pytest.mark.parametrize("situation", list(WizardSituation))
def test_every_situation_for_an_adult(situation):
    answer = orientation(situation, ADULT)
    verdict, first = EXPECTED[situation]
    assert answer.verdict == verdict
    assert answer.first_kind == first
    assert answer.reasons and all(reason.strip() for reason in answer.reasons)
    assert answer.prescriber_why
    assert answer.prepare
    assert answer.is_elsewhere == bool(answer.instead)


@pytest.mark.parametrize("situation", list(WizardSituation))
def test_every_situation_for_a_minor_and_a_young_adult(situation):
    minor = orientation(situation, LIMITS.majority_age - 1)
    assert minor.verdict != Verdict.POSSIBLE  # a minor's parents consent
    assert any("représentant légal" in item for item in minor.prepare)
    young = orientation(situation, YOUNG_MAX_AGE - 2)
    assert young.first_kind


def test_the_four_cases_of_the_issue():
    rsa = orientation(S.RSA, 40)
    assert rsa.is_possible and rsa.kinds == (CONSEIL_DEPARTEMENTAL, FRANCE_TRAVAIL)
    siae = orientation(S.SIAE, 35)
    assert siae.is_possible and siae.kinds == (SIAE,)
    assert any("25 %" in condition for condition in siae.conditions)
    student = orientation(S.STUDENT, 21)
    assert student.is_elsewhere and "convention de stage" in student.instead
    assert student.first_kind == MISSION_LOCALE
    agent = orientation(S.PUBLIC_AGENT, 45)
    assert agent.is_elsewhere and f"{PIP_MAX_DAYS} jours" in agent.instead


def test_a_young_job_seeker_followed_by_a_mission_locale():
    answer = orientation(S.YOUNG_ML, 24, Followed.MISSION_LOCALE)
    assert answer.is_possible
    assert answer.first_kind == MISSION_LOCALE
    assert answer.notes == ()


# Age boundaries -------------------------------------------------------------------------


def test_below_the_minimum_age_points_to_school():
    below = orientation(S.YOUNG, LIMITS.minor_min_age - 1)
    assert below.is_elsewhere and "troisième" in below.instead
    at = orientation(S.YOUNG, LIMITS.minor_min_age)
    assert at.has_conditions and at.first_kind == MISSION_LOCALE


def test_majority_lifts_the_parents_condition():
    minor = orientation(S.JOB_SEEKER_FT, LIMITS.majority_age - 1)
    adult = orientation(S.JOB_SEEKER_FT, LIMITS.majority_age)
    assert minor.has_conditions and minor.first_kind == MISSION_LOCALE
    assert any("représentant légal" in condition for condition in minor.conditions)
    assert adult.is_possible and adult.first_kind == FRANCE_TRAVAIL
    assert adult.conditions == ()


def test_a_minor_already_followed_keeps_their_prescriber():
    answer = orientation(S.JOB_SEEKER_FT, LIMITS.majority_age - 1, Followed.FRANCE_TRAVAIL)
    assert answer.first_kind == FRANCE_TRAVAIL


def test_the_mission_locale_age_limit():
    last = orientation(S.YOUNG, YOUNG_MAX_AGE - 1)
    first_after = orientation(S.YOUNG, YOUNG_MAX_AGE)
    assert last.first_kind == MISSION_LOCALE and last.notes == ()
    assert first_after.first_kind == FRANCE_TRAVAIL
    assert f"moins de {YOUNG_MAX_AGE} ans" in first_after.notes[0]


def test_rsa_age():
    assert orientation(S.RSA, RSA_MIN_AGE).notes == ()
    assert f"{RSA_MIN_AGE} ans" in orientation(S.RSA, RSA_MIN_AGE - 1).notes[0]


# Contradictions --------------------------------------------------------------------------


@pytest.mark.parametrize("situation", [S.EMPLOYEE, S.SIAE, S.PUBLIC_AGENT, S.RSA])
def test_too_young_for_the_situation(situation):
    answer = orientation(situation, 15)
    assert answer.is_elsewhere
    assert "15 ans" in answer.notes[0] and situation.label in answer.notes[0]


def test_a_forty_year_old_followed_by_a_mission_locale():
    answer = orientation(S.JOB_SEEKER_FT, 40, Followed.MISSION_LOCALE)
    assert answer.first_kind == FRANCE_TRAVAIL
    assert any("mission locale" in note for note in answer.notes)
    young_ml = orientation(S.YOUNG_ML, 40, Followed.MISSION_LOCALE)
    assert young_ml.first_kind == FRANCE_TRAVAIL and len(young_ml.notes) == 2


def test_not_followed_by_a_mission_locale_then_followed_by_one():
    answer = orientation(S.YOUNG, 20, Followed.MISSION_LOCALE)
    assert answer.first_kind == MISSION_LOCALE
    assert "nous retenons la mission locale" in answer.notes[0]


def test_not_registered_then_followed_by_france_travail():
    answer = orientation(S.JOB_SEEKER, 40, Followed.FRANCE_TRAVAIL)
    assert answer.first_kind == FRANCE_TRAVAIL
    assert "nous retenons France Travail" in answer.notes[0]


def test_an_siae_follows_only_its_own_employees():
    answer = orientation(S.RSA, 40, Followed.SIAE)
    assert answer.first_kind == CONSEIL_DEPARTEMENTAL
    assert "ses propres salarié·es" in answer.notes[0]
    own = orientation(S.SIAE, 40, Followed.SIAE)
    assert own.first_kind == SIAE and own.notes == ()


def test_followed_by_a_prescriber_goes_first():
    answer = orientation(S.RQTH, 40, Followed.FRANCE_TRAVAIL)
    assert answer.kinds == (FRANCE_TRAVAIL, CAP_EMPLOI)
    assert "déjà suivi·e" in answer.prescriber_why


def test_followed_by_another_structure_is_told_about_delegation():
    answer = orientation(S.JOB_SEEKER, 40, Followed.OTHER)
    assert "délégation" in answer.notes[0]


def test_first_prescribers_list_every_situation():
    rows = first_prescribers(date.today())
    assert [row[0] for row in rows] == list(WizardSituation)
    assert all(prescriber and why for _situation, prescriber, why in rows)
