"""Reads of the journal: whose conventions open a carnet, the person's entries and bilan,
and what an agency's member may read (only what was shared)."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions import hooks as conventions_hooks
from immersio.conventions.models import Convention
from immersio.conventions.selectors import reviewable_by
from immersio.conventions.transitions import Status

from . import rules
from .models import (
    ActionStep,
    JournalEntry,
    PersonMet,
    Reflection,
    ReflectionReminder,
    StepKind,
)


def _today() -> date:
    return timezone.localdate()


def beneficiary_of(user: User) -> Q:
    """The conventions whose beneficiary is ``user``: by their verified address (every
    login proves it) or as the author of the request the convention followed."""
    return Q(beneficiary_email__iexact=user.email) | Q(contact_request__candidate=user)


def journal_conventions(user: User, today: date | None = None) -> QuerySet[Convention]:
    """The validated immersions of ``user`` whose carnet is open: from the validation until
    ``rules.OPEN_MONTHS_AFTER_END`` months after the end."""
    if not getattr(user, "is_authenticated", False) or not user.email:
        return Convention.objects.none()
    today = today or _today()
    return (
        Convention.objects.filter(
            beneficiary_of(user),
            status=Status.VALIDATED,
            replaced_at__isnull=True,
            archived_at__isnull=True,
            date_end__gte=rules.earliest_open_end(today),
        )
        .select_related("appellation")
        .order_by("-date_start", "-pk")
    )


def entries_of(user: User, convention: Convention) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(owner=user, convention=convention)
        .prefetch_related(
            Prefetch("people", queryset=PersonMet.objects.order_by("created_at", "pk"))
        )
        .order_by("day", "pk")
    )


def reflection_of(user: User, convention: Convention) -> Reflection | None:
    return (
        Reflection.objects.filter(owner=user, convention=convention)
        .prefetch_related("steps")
        .first()
    )


def days_of(convention: Convention, today: date | None = None) -> list[date]:
    """The days of the immersion up to today (the days an entry may be written for)."""
    today = today or _today()
    last = min(convention.date_end, today)
    return [
        convention.date_start + timedelta(days=n)
        for n in range((last - convention.date_start).days + 1)
    ]


def mine_section(user: User) -> dict | None:
    """« Mes conventions »: the carnets and bilans of the person's immersions (one query)."""
    conventions = list(journal_conventions(user))
    if not conventions:
        return None
    return {"template": "journal/includes/mine_section.html", "conventions": conventions}


def shared_with(user: User, convention: Convention) -> bool:
    """Whether ``user`` reads what the beneficiary of ``convention`` shares: a member of the
    convention's agency (never the host structure, nor the Immersio team)."""
    return reviewable_by(user).filter(pk=convention.pk).exists()


def shared_entries(convention: Convention) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(convention=convention, shared_at__isnull=False)
        .prefetch_related(
            Prefetch("people", queryset=PersonMet.objects.order_by("created_at", "pk"))
        )
        .order_by("day", "pk")
    )


def shared_reflection(convention: Convention) -> Reflection | None:
    return (
        Reflection.objects.filter(convention=convention, shared_at__isnull=False)
        .prefetch_related("steps")
        .first()
    )


#: The steps of an action plan that say what comes next (``conventions.hooks``).
NEXT_STEP_KINDS = {
    StepKind.TRAIN: conventions_hooks.NEXT_TRAINING,
    StepKind.IMMERSION: conventions_hooks.NEXT_IMMERSION,
}


def shared_next_steps(convention_pks: list[int]) -> dict[int, set[str]]:
    """Convention pk → what the beneficiary's shared action plan plans next (training,
    another immersion), in one query; a private bilan says nothing."""
    found: dict[int, set[str]] = {}
    rows = ActionStep.objects.filter(
        reflection__convention__in=convention_pks,
        reflection__shared_at__isnull=False,
        kind__in=list(NEXT_STEP_KINDS),
    ).values_list("reflection__convention_id", "kind")
    for convention_id, kind in rows:
        found.setdefault(convention_id, set()).add(NEXT_STEP_KINDS[kind])
    return found


