"""The PDF of a convention: rendered from data with WeasyPrint, never from a page a browser
saw, and without any network access.

``render_convention_pdf`` builds plain French strings from the convention (dates, hours,
labels), renders ``conventions/pdf/convention.html`` with Django's template engine
(autoescaped: a text typed by someone can never become markup), applies French
typography to the text, and hands the HTML to WeasyPrint with ``convention.css`` read
from disk. WeasyPrint's ``url_fetcher`` is :class:`LocalOnlyFetcher`: every URL is
refused except the few files of ours listed in ``LOCAL_FILES`` (the logo), so neither the
template nor a typed text can make the renderer open a connection or read another file.
The file is a tagged PDF/A-3a: kept for years, read by screen readers.

The lifecycle (who renders when, where the bytes are stored) is not here: this module
only turns a version of a convention and its signature evidence into bytes. See
``docs/conventions-pdf.md``.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string

from immersio.core.vocabulary import ImmersionObject

from . import schedule as schedules

if TYPE_CHECKING:
    from .models import Convention

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
TEMPLATE = "conventions/pdf/convention.html"
IMMERSIO_DIR = Path(settings.BASE_DIR) / "immersio"
# What every PDF shares (page, type, headings), then each document's own stylesheet.
BASE_STYLESHEET = IMMERSIO_DIR / "templates" / "core" / "pdf" / "document.css"
STYLESHEET = IMMERSIO_DIR / "templates" / "conventions" / "pdf" / "convention.css"
# Relative URLs of the template resolve here, and only these files may be read.
BASE_DIR = IMMERSIO_DIR / "static"
LOCAL_FILES = frozenset({(BASE_DIR / "img" / "logo.svg").resolve()})

# PDF/A-3a: an archival PDF (fonts embedded, colours defined, nothing outside the file)
# that is also tagged (headings, tables and lists for screen readers).
PDF_VARIANT = "pdf/a-3a"
OUTPUT_INTENT = "immersio-srgb"

SHA256 = re.compile(r"[0-9a-f]{64}")
NBSP = "\u00a0"  # before « : » and inside « guillemets »
NNBSP = "\u202f"  # narrow, before « ; ! ? »

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class EvidenceLine:
    """One line of the « Preuves de signature » page: who did what, when, how, from where,
    on which version.

    ``role``: « Bénéficiaire », « Structure d'accueil »…; ``action``: « a signé »,
    « a validé (valideur) », « signature papier numérisée »…; ``at``: an aware datetime
    (printed in Paris time); ``method``: « code à usage unique envoyé par e-mail »…;
    ``ip_address``: empty when there is none (a paper signature); ``version_sha256``: the
    SHA-256 of the canonical content of the version this person signed.
    """

    role: str
    name: str
    action: str
    at: datetime
    method: str
    ip_address: str
    version_sha256: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("EvidenceLine.at must be an aware datetime.")
        if not SHA256.fullmatch(self.version_sha256):
            raise ValueError("EvidenceLine.version_sha256 must be 64 lowercase hex digits.")


# --- French typography -------------------------------------------------------------------


def _nbsp(text: str) -> str:
    return text.replace(" ", NBSP)


def french_date(day: date, *, weekday: bool = False) -> str:
    """« 3 mars 2027 », « 1er mai 2027 »; with ``weekday``: « lundi 3 mars 2027 »."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number}{NBSP}{MONTHS[day.month - 1]}{NBSP}{day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_time(value: time) -> str:
    """« 8 h 30 », « 14 h » (never « 14 h 00 »)."""
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"


def french_datetime(moment: datetime) -> str:
    """An aware datetime in Paris time, to the second, for the evidence:
    « 3 mars 2027 à 14 h 05 min 09 s »."""
    local = moment.astimezone(PARIS)
    return (
        f"{french_date(local.date())} à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"
        f"{NBSP}min{NBSP}{local.second:02d}{NBSP}s"
    )


def french_duration(minutes: int) -> str:
    """« 7 h », « 7 h 30 »."""
    return _nbsp(schedules.format_minutes(minutes))


def french_slot(slot: schedules.Slot) -> str:
    return f"{french_time(slot[0])} – {french_time(slot[1])}"


# An e-mail address (left as it is), or an apostrophe (escaped by Django or not).
_APOSTROPHE = re.compile(r"[^\s@<>]*@[^\s<>]+|&#x27;|'")


