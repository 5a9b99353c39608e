"""The tutor's assessment of an immersion (bilan), as pure rules.

``check(answers, facts)`` takes plain data (no database) and returns a list of
``Violation`` (field, code, French message), like ``conventions.rules``. The legal basis:
the tutor evaluates (D5135-5), non-achievement of the objectives is the condition of a
renewal (D5135-3); the shape follows the public platform (``pmsmp-rules.md`` §7.6).
"""

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import TextChoices

from immersio.conventions.hooks import NEXT_IMMERSION, NEXT_TRAINING
from immersio.conventions.schedule import Schedule, day_minutes, format_minutes
from immersio.core.violations import Violation

#: The tutor's link works this many days (then the page offers a new one).
ASSESSMENT_LINK_DAYS = 30
#: Reminders to the tutor, in days after the first e-mail, if nothing is filled; the last
#: one also goes to the agency's référent conseiller.
REMINDER_DAYS = (3, 10)
#: A conseiller sends the link again at most once in this many hours.
RESEND_COOLDOWN_HOURS = 24
#: The daily job still asks for an assessment this many days after the end (a missed run).
CATCH_UP_DAYS = 7

APPRECIATION_MAX = 4000
ADVICE_MAX = 4000
COMMENT_MAX = 1000
NO_SHOW_REASON_MAX = 1000
BENEFICIARY_COMMENT_MAX = 3000
CORRECTION_REASON_MAX = 1000
#: The beneficiary's message with a request for a renewal.
RENEWAL_MESSAGE_MAX = 1000
FREE_SKILLS_MAX = 3
SKILL_MAX = 200


class Outcome(TextChoices):
    COMPLETED = "realisee", "Réalisée"
    PARTIAL = "partielle", "Partiellement réalisée"
    NO_SHOW = "absent", "Pas présenté·e"


class Achievement(TextChoices):
    MET = "atteint", "Atteint"
    PARTLY = "partiel", "Partiellement atteint"
    NOT_MET = "non_atteint", "Non atteint"


class Level(TextChoices):
    BEGINNER = "debutant", "Débutant"
    PROGRESSING = "progression", "En progression"
    MASTERED = "maitrise", "Maîtrisé"


class ContractType(TextChoices):
    CDI = "cdi", "CDI"
    CDD_LONG = "cdd_6_mois_plus", "CDD de 6 mois ou plus"
    CDD_SHORT = "cdd_moins_6_mois", "CDD de moins de 6 mois"
    APPRENTICESHIP = "alternance", "Alternance"
    AIDED = "contrat_aide", "Contrat aidé"
    INSERTION = "contrat_insertion", "Contrat d'insertion"
    OTHER = "autre", "Autre"


@dataclass(frozen=True)
class ConventionFacts:
    """What the rules need of the convention."""

    date_start: date
    date_end: date
    schedule: Schedule
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectiveResult:
    objective: str
    result: str
    comment: str = ""


@dataclass(frozen=True)
class SkillLevel:
    skill: str
    level: str
    free: bool = False


@dataclass(frozen=True)
class Answers:
    """What the tutor (or the conseiller in their place) answered."""

    outcome: str
    last_day: date | None = None
    missed_minutes: int = 0
    no_show_reason: str = ""
    objectives: tuple[ObjectiveResult, ...] = ()
    skills: tuple[SkillLevel, ...] = field(default_factory=tuple)
    appreciation: str = ""
    advice: str = ""
    hired: bool = False
    contract_type: str = ""
    contract_start: date | None = None


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def scheduled_minutes_until(schedule: Schedule, day: date) -> int:
    """Minutes of presence planned from the start up to ``day`` included."""
    return sum(day_minutes(d.slots) for d in schedule.days if d.day <= day)


def hours_done(answers: Answers, facts: ConventionFacts) -> int:
    """Minutes actually done, as the public platform derives them: none for a no-show,
    the whole schedule for a completed immersion, the schedule up to the last day minus
    the missed time for a partial one."""
    if answers.outcome == Outcome.NO_SHOW:
        return 0
    if answers.outcome == Outcome.PARTIAL and answers.last_day is not None:
        planned = scheduled_minutes_until(facts.schedule, answers.last_day)
        return max(0, planned - answers.missed_minutes)
    return scheduled_minutes_until(facts.schedule, facts.date_end)


def check_outcome(answers: Answers, facts: ConventionFacts) -> Iterator[Violation]:
    if answers.outcome not in Outcome.values:
        yield Violation("outcome", "outcome_missing", "Dites si l'immersion a eu lieu.")
        return
    if answers.outcome == Outcome.NO_SHOW and not answers.no_show_reason.strip():
        yield Violation(
            "no_show_reason",
            "no_show_reason_missing",
            "Indiquez pourquoi la personne ne s'est pas présentée (si vous le savez, "
            "sinon écrivez « sans nouvelles »).",
        )
    if answers.outcome != Outcome.PARTIAL:
        return
    if answers.last_day is None:
        yield Violation("last_day", "last_day_missing", "Indiquez le dernier jour de présence.")
        return
    if not facts.date_start <= answers.last_day <= facts.date_end:
        yield Violation(
            "last_day",
            "last_day_outside",
            f"Le dernier jour de présence doit être compris entre le {_d(facts.date_start)} "
            f"et le {_d(facts.date_end)}, les dates de la convention.",
        )
        return
    if answers.missed_minutes < 0:
        yield Violation("missed", "missed_negative", "Le temps manqué ne peut pas être négatif.")
        return
    planned = scheduled_minutes_until(facts.schedule, answers.last_day)
    if answers.missed_minutes > planned:
        yield Violation(
            "missed",
            "missed_too_many",
            f"Le temps manqué dépasse les heures prévues jusqu'au {_d(answers.last_day)} "
            f"({format_minutes(planned)}).",
        )


