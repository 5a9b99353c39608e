"""Counts for statistics that anonymisation must keep true (issue 11, item 3): every
dimension here is a field the retention job never blanks, so the counts are the same
before and after it. The future public statistics read them from here.

Dimensions: the month (of sending, publishing or submitting), the department (of the
structure's first site for a request, of the commune for a board post, of the place of
the immersion for a convention), the métier (appellation code; a board post without one
counts under its cause), the agency kind (conventions) and the outcome (the status; for a
board post, whether it received a proposal).
"""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from immersio.contacts.models import BoardPost, BoardProposal, ContactRequest
from immersio.contacts.models import Status as RequestStatus
from immersio.conventions.models import Convention
from immersio.conventions.models import Status as ConventionStatus
from immersio.structures.models import Site

Counts = dict[str, dict[str, dict[str, int]]]


def _key(dimension: str, value: object) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m") if dimension == "mois" else str(value)


def _count(rows: QuerySet, dimensions: dict[str, str]) -> dict[str, dict[str, int]]:
    """For each dimension (name → annotated field), the count of rows per value: one
    query per dimension."""
    result = {}
    for name, field in dimensions.items():
        counter: Counter[str] = Counter()
        for row in rows.values(field).annotate(n=Count("pk", distinct=True)).order_by(field):
            counter[_key(name, row[field])] += row["n"]
        result[name] = dict(sorted(counter.items()))
    return result


def requests_counted() -> QuerySet[ContactRequest]:
    return (
        ContactRequest.objects.exclude(status=RequestStatus.DRAFT)
        .annotate(
            stat_month=TruncMonth("sent_at"),
            stat_department=Subquery(
                Site.objects.filter(structure=OuterRef("structure"))
                .order_by("pk")
                .values("commune__department")[:1]
            ),
        )
        .order_by()
    )


def board_posts_counted() -> QuerySet[BoardPost]:
    return (
        BoardPost.objects.filter(published_at__isnull=False)
        .annotate(
            stat_month=TruncMonth("published_at"),
            stat_proposed=Exists(BoardProposal.objects.filter(post=OuterRef("pk"))),
        )
        .order_by()
    )


def conventions_counted() -> QuerySet[Convention]:
    return (
        Convention.objects.exclude(status=ConventionStatus.DRAFT)
        .annotate(stat_month=TruncMonth("submitted_at"))
        .order_by()
    )


def statistics() -> Counts:
    """Requests, board posts and conventions counted by month, department, métier, agency
    kind and outcome."""
    return {
        "demandes": _count(
            requests_counted(),
            {
                "mois": "stat_month",
                "departement": "stat_department",
                "metier": "appellation_id",
                "issue": "status",
            },
        ),
        "tableau": _count(
            board_posts_counted(),
            {
                "mois": "stat_month",
                "departement": "commune__department",
                "metier": "appellation_id",
                "cause": "cause_id",
                "issue": "stat_proposed",
            },
        ),
        "conventions": _count(
            conventions_counted(),
            {
                "mois": "stat_month",
                "departement": "place_commune__department",
                "metier": "appellation_id",
                "type_de_prescripteur": "agency__kind",
                "issue": "status",
            },
        ),
    }