def french_text(text: str) -> str:
    """Typography of a text node (already HTML-escaped): a non-breaking space before « : »
    and inside guillemets, a narrow one before « ; ! ? », typographic apostrophes. Only
    spaces already typed become non-breaking: « http://… » or « 14:05 » stay as they are,
    and an e-mail address keeps its straight apostrophe (o'neil@… is another address).
    """
    text = _APOSTROPHE.sub(lambda match: match[0] if "@" in match[0] else "’", text)
    text = re.sub(r"[ \u00a0\u202f]+:", NBSP + ":", text)
    text = re.sub(r"[ \u00a0\u202f]+([;!?])", NNBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    return re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)


_TEXT_NODE = re.compile(r">([^<]+)<")


def french_typography(html: str) -> str:
    """:func:`french_text` on every text node of ``html`` (tags and attributes untouched)."""
    return _TEXT_NODE.sub(lambda match: ">" + french_text(match.group(1)) + "<", html)


# --- No network --------------------------------------------------------------------------


class RefusedURL(ValueError):
    """The PDF renderer asked for a URL that is not one of our local files."""


@cache
def _weasyprint():  # imported on first use: pango is loaded only by the process that renders
    import weasyprint

    return weasyprint


@cache
def local_only_fetcher():
    """A WeasyPrint URL fetcher that reads only ``LOCAL_FILES`` and refuses everything else
    (http, https, ftp, data, any other file), logging each refusal. One per process: it
    holds no state, and building one costs an SSL context."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcherResponse

    class LocalOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: dict | None = None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(unquote(parts.path)).resolve()
                if path in LOCAL_FILES:
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": _mime(path)}
                    )
            logger.warning("PDF de convention : adresse refusée %s", url[:200])
            raise RefusedURL(url[:200])

    return LocalOnlyFetcher()


def _mime(path: Path) -> str:
    return {".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css"}.get(
        path.suffix, "application/octet-stream"
    )


@cache
def _stylesheet(path: Path = STYLESHEET):
    weasyprint = _weasyprint()
    return weasyprint.CSS(
        string=path.read_text("utf-8"),
        base_url=BASE_DIR.as_uri() + "/",
        url_fetcher=local_only_fetcher(),
    )


def html_to_pdf(html: str, *, stylesheet: Path = STYLESHEET) -> bytes:
    """WeasyPrint, offline: base URL pinned to our static folder, every resource the HTML
    or the stylesheet names (image, ``<link>``, ``@import``, font) going through
    :func:`local_only_fetcher`, which refuses all but ``LOCAL_FILES``. ``stylesheet``: the
    document's CSS file, read after ``BASE_STYLESHEET`` (the assessment's PDF has its own)."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(
        string=html, base_url=BASE_DIR.as_uri() + "/", url_fetcher=local_only_fetcher()
    )
    return document.write_pdf(
        stylesheets=[_stylesheet(BASE_STYLESHEET), _stylesheet(stylesheet)],
        pdf_variant=PDF_VARIANT,
        output_intent=OUTPUT_INTENT,
        color_profiles={OUTPUT_INTENT: _output_profile()},
    )


@cache
def _srgb_icc() -> bytes:
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _output_profile():
    """The sRGB profile PDF/A asks for, built from bytes read once. WeasyPrint's own
    (``output_intent="srgb"``) opens the file on every render and never closes it."""
    from weasyprint.css import ColorProfile

    return ColorProfile(
        io.BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )


# --- The document ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    day: str  # « lundi 9 mars 2026 »
    slots: str  # « 8 h – 12 h, 13 h – 16 h »
    duration: str  # « 7 h »


@dataclass(frozen=True)
class WeekRows:
    label: str  # « Semaine du 9 mars 2026 »
    rows: tuple[ScheduleRow, ...]
    days: str  # « 5 jours »
    hours: str  # « 35 h »


def schedule_weeks(schedule: schedules.Schedule) -> list[WeekRows]:
    """The schedule as table rows, grouped by calendar week (Monday to Sunday)."""
    weeks: dict[schedules.IsoWeek, list[tuple[date, tuple[schedules.Slot, ...]]]] = {}
    for day, slots in schedule.slots_by_day().items():
        if slots:
            weeks.setdefault(schedules.IsoWeek.of(day), []).append((day, slots))
    result = []
    for week, days in weeks.items():
        minutes = sum(schedules.day_minutes(slots) for _, slots in days)
        rows = tuple(
            ScheduleRow(
                day=french_date(day, weekday=True),
                slots=", ".join(french_slot(slot) for slot in sorted(slots)),
                duration=french_duration(schedules.day_minutes(slots)),
            )
            for day, slots in days
        )
        count = len(days)
        result.append(
            WeekRows(
                label=f"Semaine du {french_date(week.monday)}",
                rows=rows,
                days=f"{count}{NBSP}jour{'s' if count > 1 else ''}",
                hours=french_duration(minutes),
            )
        )
    return result