def check_objectives(answers: Answers, facts: ConventionFacts) -> Iterator[Violation]:
    if answers.outcome == Outcome.NO_SHOW:
        return
    given = {o.objective: o for o in answers.objectives}
    for index, objective in enumerate(facts.objectives):
        result = given.get(objective)
        if result is None or result.result not in Achievement.values:
            yield Violation(
                f"objective_{index}",
                "objective_missing",
                f"Dites si l'objectif « {objective} » est atteint.",
            )
        elif len(result.comment) > COMMENT_MAX:
            yield Violation(
                f"objective_{index}_comment",
                "comment_too_long",
                f"Le commentaire dépasse {COMMENT_MAX} caractères.",
            )


def check_skills(answers: Answers, facts: ConventionFacts) -> Iterator[Violation]:
    free = [s for s in answers.skills if s.free]
    if len(free) > FREE_SKILLS_MAX:
        yield Violation(
            "skills", "too_many_skills", f"Ajoutez au plus {FREE_SKILLS_MAX} autres compétences."
        )
    for skill in answers.skills:
        if skill.level not in Level.values:
            yield Violation(
                "skills", "level_missing", f"Choisissez un niveau pour « {skill.skill} »."
            )


def check_texts(answers: Answers, facts: ConventionFacts) -> Iterator[Violation]:
    if answers.outcome == Outcome.NO_SHOW:
        return
    if not answers.appreciation.strip():
        yield Violation(
            "appreciation", "appreciation_missing", "Donnez votre appréciation générale."
        )


def check_hiring(answers: Answers, facts: ConventionFacts) -> Iterator[Violation]:
    if not answers.hired:
        return
    if answers.contract_type not in ContractType.values:
        yield Violation("contract_type", "contract_type_missing", "Choisissez le type de contrat.")
    if answers.contract_start is None:
        yield Violation(
            "contract_start", "contract_start_missing", "Indiquez la date de début du contrat."
        )
    elif answers.contract_start < facts.date_start:
        yield Violation(
            "contract_start",
            "contract_before_immersion",
            f"Le contrat ne peut pas commencer avant l'immersion (le {_d(facts.date_start)}).",
        )


CHECKS = (check_outcome, check_objectives, check_skills, check_texts, check_hiring)


def check(answers: Answers, facts: ConventionFacts) -> list[Violation]:
    return [v for rule in CHECKS for v in rule(answers, facts)]


def check_cosign(*, agrees: bool | None, comment: str) -> list[Violation]:
    """The beneficiary agrees, or disagrees and says why."""
    if agrees is None:
        return [Violation("agrees", "agreement_missing", "Dites si vous êtes d'accord.")]
    if not agrees and not comment.strip():
        return [
            Violation(
                "comment",
                "comment_required",
                "Vous n'êtes pas d'accord : dites avec quoi, en quelques mots.",
            )
        ]
    return []


def reminder_due(requested: date, today: date, days: int) -> bool:
    """Whether the reminder of ``days`` after the first e-mail is due on ``today``."""
    return today >= requested + timedelta(days=days)


def objectives_not_met(results: Sequence[dict]) -> bool:
    """At least one objective not (fully) met: the condition of a renewal (D5135-3)."""
    return any(r.get("result") in {Achievement.NOT_MET, Achievement.PARTLY} for r in results)


# --- what came next (the agency's follow-up) -----------------------------------------------


class NextStep(TextChoices):
    """What an ended immersion led to, as the agency's follow-up counts it."""

    HIRED = "embauche", "Embauche"
    TRAINING = "formation", "Formation"
    IMMERSION = "immersion", "Autre immersion"
    NONE = "aucune", "Pas de suite connue"


#: Words of the tutor's advice that point to a training (lower case, without accents).
TRAINING_WORDS = ("formation", "se former", "diplome", "certification", "qualification")
#: Words of the tutor's advice that point to another immersion.
IMMERSION_WORDS = ("autre immersion", "nouvelle immersion", "seconde immersion")
#: What the beneficiary's shared action plan says (``conventions.hooks.shared_next_steps``).
PLAN_TRAINING = NEXT_TRAINING
PLAN_IMMERSION = NEXT_IMMERSION


@dataclass(frozen=True)
class NextStepFacts:
    """What the platform knows of what followed one immersion."""

    #: The tutor's assessment says it leads to a hiring.
    hired: bool = False
    #: The tutor's advice for what comes next (free text).
    advice: str = ""
    #: A renewal of this convention, or a later convention of the same beneficiary with
    #: the same agency, was sent (and neither refused nor cancelled).
    later_convention: bool = False
    #: What the beneficiary's shared action plan plans: ``PLAN_TRAINING``, ``PLAN_IMMERSION``.
    plan: frozenset[str] = frozenset()


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def next_step(facts: NextStepFacts) -> NextStep:
    """The one outcome an immersion counts for, the most certain first: a hiring the
    tutor recorded; another immersion that exists (a renewal or a later convention); a
    training the beneficiary planned or the tutor advised; another immersion planned or
    advised; otherwise none known."""
    if facts.hired:
        return NextStep.HIRED
    if facts.later_convention:
        return NextStep.IMMERSION
    advice = _plain(facts.advice)
    if PLAN_TRAINING in facts.plan or any(word in advice for word in TRAINING_WORDS):
        return NextStep.TRAINING
    if PLAN_IMMERSION in facts.plan or any(word in advice for word in IMMERSION_WORDS):
        return NextStep.IMMERSION
    return NextStep.NONE
