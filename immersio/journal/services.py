"""The journal's services: the beneficiary writes, marks, shares and takes back; the
nightly job reminds an empty bilan. Each takes the ``actor`` and checks it first
(``require``): only the beneficiary, on their own open carnet."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.conventions.models import Convention
from immersio.core.actors import COMMAND, TASK, Actor, require
from immersio.core.violations import Violation
from immersio.notifications.services import notify

from . import rules, selectors
from .models import ActionStep, JournalEntry, PersonMet, Reflection, ReflectionReminder
from .notifications import ReflectionReminderNotification


class Refused(Exception):
    """What the person typed breaks a rule: the violations, each for its field."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


def _writes(person: User, convention: Convention) -> bool:
    """The beneficiary of ``convention``, while its carnet is open."""
    return selectors.journal_conventions(person).filter(pk=convention.pk).exists()


def _owns(person: User, row: JournalEntry | Reflection) -> bool:
    return row.owner_id == person.pk and _writes(person, row.convention)


def _check(violations: list[Violation]) -> None:
    if violations:
        raise Refused(violations)


def _lengths(values: dict[str, str], limits: dict[str, int]) -> list[Violation]:
    found = []
    for name, limit in limits.items():
        found += rules.length_violations(name, values.get(name, ""), limit)
    return found


ENTRY_LIMITS = dict.fromkeys(JournalEntry.PROMPTS, rules.PROMPT_MAX) | {"note": rules.NOTE_MAX}


@transaction.atomic
def save_entry(
    *, convention: Convention, day: date, texts: dict[str, str], actor: Actor
) -> JournalEntry:
    """Write the page of ``day`` (one per day: the day's page is changed if it exists)."""
    require(actor, lambda person: _writes(person, convention), system_allowed=False)
    _check(
        rules.entry_day_violations(
            day=day,
            date_start=convention.date_start,
            date_end=convention.date_end,
            today=timezone.localdate(),
        )
        + _lengths(texts, ENTRY_LIMITS)
    )
    values = {name: texts.get(name, "").strip() for name in ENTRY_LIMITS}
    entry, _created = JournalEntry.objects.select_for_update().update_or_create(
        owner=actor, convention=convention, day=day, defaults=values
    )
    return entry


@transaction.atomic
def mark_important(*, entry: JournalEntry, important: bool, actor: Actor) -> JournalEntry:
    require(actor, lambda person: _owns(person, entry), system_allowed=False)
    entry.important = important
    entry.save(update_fields=["important", "updated_at"])
    return entry


@transaction.atomic
def share_entry(*, entry: JournalEntry, shared: bool, actor: Actor) -> JournalEntry:
    """Share the page with the conseiller, or take it back (``shared=False``)."""
    require(actor, lambda person: _owns(person, entry), system_allowed=False)
    entry.shared_at = (entry.shared_at or timezone.now()) if shared else None
    entry.save(update_fields=["shared_at", "updated_at"])
    return entry


@transaction.atomic
def add_person(
    *,
    entry: JournalEntry,
    name: str,
    role: str = "",
    contact: str = "",
    contact_agreed: bool = False,
    recontact: bool = False,
    actor: Actor,
) -> PersonMet:
    require(actor, lambda person: _owns(person, entry), system_allowed=False)
    values = {"name": name, "role": role, "contact": contact}
    found = rules.person_violations(name=name, contact=contact, contact_agreed=contact_agreed)
    found += _lengths(
        values, {"name": rules.NAME_MAX, "role": rules.ROLE_MAX, "contact": rules.CONTACT_MAX}
    )
    if entry.people.count() >= rules.PEOPLE_PER_ENTRY_MAX:
        found.append(
            Violation(
                "name",
                "too_many_people",
                f"{rules.PEOPLE_PER_ENTRY_MAX} personnes au plus par jour : notez les autres "
                "dans le texte du jour.",
            )
        )
    _check(found)
    return PersonMet.objects.create(
        entry=entry,
        name=name.strip(),
        role=role.strip(),
        contact=contact.strip() if contact_agreed else "",
        contact_agreed=contact_agreed,
        recontact=recontact,
    )


@transaction.atomic
def remove_person(*, person_met: PersonMet, actor: Actor) -> None:
    require(actor, lambda person: _owns(person, person_met.entry), system_allowed=False)
    person_met.delete()


REFLECTION_LIMITS = dict.fromkeys(Reflection.TEXTS, rules.REFLECTION_TEXT_MAX)
REFLECTION_FIELDS = (
    "metier_fit",
    "missions_fit",
    "setting_fit",
    "needs",
    *Reflection.TEXTS,
)


