"""The PDF of a signed assessment: rendered from data with WeasyPrint, like the
convention's (``conventions.pdf``: French typography, no network, tagged PDF/A-3a, A4).

``printed(assessment, corrections)`` is everything the document says, as plain strings
and lists: the SHA-256 of its JSON names the content (``content_digest``), so the same
content is rendered once and a correction makes a new version. ``render`` turns it into
bytes. Nothing sensitive of the convention is read here (birth date, situation, RQTH,
RSA, help needed, emergency contact: ``conventions.selectors.SENSITIVE_FIELDS``), and no
address or phone number: names, the structure, the dates and the assessment only.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from immersio.conventions import pdf as convention_pdf
from immersio.conventions.schedule import format_minutes

from .models import Assessment, AssessmentEvent
from .rules import Achievement, ContractType, Level, Outcome

TEMPLATE = "assessments/pdf/assessment.html"
STYLESHEET = (
    Path(settings.BASE_DIR) / "immersio" / "templates" / "assessments" / "pdf" / "assessment.css"
)


def _date(day: date | None) -> str:
    return convention_pdf.french_date(day) if day else ""


def _moment(moment: datetime | None) -> str:
    """« 3 mars 2027 à 14 h 05 » in Paris time."""
    if moment is None:
        return ""
    local = moment.astimezone(convention_pdf.PARIS)
    return (
        f"{convention_pdf.french_date(local.date())} à {convention_pdf.french_time(local.time())}"
    )


def _duration(minutes: int) -> str:
    return format_minutes(minutes).replace(" ", convention_pdf.NBSP)


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def printed(assessment: Assessment, corrections: Sequence[AssessmentEvent]) -> dict:
    """What the PDF says, as JSON-ready values (strings, lists, booleans)."""
    convention = assessment.convention
    achievements = dict(Achievement.choices)
    levels = dict(Level.choices)
    agency = convention.agency
    appellation = convention.appellation
    return {
        "reference": convention.reference,
        "beneficiary": _name(convention.beneficiary_first_name, convention.beneficiary_last_name),
        "host_name": convention.host_name,
        "host_siret": convention.host_siret,
        "tutor": convention.tutor_name,
        "tutor_function": convention.tutor_function,
        "agency": agency.name if agency else "",
        "counsellor": convention.counsellor_name,
        "appellation": appellation.label if appellation else "",
        "date_start": _date(convention.date_start),
        "date_end": _date(convention.date_end),
        "planned": _duration(convention.total_minutes),
        "outcome": assessment.outcome,
        "outcome_label": Outcome(assessment.outcome).label if assessment.outcome else "",
        "completed": assessment.outcome == Outcome.COMPLETED,
        "partial": assessment.outcome == Outcome.PARTIAL,
        "no_show": assessment.outcome == Outcome.NO_SHOW,
        "last_day": _date(assessment.last_day),
        "missed": _duration(assessment.missed_minutes),
        "no_show_reason": assessment.no_show_reason,
        "done": _duration(assessment.minutes_done),
        "objectives": [
            {
                "objective": row.get("objective", ""),
                "result": achievements.get(row.get("result", ""), ""),
                "comment": row.get("comment", ""),
            }
            for row in assessment.objectives or []
        ],
        "skills": [
            {
                "skill": row.get("skill", ""),
                "level": levels.get(row.get("level", ""), ""),
                "free": bool(row.get("free")),
            }
            for row in assessment.skills or []
        ],
        "appreciation": assessment.appreciation,
        "advice": assessment.advice,
        "hired": assessment.hired,
        "contract_type": (
            ContractType(assessment.contract_type).label if assessment.contract_type else ""
        ),
        "contract_start": _date(assessment.contract_start),
        "filled_by": assessment.filled_by_name,
        "filled_by_kind": assessment.get_filled_by_kind_display(),
        "filled_at": _moment(assessment.filled_at),
        "agrees": assessment.beneficiary_agrees,
        "beneficiary_comment": assessment.beneficiary_comment,
        "cosigned_at": _moment(assessment.cosigned_at),
        "corrections": [
            {
                "by": event.by_name,
                "at": _moment(event.at),
                "reason": event.reason,
                "changes": list(event.changes or []),
            }
            for event in corrections
        ],
    }


def content_digest(content: dict) -> str:
    """The SHA-256 of what a PDF says (canonical JSON): equal contents, equal digests."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def render_html(content: dict, *, number: int) -> str:
    context = {"c": content, "number": number, "digest": content_digest(content)}
    return convention_pdf.french_typography(render_to_string(TEMPLATE, context))


def render(content: dict, *, number: int) -> bytes:
    """The PDF of ``content`` (from :func:`printed`), version ``number``."""
    return convention_pdf.html_to_pdf(render_html(content, number=number), stylesheet=STYLESHEET)
