"""The agency's follow-up (issue 12, item 6): what an agency's team reads of its own
immersions once they are validated — those ending this week, the assessments missing,
what the immersions of the last months led to (``rules.next_step``), and the CSV export of
its conventions with their assessments (``docs/suivi-prescripteur.md`` documents the columns).

Pure reads, scoped to one agency the person is a member of (``agency_of``). Every list
costs the same number of queries whatever its length: the assessment comes with its
convention (``select_related``), the later conventions and the shared action plans are
read once for a whole list (or a chunk of the export).
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import batched
from uuid import UUID

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import Agency
from immersio.conventions import hooks as conventions_hooks
from immersio.conventions.models import Convention
from immersio.conventions.schedule import format_minutes
from immersio.conventions.transitions import IN_PROGRESS, Status

from .models import Assessment, FilledBy
from .rules import Achievement, NextStep, NextStepFacts, Outcome, next_step

#: The outcomes' charts and the assessments missing cover this many months (the current
#: one included).
FOLLOWUP_MONTHS = 12
#: The export reads its conventions this many at a time (constant memory, few queries).
EXPORT_CHUNK = 500
#: A later convention counts as « another immersion » in these statuses (sent, not
#: refused, cancelled nor left unsigned).
LATER_STATUSES = frozenset({*IN_PROGRESS, Status.VALIDATED})
#: The chart's month labels: the usual French abbreviations (« juin » and « juil. », never
#: « Jui » and « Jul »).
MONTH_ABBREVIATIONS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


# --- whose follow-up -----------------------------------------------------------------------


def agencies_of(user: User) -> QuerySet[Agency]:
    """The agencies ``user`` is an active member of, by name: the only ones whose
    follow-up they read (the Immersio team as such reads none)."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return (
        Agency.objects.filter(memberships__user=user, memberships__is_active=True)
        .distinct()
        .order_by("name", "pk")
    )


def agency_of(user: User, public_id: UUID) -> Agency | None:
    return agencies_of(user).filter(public_id=public_id).first()


# --- dates ---------------------------------------------------------------------------------


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week of ``today`` (a local date: Paris time)."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def months_until(today: date, count: int = FOLLOWUP_MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    first = today.replace(day=1)
    return [first - relativedelta(months=n) for n in range(count - 1, -1, -1)]


# --- the assessment of a convention --------------------------------------------------------


def assessment_of(convention: Convention) -> Assessment | None:
    """The assessment read with the convention (``select_related("assessment")``)."""
    return getattr(convention, "assessment", None)


@dataclass(frozen=True)
class State:
    """Where an assessment stands, in words (the pages never compare statuses)."""

    label: str
    since: datetime | None = None
    done: bool = False


def state_of(assessment: Assessment | None) -> State:
    if assessment is None or (assessment.requested_at is None and not assessment.is_filled):
        return State("Pas encore demandé")
    if not assessment.is_filled:
        return State("Demandé au tuteur", assessment.requested_at)
    if assessment.is_no_show:
        return State("Rempli : pas présenté·e", assessment.filled_at, done=True)
    if assessment.cosigned_at is not None:
        return State("Rempli et cosigné", assessment.cosigned_at, done=True)
    return State("Rempli, à cosigner", assessment.filled_at, done=True)


