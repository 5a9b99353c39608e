"""Reads: the public search, one's conversations, the team's review queue."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from immersio.accounts.models import User
from immersio.referentials.models import Appellation
from immersio.structures.models import Cause

from . import rules
from .models import (
    OPEN_CONVERSATION,
    Conversation,
    ConversationStatus,
    ProfileStatus,
    ResourceProfile,
)

#: Not counted against a person's month: a request its author cancelled before any answer.
NOT_COUNTED = Q(status=ConversationStatus.CANCELLED, answered_at__isnull=True)


def _this_month() -> date:
    return rules.month_start(timezone.localdate())


def asked_this_month(profile: ResourceProfile, *, month: date | None = None) -> int:
    """Requests the person received this month (the quota counts them)."""
    return (
        Conversation.objects.filter(profile=profile, month=month or _this_month())
        .exclude(NOT_COUNTED)
        .count()
    )


def last_asked_at(*, profile: ResourceProfile, candidate: User) -> datetime | None:
    """When ``candidate`` last asked ``profile`` (the 7-day rule)."""
    return Conversation.objects.filter(profile=profile, candidate=candidate).aggregate(
        last=Max("asked_at")
    )["last"]


def _with_month(rows: QuerySet[ResourceProfile]) -> QuerySet[ResourceProfile]:
    month = _this_month()
    return rows.annotate(
        asked_this_month=Count(
            "conversations",
            filter=Q(conversations__month=month)
            & ~Q(
                conversations__status=ConversationStatus.CANCELLED,
                conversations__answered_at__isnull=True,
            ),
        )
    )


def search(
    *,
    cause: Cause | None = None,
    appellation: Appellation | None = None,
    rome: str = "",
    department: str = "",
    region: str = "",
) -> QuerySet[ResourceProfile]:
    """Published, unpaused profiles, by cause, métier (the appellation, or its ROME), and
    department or region; each with ``asked_this_month`` (full ones show as such). One
    query for the page, one for the causes."""
    rows = ResourceProfile.objects.published()
    if cause is not None:
        rows = rows.filter(causes=cause)
    if appellation is not None:
        rows = rows.filter(
            Q(after_appellation=appellation) | Q(after_appellation__rome_id=appellation.rome_id)
        )
    elif rome:
        rows = rows.filter(after_appellation__rome_id=rome)
    if department:
        rows = rows.filter(department=department)
    elif region:
        rows = rows.filter(region=region)
    return (
        _with_month(rows)
        .select_related("person", "after_appellation", "commune")
        .prefetch_related(Prefetch("causes", queryset=Cause.objects.order_by("position", "label")))
        .order_by("-published_at", "pk")
    )


def profile_page(user: object, public_id: object) -> ResourceProfile | None:
    return (
        _with_month(ResourceProfile.objects.visible_to(user))
        .select_related("person", "after_appellation", "before_appellation", "commune")
        .filter(public_id=public_id)
        .first()
    )


def is_full(profile: ResourceProfile) -> bool:
    """Whether the month is full (the annotation of ``search`` when there is one)."""
    count = getattr(profile, "asked_this_month", None)
    if count is None:
        count = asked_this_month(profile)
    return rules.quota_reached(asked_this_month=count, quota=profile.monthly_quota)


def profile_of(user: User) -> ResourceProfile | None:
    return (
        ResourceProfile.objects.filter(person=user)
        .select_related("after_appellation", "before_appellation", "commune")
        .prefetch_related("causes")
        .first()
    )


def _conversations() -> QuerySet[Conversation]:
    return Conversation.objects.select_related(
        "profile__person", "profile__after_appellation", "candidate"
    ).prefetch_related("slots")


def asked_by(user: User) -> QuerySet[Conversation]:
    """The conversations ``user`` asked for (« Mes entretiens-métier »)."""
    return _conversations().filter(candidate=user).order_by("-asked_at", "-pk")


def received_by(user: User) -> QuerySet[Conversation]:
    return _conversations().filter(profile__person=user).order_by("-asked_at", "-pk")


def conversation_for(user: object, public_id: object) -> Conversation | None:
    """A conversation ``user`` takes part in (None for anyone else: a 404)."""
    return _conversations().visible_to(user).filter(public_id=public_id).first()


def review_queue() -> QuerySet[ResourceProfile]:
    return (
        ResourceProfile.objects.filter(status=ProfileStatus.SUBMITTED)
        .select_related("person", "after_appellation", "commune")
        .order_by("submitted_at", "pk")
    )


def has_open_conversation(profile: ResourceProfile, user: object) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Conversation.objects.filter(
        profile=profile, candidate=user, status__in=OPEN_CONVERSATION
    ).exists()


def past_conversations(user: User, *, now: object = None) -> QuerySet[Conversation]:
    """Confirmed conversations of ``user`` (as the candidate) whose slot has passed: the
    carnet offers to keep a trace of them (``journal``)."""
    return (
        _conversations()
        .filter(
            candidate=user,
            status=ConversationStatus.CONFIRMED,
            slot_at__lte=now or timezone.now(),
        )
        .order_by("-slot_at", "-pk")
    )


def conversations_for_export(user: User) -> list[dict]:
    """Everything « Mes données » gives back: the person's profile and the conversations
    they asked for or received (the other side's first name and initial only)."""
    profile = profile_of(user)
    rows = []
    for conversation in (
        _conversations().filter(Q(candidate=user) | Q(profile__person=user)).order_by("pk")
    ):
        mine = conversation.candidate_id == user.pk
        rows.append(
            {
                "role": "candidat" if mine else "personne ressource",
                "avec": (
                    conversation.profile.display_name
                    if mine
                    else rules.display_name(
                        conversation.candidate.first_name, conversation.candidate.last_name
                    )
                ),
                "etat": conversation.get_status_display(),
                "mode": conversation.get_mode_display(),
                "qui_je_suis": conversation.about_me,
                "pourquoi_vous": conversation.why_you,
                "ce_que_je_veux_comprendre": conversation.to_understand,
                "demande_le": conversation.asked_at.isoformat(),
                "creneaux": [slot.starts_at.isoformat() for slot in conversation.slots.all()],
                "creneau_retenu": conversation.slot_at.isoformat()
                if conversation.slot_at
                else None,
            }
        )
    return [
        {
            "profil": None
            if profile is None
            else {
                "avant": profile.before_title,
                "apres": profile.after_title,
                "parcours": profile.path,
                "ce_qui_m_a_aide": profile.helped,
                "presentation": profile.presentation,
                "commune": profile.commune.name,
                "causes": [cause.label for cause in profile.causes.all()],
                "facons_d_echanger": profile.mode_labels,
                "entretiens_par_mois": profile.monthly_quota,
                "etat": profile.get_status_display(),
                "en_pause": profile.is_paused,
            },
            "entretiens": rows,
        }
    ]