def _parties(convention: Convention) -> dict:
    """The prescriber and the accompanying structure: a structure d'accompagnement works
    for the prescriber it refers to (its valideurs validate); otherwise the prescriber
    accompanies the beneficiary itself."""
    agency = convention.agency
    if agency is None:
        return {"prescriber": None, "accompanying": None}
    referring = agency.referring_agency if agency.referring_agency_id else None
    if referring is not None:
        return {"prescriber": _agency(referring), "accompanying": _agency(agency)}
    return {"prescriber": _agency(agency), "accompanying": None}


def _agency(agency) -> dict:
    commune = agency.commune
    place = " ".join(part for part in (agency.postal_code, commune.name if commune else "") if part)
    return {
        "name": agency.name,
        "kind": agency.kind_label,
        "siret": agency.siret,
        "address": ", ".join(part for part in (agency.address, place) if part),
    }


def _place(convention: Convention) -> str:
    """The address typed, then the commune: with its postal code when it has one only,
    else with its département (« Lyon (69) »: which of its codes applies is not known)."""
    commune = convention.place_commune
    if commune is None:
        return convention.place_address
    codes = commune.postal_code_list
    town = f"{codes[0]} {commune.name}" if len(codes) == 1 else str(commune)
    return ", ".join(part for part in (convention.place_address, town) if part)


def convention_context(
    *,
    convention: Convention,
    reference: str,
    version_number: int,
    content_sha256: str,
    evidence: Sequence[EvidenceLine],
) -> dict:
    """What the template prints, as strings ready to read."""
    if not SHA256.fullmatch(content_sha256):
        raise ValueError("content_sha256 must be 64 lowercase hex digits.")
    schedule = convention.schedule()
    minutes = schedules.total_minutes(schedule)
    days = schedules.presence_days(schedule)
    appellation = convention.appellation
    renews = convention.renews if convention.renews_id else None
    return {
        "convention": convention,
        "reference": reference,
        "version_number": version_number,
        "content_sha256": content_sha256,
        **_parties(convention),
        "birth_date": (
            french_date(convention.beneficiary_birth_date)
            if convention.beneficiary_birth_date
            else ""
        ),
        "situation": convention.get_beneficiary_situation_display(),
        "contract_kind": convention.get_contract_kind_display() if convention.contract_kind else "",
        "contract_start": french_date(convention.contract_start)
        if convention.contract_start
        else "",
        "contract_end": french_date(convention.contract_end) if convention.contract_end else "",
        "object": (
            ImmersionObject(convention.object).label
            if convention.object in ImmersionObject.values
            else ""
        ),
        "objectives": convention.objective_list(),
        "appellation": appellation.label if appellation else "",
        "rome_code": appellation.rome_id if appellation else "",
        "place": _place(convention),
        "date_start": french_date(convention.date_start) if convention.date_start else "",
        "date_end": french_date(convention.date_end) if convention.date_end else "",
        "total_hours": french_duration(minutes),
        "presence_days": days,
        "weeks": schedule_weeks(schedule),
        "renews_reference": renews.reference if renews else "",
        "evidence": [
            {
                "line": line,
                "at": french_datetime(line.at),
                "same_version": line.version_sha256 == content_sha256,
            }
            for line in evidence
        ],
    }


def render_convention_html(**kwargs) -> str:
    """The HTML given to WeasyPrint (arguments of :func:`render_convention_pdf`)."""
    return french_typography(render_to_string(TEMPLATE, convention_context(**kwargs)))


def render_convention_pdf(
    *,
    convention: Convention,
    reference: str,
    version_number: int,
    content_sha256: str,
    evidence: Sequence[EvidenceLine],
) -> bytes:
    """The PDF of one version of ``convention``: every mention of D5135-2, the schedule,
    the parties' obligations and, last, the signature evidence. ``reference`` is the
    human-friendly number (« IMM-2027-000123 »), ``content_sha256`` the SHA-256 of the
    canonical content of this version (64 lowercase hex digits)."""
    html = render_convention_html(
        convention=convention,
        reference=reference,
        version_number=version_number,
        content_sha256=content_sha256,
        evidence=evidence,
    )
    return html_to_pdf(html)
