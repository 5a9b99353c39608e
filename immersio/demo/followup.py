"""Demo: a year of immersions at the demo agency (France Travail Lyon), for its
« Suivi des immersions »: one ending this week, and validated immersions ended over the
last months whose assessments say what came next — a hiring, a training advised, another
immersion advised, a no-show — and one whose assessment is still missing.

Like the journal's demo, these are past immersions written as they stand today (validated,
ended), not rebuilt through the signatures: their history is not what they show. The
assessments are written as filled (no e-mail is sent for a past immersion). Dates are
relative to today; idempotent: a convention is found by its beneficiary's address at the
demo agency and moved to today's dates.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.agencies.models import Agency
from immersio.assessments.models import Assessment, FilledBy
from immersio.assessments.rules import Achievement, ContractType, Outcome
from immersio.conventions.models import Convention
from immersio.demo.agencies import agency_siret
from immersio.demo.conventions import market_garden_week
from immersio.demo.structures import MARAICHER, demo_siret
from immersio.referentials.models import Appellation
from immersio.structures.models import HostStructure

ORDER = 70  # after the conventions, their assessments and the journal

#: Every address of this module starts with it (the demo's other tests leave them out).
PREFIX = "suivi."
OBJECTIVES = (
    "Découvrir les gestes du maraîchage biologique",
    "Vérifier que le travail en extérieur me convient",
)


@dataclass(frozen=True)
class Past:
    """One immersion of the agency's year: who, how many weeks ago it ended (0: ends this
    week), what its assessment says (None: not filled yet)."""

    first_name: str
    last_name: str
    weeks_ago: int
    assessment: dict | None = field(default=None)


FILLED = {
    "outcome": Outcome.COMPLETED,
    "appreciation": "Ponctuel, attentif aux consignes, à l'aise avec l'équipe.",
}
STORIES = (
    Past("Léo", "Caron", 0),
    Past("Manon", "Roussel", 3),
    Past(
        "Hugo",
        "Bernard",
        6,
        FILLED | {"hired": True, "contract_type": ContractType.CDD_LONG, "advice": "Bienvenue !"},
    ),
    Past(
        "Emma",
        "Laurent",
        11,
        FILLED | {"advice": "Une formation courte (BPREA) avant de postuler."},
    ),
    Past(
        "Lucas",
        "Fontaine",
        17,
        {"outcome": Outcome.NO_SHOW, "no_show_reason": "Sans nouvelles."},
    ),
    Past(
        "Chloé",
        "Mercier",
        24,
        FILLED | {"advice": "Une autre immersion, en vente directe, l'aiderait à choisir."},
    ),
    Past(
        "Nathan",
        "Girard",
        33,
        FILLED | {"hired": True, "contract_type": ContractType.APPRENTICESHIP},
    ),
    Past("Inès", "Bouvier", 42, FILLED | {"advice": "Continuer à chercher dans ce métier."}),
)


def email_of(story: Past) -> str:
    return f"{PREFIX}{story.first_name}.{story.last_name}@immersio.example".lower().replace(
        "é", "e"
    )


def _dates(story: Past, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=story.weeks_ago)
    return start, start + timedelta(days=4)


@transaction.atomic
def load() -> str:
    agency = Agency.objects.filter(siret=agency_siret(1)).first()
    structure = HostStructure.objects.filter(siret=demo_siret(1)).first()
    appellation = Appellation.objects.filter(pk=MARAICHER).first()
    if not (agency and structure and appellation):
        return "prescripteur, structure ou référentiels de démonstration absents : rien à faire"
    today = timezone.localdate()
    moved = 0
    for story in STORIES:
        start, end = _dates(story, today)
        email = email_of(story)
        fields = market_garden_week(
            agency=agency,
            structure=structure,
            appellation=appellation,
            start=start,
            end=end,
            objectives="\n".join(OBJECTIVES),
        ) | {
            "submitted_at": timezone.now() - timedelta(weeks=story.weeks_ago + 3),
            "validated_at": timezone.now() - timedelta(weeks=story.weeks_ago + 2),
            "beneficiary_first_name": story.first_name,
            "beneficiary_last_name": story.last_name,
            "beneficiary_situation": "demandeur",
        }
        convention = Convention.objects.filter(agency=agency, beneficiary_email=email).first()
        if convention is not None and convention.date_end == end:
            continue
        if convention is None:
            convention = Convention.objects.create(beneficiary_email=email, **fields)
        else:
            Convention.objects.filter(pk=convention.pk).update(**fields)
        moved += 1
        _assessment(convention, story, end)
    return f"{moved} immersion(s) du suivi créée(s) ou mise(s) à jour"


def _assessment(convention: Convention, story: Past, end: date) -> None:
    Assessment.objects.filter(convention=convention).delete()
    if story.weeks_ago == 0:
        return  # ends this week: not asked yet
    asked = timezone.make_aware(datetime.combine(end, time(17, 0)))
    if story.assessment is None:
        Assessment.objects.create(convention=convention, requested_at=asked)
        return
    answers = dict(story.assessment)
    no_show = answers["outcome"] == Outcome.NO_SHOW
    results = [] if no_show else [{"objective": o, "result": Achievement.MET} for o in OBJECTIVES]
    Assessment.objects.create(
        convention=convention,
        requested_at=asked,
        filled_at=asked + timedelta(days=2),
        filled_by_kind=FilledBy.TUTOR,
        filled_by_name="Julien Lefèvre",
        objectives=results,
        minutes_done=0 if no_show else 5 * 390,
        contract_start=end + timedelta(days=14) if answers.get("hired") else None,
        cosigned_at=None if no_show else asked + timedelta(days=4),
        beneficiary_agrees=None if no_show else True,
        **answers,
    )
