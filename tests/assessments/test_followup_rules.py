"""What an immersion led to (``rules.next_step``): pure, the most certain fact first."""

import pytest

from immersio.assessments.rules import (
    PLAN_IMMERSION,
    PLAN_TRAINING,
    NextStep,
    NextStepFacts,
    next_step,
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (NextStepFacts(), NextStep.NONE),
        (NextStepFacts(hired=True), NextStep.HIRED),
        # A hiring the tutor recorded wins over anything planned or existing.
        (
            NextStepFacts(
                hired=True, later_convention=True, plan=frozenset({PLAN_TRAINING}), advice="BPREA"
            ),
            NextStep.HIRED,
        ),
        (NextStepFacts(later_convention=True), NextStep.IMMERSION),
        # A convention that exists wins over a training only planned.
        (
            NextStepFacts(later_convention=True, plan=frozenset({PLAN_TRAINING})),
            NextStep.IMMERSION,
        ),
        (NextStepFacts(plan=frozenset({PLAN_TRAINING})), NextStep.TRAINING),
        (NextStepFacts(plan=frozenset({PLAN_TRAINING, PLAN_IMMERSION})), NextStep.TRAINING),
        (NextStepFacts(plan=frozenset({PLAN_IMMERSION})), NextStep.IMMERSION),
        (NextStepFacts(advice="Une FORMATION courte en maraîchage"), NextStep.TRAINING),
        (NextStepFacts(advice="Passer un diplôme d'agent de propreté"), NextStep.TRAINING),
        (NextStepFacts(advice="Faire une autre immersion en cuisine"), NextStep.IMMERSION),
        (NextStepFacts(advice="Une nouvelle Immersion serait utile"), NextStep.IMMERSION),
        # The word « immersion » alone (this one) is no advice of another.
        (NextStepFacts(advice="L'immersion s'est bien passée."), NextStep.NONE),
        (NextStepFacts(hired=False, advice=""), NextStep.NONE),
    ],
)
def test_next_step(facts, expected):
    assert next_step(facts) == expected


def test_the_chart_names_each_month_by_its_usual_french_abbreviation():
    from datetime import date

    from immersio.assessments import followup

    rows = [
        {"month": date(2026, month, 1), "ended": 0}
        | {step.value: 0 for step in followup.NEXT_STEPS}
        for month in range(1, 13)
    ]
    labels = [bar["label"] for bar in followup.monthly_chart(rows)["bars"]]
    assert labels[5:7] == ["juin", "juil."]
    assert len(set(labels)) == 12