def review_section(user: User, convention: Convention) -> dict | None:
    """What the review page shows of the beneficiary's carnet and bilan: only what they
    shared, to the agency's members only, read-only."""
    if convention.status != Status.VALIDATED or not shared_with(user, convention):
        return None
    return {
        "template": "journal/includes/review_section.html",
        "entries": list(shared_entries(convention)),
        "reflection": shared_reflection(convention),
    }


def reminders_due(*, days_after: int, today: date | None = None) -> QuerySet[Convention]:
    """Validated conventions that ended ``days_after`` days ago or a little more (a missed
    night catches up until the next reminder's day), not reminded yet at that delay, whose
    beneficiary has written no bilan."""
    today = today or _today()
    later = [d for d in rules.REMINDER_DAYS if d > days_after]
    until = later[0] if later else days_after + 1
    return (
        Convention.objects.filter(
            status=Status.VALIDATED,
            replaced_at__isnull=True,
            anonymised_at__isnull=True,
            date_end__lte=today - timedelta(days=days_after),
            date_end__gt=today - timedelta(days=until),
        )
        .exclude(beneficiary_email="")
        .exclude(
            Exists(
                ReflectionReminder.objects.filter(convention=OuterRef("pk"), days_after=days_after)
            )
        )
        .exclude(Exists(Reflection.objects.filter(convention=OuterRef("pk"), written=True)))
        .order_by("date_end", "pk")
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def journal_of(user: User) -> list[dict]:
    """« Mes données »: the person's carnets and bilans, one row per immersion."""
    entries = (
        JournalEntry.objects.filter(owner=user)
        .select_related("convention")
        .prefetch_related(
            Prefetch("people", queryset=PersonMet.objects.order_by("created_at", "pk"))
        )
        .order_by("convention__date_start", "convention_id", "day")
    )
    reflections = {
        r.convention_id: r
        for r in Reflection.objects.filter(owner=user)
        .select_related("convention")
        .prefetch_related("steps")
    }
    rows: dict[int, dict] = {}

    def row_for(convention: Convention) -> dict:
        return rows.setdefault(
            convention.pk,
            {
                "convention": convention.reference,
                "structure": convention.host_name,
                "du": _iso(convention.date_start),
                "au": _iso(convention.date_end),
                "pages": [],
                "bilan": None,
            },
        )

    for entry in entries:
        row_for(entry.convention)["pages"].append(
            {
                "jour": _iso(entry.day),
                **{
                    str(JournalEntry._meta.get_field(n).verbose_name): getattr(entry, n)
                    for n in JournalEntry.TEXTS
                },
                "important": entry.important,
                "partagee_le": _iso(entry.shared_at),
                "personnes_rencontrees": [
                    {
                        "nom": p.name,
                        "role": p.role,
                        "coordonnees": p.contact,
                        "d_accord_pour_les_coordonnees": p.contact_agreed,
                        "a_recontacter": p.recontact,
                    }
                    for p in entry.people.all()
                ],
            }
        )
    for reflection in reflections.values():
        row_for(reflection.convention)["bilan"] = {
            "le_metier": reflection.metier_fit,
            "pourquoi_le_metier": reflection.metier_why,
            "les_missions": reflection.missions_fit,
            "pourquoi_les_missions": reflection.missions_why,
            "le_cadre": reflection.setting_fit,
            "pourquoi_le_cadre": reflection.setting_why,
            "ce_que_j_ai_appris": reflection.learned,
            "ce_a_quoi_je_ne_m_attendais_pas": reflection.unexpected,
            "personnes_inspirantes": reflection.people,
            "pour_y_travailler": reflection.need_labels(),
            "precisions": reflection.needs_text,
            "partage_le": _iso(reflection.shared_at),
            "plan_d_action": [
                {
                    "type": step.get_kind_display(),
                    "quoi": step.text,
                    "pour_le": _iso(step.target_date),
                    "fait": step.done,
                }
                for step in reflection.steps.all()
            ],
        }
    return list(rows.values())


def conversation_links(user: User, conversation: object) -> list[dict]:
    """After an entretien-métier (``resource_people``): keep a trace of it in the action
    plan of a bilan, when the person has an open carnet."""
    if not journal_conventions(user).exists():
        return []
    url = reverse("journal:add_conversation", kwargs={"conversation_id": conversation.public_id})
    return [
        {
            "label": "Garder une trace de cet entretien dans le plan d'action de mon bilan",
            "url": url,
        }
    ]
