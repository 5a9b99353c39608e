"""Read-side helpers other apps may call (the structure page, the dashboard, the board)."""

from datetime import datetime, timedelta

import numpy as np
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from immersio.core import geo
from immersio.referentials.models import Appellation
from immersio.structures.models import HostStructure
from immersio.teams.people import normalize_email

from . import rules
from .models import AnswerStats, BoardPost, ContactRequest, Status


def answer_stats_for(structure: HostStructure) -> AnswerStats | None:
    """The structure's answer rate and median answer time over 12 months, if computed."""
    return AnswerStats.objects.filter(structure=structure, requests__gt=0).first()


def structure_page_context(structure: HostStructure) -> dict:
    """What the directory's public page of a structure shows from the requests."""
    return {
        "answer_stats": answer_stats_for(structure),
        "answer_rate_months": rules.ANSWER_RATE_MONTHS,
    }


def board_links() -> list[dict]:
    """The board of requests and « Préparer ma demande », proposed under a directory
    search without result."""
    published = BoardPost.objects.visible(timezone.now()).count()
    return [
        {
            "label": (
                "Publier votre demande sur « Les demandes d'immersion » : "
                "les structures y répondent"
            ),
            "url": reverse("contacts:board_publish"),
        },
        {
            "label": "Voir les demandes d'immersion déjà publiées",
            "detail": f"{published} demande{'s' if published > 1 else ''}",
            "url": reverse("contacts:board"),
        },
        {
            "label": (
                "Écrire à une structure qui n'est pas sur Immersio : « Préparer ma demande » "
                "vous aide à rédiger l'e-mail, la lettre ou la publication"
            ),
            "url": reverse("contacts:prepare"),
        },
    ]


def new_requests_count(structure: HostStructure) -> int:
    return ContactRequest.objects.filter(structure=structure, status=Status.NEW).count()


def weekly_figures(*, weeks: int = 12, now: datetime | None = None) -> list[dict]:
    """Requests sent, answered, accepted and expired per week (Monday), oldest first,
    in one aggregate query (each request counted in the week it was sent)."""
    now = timezone.localtime(now or timezone.now())
    monday = (now - timedelta(days=now.weekday())).date()
    start = monday - timedelta(weeks=weeks - 1)
    rows = (
        ContactRequest.objects.sent()
        .filter(sent_at__date__gte=start)
        .annotate(week=TruncWeek("sent_at"))
        .values("week")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(first_answer_at__isnull=False)),
            accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
            expired=Count("pk", filter=Q(status=Status.EXPIRED)),
        )
    )
    by_week = {}
    for row in rows:
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        by_week[week] = row
    figures = []
    for i in range(weeks):
        week = start + timedelta(weeks=i)
        row = by_week.get(week, {})
        figures.append({"week": week, **{key: row.get(key, 0) for key in SERIES}})
    return figures


SERIES = ("sent", "answered", "accepted", "expired")
CHART_WIDTH = 720
CHART_HEIGHT = 240
CHART_TOP = 20
CHART_BOTTOM = 40
CHART_LEFT = 40


def chart(figures: list[dict]) -> dict:
    """Geometry of a grouped bar chart (one bar per series and week), for a
    server-rendered SVG."""
    top = max([f["sent"] for f in figures] + [1])
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(figures), 1)
    bar = slot / (len(SERIES) + 1)
    groups = []
    for index, figure in enumerate(figures):
        x = CHART_LEFT + index * slot + bar / 2
        bars = []
        for offset, key in enumerate(SERIES):
            height = plot_height * figure[key] / top
            bars.append(
                {
                    "key": key,
                    "x": round(x + offset * bar, 1),
                    "y": round(CHART_TOP + plot_height - height, 1),
                    "width": round(bar - 2, 1),
                    "height": round(height, 1),
                    "value": figure[key],
                }
            )
        groups.append(
            {"figure": figure, "bars": bars, "label_x": round(x + len(SERIES) / 2 * bar, 1)}
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "groups": groups,
        "top": top,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_TOP + plot_height + 18,
        "left": CHART_LEFT,
        "top_y": CHART_TOP,
    }


def board_posts(
    *,
    now: datetime | None = None,
    appellation: Appellation | None = None,
    origin: tuple[float, float] | None = None,
    radius_km: float | None = None,
) -> list[tuple[BoardPost, float | None]]:
    """Visible posts, filtered by métier (same ROME) and by distance from ``origin``
    (latitude, longitude): a bounding box in SQL, then the exact distance
    (``core.geo``, the one distance function) on every post of the box. The pages
    paginate the result."""
    now = now or timezone.now()
    posts = BoardPost.objects.visible(now).select_related("appellation", "cause", "commune")
    if appellation is not None:
        posts = posts.filter(appellation__rome_id=appellation.rome_id)
    if origin is None or radius_km is None:
        return [(post, None) for post in posts]
    lat, lon = origin
    lat_min, lat_max, lon_min, lon_max = geo.bounding_box(lat, lon, radius_km)
    posts = posts.filter(latitude__range=(lat_min, lat_max))
    if lon_min is not None:
        posts = posts.filter(longitude__range=(lon_min, lon_max))
    posts = list(posts)
    if not posts:
        return []
    distances = geo.haversine_km(
        lat,
        lon,
        np.array([post.latitude for post in posts], dtype=float),
        np.array([post.longitude for post in posts], dtype=float),
    ).tolist()
    result = [
        (post, distance)
        for post, distance in zip(posts, distances, strict=True)
        if distance <= radius_km
    ]
    return sorted(result, key=lambda item: item[1])


def reminder_effect(*, since: datetime | None = None) -> dict[int, dict[str, int]]:
    """For the staff: per reminder to a structure (D+3, D+7), how many were sent and how
    many were followed by an answer within ``REMINDER_ACTED_HOURS``. When the D+7 reminder
    came first, the D+3 one was marked at the same instant without being sent: not
    counted."""
    within = timedelta(hours=rules.REMINDER_ACTED_HOURS)
    result: dict[int, dict[str, int]] = {}
    for days in sorted(rules.REMINDER_DAYS, reverse=True):
        field = f"reminded_{days}_at"
        rows = ContactRequest.objects.filter(**{f"{field}__isnull": False})
        if days == 3:
            rows = rows.exclude(reminded_3_at=F("reminded_7_at"))
        if since:
            rows = rows.filter(**{f"{field}__gte": since})
        figures = rows.aggregate(
            sent=Count("pk"),
            acted=Count(
                "pk",
                filter=Q(first_answer_at__gte=F(field), first_answer_at__lte=F(field) + within),
            ),
        )
        if figures["sent"]:
            result[days] = figures
    return result


def is_own_address(user: object, email: str) -> bool:
    """Whether ``email`` is the address ``user`` logged in with (their login link proved
    it), compared as addresses are stored (``normalize_email``)."""
    own = getattr(user, "email", "") if getattr(user, "is_authenticated", False) else ""
    return bool(own) and normalize_email(own) == normalize_email(email)
