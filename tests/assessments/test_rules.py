"""The assessment's rules at their boundaries (pure: no database)."""

from datetime import date, time, timedelta

from immersio.assessments import rules
from immersio.assessments.rules import (
    Achievement,
    Answers,
    ContractType,
    ConventionFacts,
    Level,
    ObjectiveResult,
    Outcome,
    SkillLevel,
)
from immersio.conventions.schedule import Schedule

START = date(2027, 3, 1)  # a Monday
END = date(2027, 3, 5)
DAY = ((time(8), time(12)), (time(13), time(16)))  # 7 h
FACTS = ConventionFacts(
    date_start=START,
    date_end=END,
    schedule=Schedule.of({START + timedelta(days=n): DAY for n in range(5)}),
    objectives=("Découvrir le métier", "Tester le travail dehors"),
)
MET = tuple(ObjectiveResult(o, Achievement.MET) for o in FACTS.objectives)


def codes(answers: Answers) -> list[str]:
    return [v.code for v in rules.check(answers, FACTS)]


def completed(**changes) -> Answers:
    values = {"outcome": Outcome.COMPLETED, "objectives": MET, "appreciation": "Bien."}
    return Answers(**(values | changes))


def partial(**changes) -> Answers:
    return completed(**({"outcome": Outcome.PARTIAL, "last_day": date(2027, 3, 2)} | changes))


def test_a_complete_assessment_passes():
    assert codes(completed()) == []


def test_the_outcome_is_required():
    assert codes(completed(outcome="")) == ["outcome_missing"]


def test_a_no_show_needs_a_reason_and_nothing_else():
    assert codes(Answers(outcome=Outcome.NO_SHOW)) == ["no_show_reason_missing"]
    assert codes(Answers(outcome=Outcome.NO_SHOW, no_show_reason="   ")) == [
        "no_show_reason_missing"
    ]
    assert codes(Answers(outcome=Outcome.NO_SHOW, no_show_reason="Malade")) == []


def test_the_last_day_is_required_and_within_the_convention():
    assert codes(completed(outcome=Outcome.PARTIAL)) == ["last_day_missing"]
    assert codes(partial(last_day=START)) == []
    assert codes(partial(last_day=END)) == []
    assert codes(partial(last_day=START - timedelta(days=1))) == ["last_day_outside"]
    assert codes(partial(last_day=END + timedelta(days=1))) == ["last_day_outside"]
    message = rules.check(partial(last_day=END + timedelta(days=1)), FACTS)[0].message
    assert "01/03/2027" in message and "05/03/2027" in message


def test_missed_time_is_at_most_the_hours_planned_up_to_the_last_day():
    # Up to Tuesday: 2 days of 7 h = 840 minutes.
    assert codes(partial(missed_minutes=840)) == []
    assert codes(partial(missed_minutes=841)) == ["missed_too_many"]
    assert "14 h" in rules.check(partial(missed_minutes=841), FACTS)[0].message


def test_hours_done_are_derived_as_the_public_platform_does():
    assert rules.hours_done(completed(), FACTS) == 5 * 7 * 60
    assert rules.hours_done(partial(missed_minutes=90), FACTS) == 2 * 7 * 60 - 90
    assert rules.hours_done(Answers(outcome=Outcome.NO_SHOW), FACTS) == 0


def test_every_objective_gets_a_result():
    one = (ObjectiveResult(FACTS.objectives[0], Achievement.PARTLY),)
    assert codes(completed(objectives=one)) == ["objective_missing"]
    wrong = (*one, ObjectiveResult(FACTS.objectives[1], "peut-etre"))
    assert codes(completed(objectives=wrong)) == ["objective_missing"]


def test_an_objective_comment_has_a_limit():
    long = (
        ObjectiveResult(FACTS.objectives[0], Achievement.MET, "x" * rules.COMMENT_MAX),
        ObjectiveResult(FACTS.objectives[1], Achievement.MET, "x" * (rules.COMMENT_MAX + 1)),
    )
    assert codes(completed(objectives=long)) == ["comment_too_long"]


def test_skills_need_a_level_and_free_ones_are_bounded():
    assert codes(completed(skills=(SkillLevel("Semer", Level.MASTERED),))) == []
    assert codes(completed(skills=(SkillLevel("Semer", ""),))) == ["level_missing"]
    free = tuple(
        SkillLevel(f"Compétence {n}", Level.BEGINNER, free=True)
        for n in range(rules.FREE_SKILLS_MAX + 1)
    )
    assert codes(completed(skills=free[:-1])) == []
    assert codes(completed(skills=free)) == ["too_many_skills"]


def test_the_appreciation_is_required_unless_no_show():
    assert codes(completed(appreciation=" ")) == ["appreciation_missing"]


def test_a_hiring_needs_its_contract_not_before_the_immersion():
    assert codes(completed(hired=True)) == ["contract_type_missing", "contract_start_missing"]
    hired = completed(hired=True, contract_type=ContractType.CDI, contract_start=START)
    assert codes(hired) == []
    early = completed(
        hired=True, contract_type=ContractType.CDI, contract_start=START - timedelta(days=1)
    )
    assert codes(early) == ["contract_before_immersion"]


def test_the_beneficiary_agrees_or_says_why_not():
    assert [v.code for v in rules.check_cosign(agrees=None, comment="")] == ["agreement_missing"]
    assert rules.check_cosign(agrees=True, comment="") == []
    assert [v.code for v in rules.check_cosign(agrees=False, comment=" ")] == ["comment_required"]
    assert rules.check_cosign(agrees=False, comment="J'étais là mercredi.") == []


def test_renewal_condition_is_an_objective_not_fully_met():
    assert not rules.objectives_not_met([{"result": Achievement.MET}])
    assert rules.objectives_not_met([{"result": Achievement.MET}, {"result": Achievement.PARTLY}])
    assert rules.objectives_not_met([{"result": Achievement.NOT_MET}])