def last_sent(assessment: Assessment | None) -> datetime | None:
    """When the tutor last received their link: the request, a reminder, or a resending."""
    if assessment is None:
        return None
    moments = [assessment.requested_at, assessment.link_resent_at]
    for value in (assessment.reminded_at or {}).values():
        try:
            moments.append(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


# --- the lists -----------------------------------------------------------------------------


def immersions(agency: Agency) -> QuerySet[Convention]:
    """The agency's validated immersions in force (an amended one counts through its
    amendment), with their assessment."""
    return Convention.objects.filter(
        agency=agency,
        status=Status.VALIDATED,
        replaced_at__isnull=True,
        archived_at__isnull=True,
        date_end__isnull=False,
    ).select_related("assessment", "appellation")


def ending_this_week(agency: Agency, today: date) -> QuerySet[Convention]:
    monday, sunday = week_of(today)
    return immersions(agency).filter(date_end__range=(monday, sunday)).order_by("date_end", "pk")


def missing_assessments(agency: Agency, today: date) -> QuerySet[Convention]:
    """Ended (before today) within the last ``FOLLOWUP_MONTHS`` months, no assessment
    filled yet: the oldest first."""
    since = months_until(today)[0]
    return (
        immersions(agency)
        .filter(date_end__lt=today, date_end__gte=since, anonymised_at__isnull=True)
        .exclude(assessment__filled_at__isnull=False)
        .order_by("date_end", "pk")
    )


def week_row(convention: Convention) -> dict:
    assessment = assessment_of(convention)
    return {"convention": convention, "state": state_of(assessment)}


def missing_row(convention: Convention, today: date) -> dict:
    assessment = assessment_of(convention)
    return {
        "convention": convention,
        "state": state_of(assessment),
        "days": (today - convention.date_end).days,
        "last_sent": last_sent(assessment),
        # « Renvoyer le lien »: the assessments' own action (``services.resend_link``).
        "can_resend": assessment is not None
        and assessment.requested_at is not None
        and bool(convention.tutor_email),
    }


# --- what the immersions led to ------------------------------------------------------------


def _later_conventions(agency: Agency, conventions: list[Convention]) -> set[int]:
    """The pks of ``conventions`` followed by a renewal, or by a later convention of the
    same beneficiary (same address) with the same agency: one query."""
    emails = {(c.beneficiary_email or "").lower() for c in conventions} - {""}
    pks = [c.pk for c in conventions]
    rows = (
        Convention.objects.filter(agency=agency, status__in=LATER_STATUSES)
        .annotate(email=Lower("beneficiary_email"))
        .filter(Q(email__in=emails) | Q(renews_id__in=pks))
        .values_list("pk", "email", "date_start", "renews_id")
    )
    starts: dict[str, list[tuple[int, date | None]]] = {}
    renewed: set[int] = set()
    for pk, email, start, renews in rows:
        if renews is not None:
            renewed.add(renews)
        if email:
            starts.setdefault(email, []).append((pk, start))
    found = set()
    for convention in conventions:
        email = (convention.beneficiary_email or "").lower()
        others = starts.get(email, []) if email else []
        later = any(
            pk != convention.pk and start is not None and start > convention.date_end
            for pk, start in others
        )
        if later or convention.pk in renewed:
            found.add(convention.pk)
    return found


def _shared_plans(conventions: list[Convention]) -> dict[int, set[str]]:
    pks = [c.pk for c in conventions]
    found: dict[int, set[str]] = {}
    for function in conventions_hooks.shared_next_steps:
        for pk, steps in function(pks).items():
            found.setdefault(pk, set()).update(steps)
    return found


def next_steps(agency: Agency, conventions: list[Convention]) -> dict[int, NextStep]:
    """Convention pk → what it led to (``rules.next_step``), for a list in two queries."""
    later = _later_conventions(agency, conventions)
    plans = _shared_plans(conventions)
    found = {}
    for convention in conventions:
        assessment = assessment_of(convention)
        facts = NextStepFacts(
            hired=bool(assessment and assessment.hired),
            advice=(assessment.advice if assessment else "") or "",
            later_convention=convention.pk in later,
            plan=frozenset(plans.get(convention.pk, ())),
        )
        found[convention.pk] = next_step(facts)
    return found


#: The order of the outcomes in the charts, the tables and the legend.
NEXT_STEPS = (NextStep.HIRED, NextStep.TRAINING, NextStep.IMMERSION, NextStep.NONE)


def outcomes(agency: Agency, today: date) -> list[dict]:
    """Per month of the last ``FOLLOWUP_MONTHS``: how many immersions ended (by today),
    and how many led to each ``NextStep``."""
    months = months_until(today)
    ended = list(
        immersions(agency)
        .filter(date_end__gte=months[0], date_end__lte=today)
        .order_by("date_end", "pk")
    )
    steps = next_steps(agency, ended)
    rows = {
        month: {"month": month, "ended": 0, **{s.value: 0 for s in NEXT_STEPS}} for month in months
    }
    for convention in ended:
        row = rows[convention.date_end.replace(day=1)]
        row["ended"] += 1
        row[steps[convention.pk].value] += 1
    for row in rows.values():
        row["counts"] = [row[step.value] for step in NEXT_STEPS]
    return list(rows.values())


def totals(rows: list[dict]) -> list[dict]:
    """The outcomes over the whole period, with their share of the ended immersions."""
    ended = sum(row["ended"] for row in rows)
    found = []
    for step in NEXT_STEPS:
        count = sum(row[step.value] for row in rows)
        found.append(
            {
                "key": step.value,
                "label": step.label,
                "count": count,
                "percent": round(100 * count / ended) if ended else 0,
            }
        )
    return found


# --- charts (server-rendered SVG: no script, no inline style) ------------------------------

CHART_WIDTH = 360
CHART_HEIGHT = 220
CHART_LEFT = 28
CHART_TOP = 12
CHART_BOTTOM = 30
#: One colour per outcome (contrast 3:1 at least against white, told apart by the legend
#: and the table too).
COLOURS = {
    NextStep.HIRED: "#1d5c46",
    NextStep.TRAINING: "#9a6b00",
    NextStep.IMMERSION: "#2f5f98",
    NextStep.NONE: "#6c757d",
}


def monthly_chart(rows: list[dict]) -> dict:
    """A stacked bar per month (one segment per outcome), as SVG geometry."""
    top = max([row["ended"] for row in rows] + [1])
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(rows), 1)
    width = round(slot * 0.7, 1)
    bars = []
    for index, row in enumerate(rows):
        x = round(CHART_LEFT + index * slot + (slot - width) / 2, 1)
        y = CHART_TOP + plot
        segments = []
        for step in NEXT_STEPS:
            value = row[step.value]
            if not value:
                continue
            height = plot * value / top
            y -= height
            segments.append(
                {
                    "y": round(y, 1),
                    "height": round(height, 1),
                    "colour": COLOURS[step],
                    "title": f"{step.label} : {value}",
                }
            )
        bars.append(
            {
                "x": x,
                "width": width,
                "segments": segments,
                "label_x": round(x + width / 2, 1),
                "label": MONTH_ABBREVIATIONS[row["month"].month - 1],
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "top": top,
        "top_y": CHART_TOP,
        "baseline": CHART_TOP + plot,
        "label_y": CHART_TOP + plot + 16,
        "left": CHART_LEFT,
        "axis_x": CHART_LEFT - 4,
    }


def totals_chart(items: list[dict]) -> dict:
    """One horizontal bar per outcome, its label above it, as SVG geometry."""
    row_height = 44
    # Room right of the longest bar for its value, « 100 (100 %) » at 12 px at most.
    label_room = 96
    span = CHART_WIDTH - label_room
    top = max([item["count"] for item in items] + [1])
    rows = []
    for index, item in enumerate(items):
        y = index * row_height
        rows.append(
            {
                "label": item["label"],
                "label_y": y + 14,
                "y": y + 20,
                "width": round(span * item["count"] / top, 1),
                "value": item["count"],
                "percent": item["percent"],
                "value_x": round(span * item["count"] / top + 6, 1),
                "value_y": y + 34,
                "colour": COLOURS[NextStep(item["key"])],
            }
        )
    return {"width": CHART_WIDTH, "height": row_height * len(items), "rows": rows}


# --- the CSV export ------------------------------------------------------------------------

#: Cells a spreadsheet would read as a formula (CSV injection) start with one of these;
#: they are prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The columns of the export, in order (``docs/suivi-prescripteur.md`` says what each holds).
COLUMNS = (
    "Référence",
    "État de la convention",
    "Date de début",
    "Date de fin",
    "Durée prévue",
    "Métier",
    "Structure d'accueil",
    "SIRET de la structure",
    "Conseiller référent",
    "Prénom du bénéficiaire",
    "Nom du bénéficiaire",
    "Renouvellement de",
    "Bilan",
    "Bilan demandé le",
    "Bilan rempli le",
    "Rempli par",
    "Déroulement",
    "Temps effectué",
    "Objectifs atteints",
    "Objectifs partiellement atteints",
    "Objectifs non atteints",
    "Embauche",
    "Type de contrat",
    "Début du contrat",
    "Avis du bénéficiaire",
    "Cosigné le",
    "Suite",
)


def neutralise(value: object) -> str:
    """A cell as text, never read as a formula by a spreadsheet."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def export_conventions(agency: Agency, start: date, end: date) -> QuerySet[Convention]:
    """The agency's conventions (sent at least once, not archived) whose immersion falls,
    in whole or in part, between ``start`` and ``end``."""
    return (
        Convention.objects.filter(
            agency=agency, archived_at__isnull=True, date_start__lte=end, date_end__gte=start
        )
        .exclude(status=Status.DRAFT, version=0)
        .select_related("assessment", "appellation", "renews")
        .order_by("date_start", "pk")
    )


def _count(results: list[dict], achievement: str) -> int:
    return sum(1 for row in results if row.get("result") == achievement)


def export_row(convention: Convention, step: NextStep | None) -> list[str]:
    assessment = assessment_of(convention)
    filled = assessment is not None and assessment.is_filled
    cells: list[object] = [
        convention.reference,
        convention.status_label,
        _day(convention.date_start),
        _day(convention.date_end),
        format_minutes(convention.total_minutes),
        convention.appellation.label if convention.appellation else "",
        convention.host_name,
        convention.host_siret,
        convention.counsellor_name,
        convention.beneficiary_first_name,
        convention.beneficiary_last_name,
        convention.renews.reference if convention.renews else "",
    ]
    if convention.status == Status.VALIDATED:
        cells.append(state_of(assessment).label)
    else:
        cells.append("")
    if filled:
        results = assessment.objectives or []
        cells += [
            _day(assessment.requested_at),
            _day(assessment.filled_at),
            FilledBy(assessment.filled_by_kind).label if assessment.filled_by_kind else "",
            Outcome(assessment.outcome).label if assessment.outcome else "",
            assessment.hours_done,
            _count(results, Achievement.MET),
            _count(results, Achievement.PARTLY),
            _count(results, Achievement.NOT_MET),
            "oui" if assessment.hired else "non",
            assessment.get_contract_type_display() if assessment.hired else "",
            _day(assessment.contract_start),
            {True: "d'accord", False: "pas d'accord"}.get(assessment.beneficiary_agrees, ""),
            _day(assessment.cosigned_at),
        ]
    else:
        requested = assessment.requested_at if assessment is not None else None
        cells += [_day(requested), *[""] * 12]
    cells.append(step.label if step is not None else "")
    return [neutralise(cell) for cell in cells]


class _Echo:
    """A file-like object whose ``write`` returns what it is given (``csv.writer`` into
    a streamed response)."""

    def write(self, value: str) -> str:
        return value


def export_lines(agency: Agency, start: date, end: date, today: date) -> Iterator[str]:
    """The CSV, line by line: a byte order mark and ``;`` between cells, as French
    spreadsheets open it; the conventions read ``EXPORT_CHUNK`` at a time."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(COLUMNS)
    rows: Iterable[Convention] = export_conventions(agency, start, end).iterator(
        chunk_size=EXPORT_CHUNK
    )
    for chunk in batched(rows, EXPORT_CHUNK):
        ended = [
            c for c in chunk if c.status == Status.VALIDATED and c.date_end and c.date_end <= today
        ]
        steps = next_steps(agency, ended) if ended else {}
        for convention in chunk:
            yield writer.writerow(export_row(convention, steps.get(convention.pk)))
