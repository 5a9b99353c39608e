"""Demonstration assessments: the demo's validated convention (Sophie Lefèvre), ended two
weeks ago, has its assessment filled by its tutor from the e-mailed link and waiting for
Sophie's co-signature; the other one (Yanis Petit), ended last week, waits for the tutor.
The agency's team sees both on the convention's page. Sophie's objectives are « partiellement
atteints »: her conseiller may try « Préparer le renouvellement » there, and Sophie « Demander
un renouvellement à mon conseiller » from her assessment's page.

Through the services, as in the product. Idempotent: an assessment already there is kept.
"""

from immersio.assessments import services
from immersio.assessments.models import Assessment
from immersio.assessments.rules import (
    Achievement,
    Answers,
    Level,
    ObjectiveResult,
    Outcome,
    SkillLevel,
)
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status
from immersio.core.actors import AUTOMATIC, COMMAND

ORDER = 60  # after the conventions

FILLED = "sophie.lefevre@immersio.example"
WAITING = "yanis.petit@immersio.example"


def _convention(email: str) -> Convention | None:
    return (
        Convention.objects.filter(beneficiary_email=email, status=Status.VALIDATED)
        .order_by("-pk")
        .first()
    )


def load() -> str:
    filled, waiting = _convention(FILLED), _convention(WAITING)
    if filled is None or waiting is None:
        return "conventions validées de démonstration absentes : rien à faire"
    done = 0
    for convention in (filled, waiting):
        if not Assessment.objects.filter(convention=convention).exists():
            services.request_assessment(convention=convention, actor=COMMAND)
            done += 1
    assessment = Assessment.objects.get(convention=filled)
    if not assessment.is_filled:
        answers = Answers(
            outcome=Outcome.COMPLETED,
            objectives=tuple(
                ObjectiveResult(objective, Achievement.PARTLY, "Les semis sont acquis.")
                for objective in filled.objective_list()
            ),
            skills=(
                SkillLevel("Semis sous serre", Level.MASTERED, free=True),
                SkillLevel("Préparation des paniers", Level.PROGRESSING, free=True),
            ),
            appreciation=(
                "Sophie a été ponctuelle, attentive aux consignes et à l'aise avec l'équipe. "
                "Elle a pris des initiatives dès le troisième jour."
            ),
            advice=(
                "Une formation courte en maraîchage biologique (BPREA) lui permettrait de "
                "postuler la saison prochaine."
            ),
        )
        services.fill(convention=filled, answers=answers, actor=AUTOMATIC)
    return f"{done} bilan(s) demandé(s) ; un rempli par le tuteur, un en attente du tuteur"