@transaction.atomic
def save_reflection(*, convention: Convention, values: dict[str, Any], actor: Actor) -> Reflection:
    """Write or change « Mon bilan » (one per immersion)."""
    require(actor, lambda person: _writes(person, convention), system_allowed=False)
    texts = {name: values.get(name, "") for name in Reflection.TEXTS}
    _check(_lengths(texts, REFLECTION_LIMITS))
    reflection, _created = Reflection.objects.select_for_update().get_or_create(
        owner=actor, convention=convention
    )
    for name in REFLECTION_FIELDS:
        value = values.get(name, [] if name == "needs" else "")
        setattr(reflection, name, value.strip() if isinstance(value, str) else list(value))
    reflection.written = _has_something(reflection)
    reflection.save()
    return reflection


def _has_something(reflection: Reflection) -> bool:
    """Whether the bilan counts as written (no more reminders): an answer, a choice or a
    step of the action plan. The one definition, kept at each save of either."""
    return not reflection.is_empty or reflection.steps.exists()


def _keep_written(reflection: Reflection) -> None:
    written = _has_something(reflection)
    if reflection.written != written:
        reflection.written = written
        reflection.save(update_fields=["written", "updated_at"])


def _reflection_for(actor: User, convention: Convention) -> Reflection:
    reflection, _created = Reflection.objects.get_or_create(owner=actor, convention=convention)
    return reflection


@transaction.atomic
def share_reflection(*, convention: Convention, shared: bool, actor: Actor) -> Reflection:
    """Share the whole bilan and its action plan with the conseiller, or take it back."""
    require(actor, lambda person: _writes(person, convention), system_allowed=False)
    reflection = _reflection_for(actor, convention)
    reflection.shared_at = (reflection.shared_at or timezone.now()) if shared else None
    reflection.save(update_fields=["shared_at", "updated_at"])
    return reflection


@transaction.atomic
def add_step(
    *, convention: Convention, kind: str, text: str, target_date: date, actor: Actor
) -> ActionStep:
    """Add a next step to the action plan."""
    require(actor, lambda person: _writes(person, convention), system_allowed=False)
    reflection = _reflection_for(actor, convention)
    found = rules.target_date_violations(target=target_date, today=timezone.localdate())
    found += rules.length_violations("text", text, rules.STEP_TEXT_MAX)
    if not text.strip():
        found.append(Violation("text", "text_missing", "Dites en quelques mots quoi faire."))
    if reflection.steps.count() >= rules.STEPS_MAX:
        found.append(
            Violation(
                "text",
                "too_many_steps",
                f"{rules.STEPS_MAX} étapes au plus : cochez ou retirez celles qui sont faites.",
            )
        )
    _check(found)
    step = ActionStep.objects.create(
        reflection=reflection, kind=kind, text=text.strip(), target_date=target_date
    )
    _keep_written(reflection)
    return step


@transaction.atomic
def mark_step_done(*, step: ActionStep, done: bool, actor: Actor) -> ActionStep:
    require(actor, lambda person: _owns(person, step.reflection), system_allowed=False)
    step.done = done
    step.save(update_fields=["done", "updated_at"])
    return step


@transaction.atomic
def remove_step(*, step: ActionStep, actor: Actor) -> None:
    require(actor, lambda person: _owns(person, step.reflection), system_allowed=False)
    reflection = step.reflection
    step.delete()
    _keep_written(reflection)


def send_reflection_reminders(*, actor: Actor, today: date | None = None) -> list[str]:
    """Remind the beneficiaries whose bilan is empty, 2 and 7 days after the end (once
    each, recorded); return the references reminded. The nightly job only."""
    require(actor, lambda person: False, system_allowed={TASK, COMMAND})
    today = today or timezone.localdate()
    reminded = []
    for days_after in rules.REMINDER_DAYS:
        for convention in selectors.reminders_due(days_after=days_after, today=today):
            with transaction.atomic():
                _reminder, created = ReflectionReminder.objects.get_or_create(
                    convention=convention,
                    days_after=days_after,
                    defaults={"sent_at": timezone.now()},
                )
                if created:
                    notify(
                        ReflectionReminderNotification(convention=convention, days_after=days_after)
                    )
                    reminded.append(convention.reference)
    return reminded


@transaction.atomic
def erase_journal(*, owner: User, actor: Actor) -> int:
    """Delete every page and bilan of ``owner`` (account deletion); the number of pages
    and bilans deleted. The person, the staff (who may delete an account) or the platform
    deleting an inactive account."""
    require(
        actor,
        lambda person: person.pk == owner.pk or person.is_staff,
        system_allowed={TASK, COMMAND},
    )
    pages, bilans = (
        JournalEntry.objects.filter(owner=owner),
        Reflection.objects.filter(owner=owner),
    )
    count = pages.count() + bilans.count()
    pages.delete()
    bilans.delete()
    return count
