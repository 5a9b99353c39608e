"""Reads of testimonies: the public list and its filters, the directory's sections (one
query each), the author's own, the team's queue, « Mes données »."""

from django.db.models import Prefetch, Q, QuerySet

from immersio.accounts.models import User
from immersio.referentials.models import Appellation
from immersio.structures.models import Cause, HostStructure

from . import rules
from .models import Status, Testimony, TestimonyReport


def published(*, cause: Cause | None = None, appellation: Appellation | None = None) -> QuerySet:
    """Published testimonies, newest first, with what a card shows (three queries for a
    page, whatever its length: the rows, their causes, the count)."""
    rows = Testimony.objects.published().select_related("appellation", "structure")
    if cause is not None:
        rows = rows.filter(causes=cause)
    if appellation is not None:
        rows = rows.filter(appellation=appellation)
    return rows.prefetch_related(
        Prefetch("causes", queryset=Cause.objects.order_by("position", "label"))
    ).order_by("-published_at", "-pk")


def filter_choices() -> dict:
    """The causes and métiers that have a published testimony (for the filters)."""
    ids = Testimony.objects.published()
    return {
        "causes": list(
            Cause.objects.filter(pk__in=ids.values("causes")).order_by("position", "label")
        ),
        "appellations": list(
            Appellation.objects.filter(pk__in=ids.values("appellation")).order_by("label")
        ),
    }


def visible_to(user: User) -> QuerySet:
    """What a person may open: published ones, their own, all for the team."""
    rows = Testimony.objects.all()
    if getattr(user, "is_staff", False):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(Q(status=Status.PUBLISHED) | Q(author=user))
    return rows.filter(status=Status.PUBLISHED)


def mine(user: User) -> QuerySet:
    return (
        Testimony.objects.of_author(user)
        .select_related("appellation", "structure")
        .order_by("-created_at", "-pk")
    )


def review_queue() -> QuerySet:
    """For the team: pending testimonies first (oldest first), then the reported ones."""
    return (
        Testimony.objects.filter(
            Q(status=Status.PENDING) | Q(reports__handled_at__isnull=True, reports__isnull=False)
        )
        .distinct()
        .select_related("appellation", "structure")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=TestimonyReport.objects.select_related("structure").order_by("pk"),
            )
        )
        .order_by("submitted_at", "pk")
    )


def _cards(rows: QuerySet, limit: int) -> list[Testimony]:
    return list(
        rows.published().select_related("appellation").order_by("-published_at", "-pk")[:limit]
    )


def structure_section(structure: HostStructure) -> dict | None:
    """The testimonies naming ``structure``, for its directory page (one query)."""
    rows = _cards(Testimony.objects.filter(structure=structure), rules.SHOWN_ON_STRUCTURE)
    if not rows:
        return None
    return {
        "template": "testimonies/includes/structure_section.html",
        "testimonies": rows,
        "structure_name": structure.display_name,
    }


def search_section(query: object) -> dict | None:
    """Testimonies for the métier (or its ROME) and the causes searched, beside the
    directory's results (one query; none without a métier or a cause)."""
    condition = Q()
    codes = tuple(getattr(query, "appellation_codes", ()) or ())
    code = getattr(query, "appellation_code", None)
    if code:
        codes = (*codes, code)
    if codes:
        condition |= Q(appellation__code__in=codes)
    elif rome := getattr(query, "rome_code", None):
        condition |= Q(appellation__rome_id=rome)
    if mask := getattr(query, "causes", 0):
        bits = [bit for bit in range(63) if mask & (1 << bit)]
        condition |= Q(causes__bit__in=bits)
    if not condition:
        return None
    rows = _cards(Testimony.objects.filter(condition).distinct(), rules.SHOWN_ON_SEARCH)
    if not rows:
        return None
    return {"template": "testimonies/includes/search_section.html", "testimonies": rows}


def testimonies_of(user: User) -> list[dict]:
    """« Mes données »: the person's testimonies, with their consent."""
    rows = Testimony.objects.filter(author=user).select_related("appellation", "structure")
    return [
        {
            "titre": t.title,
            "texte": t.text,
            "metier": t.appellation.label if t.appellation else "",
            "causes": [cause.label for cause in t.causes.all()],
            "structure": t.structure.display_name if t.structure else "",
            "nom_affiche": t.display_name,
            "etat": Status(t.status).label,
            "accord": {
                "version": t.consent_version,
                "texte": t.consent_text,
                "donne_le": t.consent_given_at.isoformat(),
                "retire_le": t.consent_withdrawn_at.isoformat() if t.consent_withdrawn_at else None,
            },
            "envoye_le": t.submitted_at.isoformat(),
            "publie_le": t.published_at.isoformat() if t.published_at else None,
        }
        for t in rows.prefetch_related("causes").order_by("created_at", "pk")
    ]


def reportable_structures(user: User, testimony: Testimony) -> list[HostStructure]:
    """The structure named in ``testimony`` if ``user`` is one of its members."""
    if testimony.structure_id is None or not getattr(user, "is_authenticated", False):
        return []
    return list(HostStructure.objects.visible_to(user).filter(pk=testimony.structure_id))
