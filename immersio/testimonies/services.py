"""The testimonies' services. The author writes, edits (back to review), withdraws their
consent (unpublished at once) and deletes; the Immersio team publishes or declines (an
e-mail tells the author); a member of the structure a testimony names may report it.
Each takes the ``actor`` and checks it first (``require``)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.core.actors import COMMAND, TASK, Actor, is_staff, require, user_of
from immersio.core.violations import Violation
from immersio.notifications.services import notify
from immersio.referentials.models import Appellation
from immersio.structures.models import Cause, HostStructure

from . import rules, selectors
from .models import Display, Status, Testimony, TestimonyReport
from .notifications import TestimonyDecisionNotification


class Refused(Exception):
    """What the person typed breaks a rule: the violations, each for its field."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


@dataclass(frozen=True)
class Story:
    """What the author writes and chooses."""

    title: str
    text: str
    display: str = Display.NAME
    appellation: Appellation | None = None
    structure: HostStructure | None = None
    causes: tuple[Cause, ...] = field(default_factory=tuple)


def _check(story: Story, consent: bool) -> None:
    violations = rules.text_violations(title=story.title, text=story.text, consent=consent)
    if violations:
        raise Refused(violations)


def _fill(testimony: Testimony, story: Story, author: User) -> None:
    now = timezone.now()
    testimony.title = story.title.strip()
    testimony.text = story.text.strip()
    testimony.display = story.display
    testimony.display_name = rules.display_name(
        author.first_name, author.last_name, anonymous=story.display == Display.ANONYMOUS
    )
    testimony.appellation = story.appellation
    testimony.structure = story.structure
    # The consent given with this version of the text (a new one at each submission).
    testimony.consent_version = rules.CONSENT_VERSION
    testimony.consent_text = rules.CONSENT_TEXT
    testimony.consent_given_at = now
    testimony.consent_withdrawn_at = None
    testimony.status = Status.PENDING
    testimony.submitted_at = now
    testimony.reviewed_at = None
    testimony.reviewed_by = None
    testimony.review_note = ""
    testimony.published_at = None


@transaction.atomic
def submit_testimony(*, story: Story, consent: bool, actor: Actor) -> Testimony:
    """A new testimony, with its author's consent, waiting for the team's review."""
    require(actor, lambda person: person.is_authenticated, system_allowed=False)
    _check(story, consent)
    testimony = Testimony(author=actor)
    _fill(testimony, story, actor)
    testimony.save()
    testimony.causes.set(story.causes)
    return testimony


def _is_author(testimony: Testimony) -> Callable[[User], bool]:
    return lambda person: testimony.author_id == person.pk


@transaction.atomic
def update_testimony(
    *, testimony: Testimony, story: Story, consent: bool, actor: Actor
) -> Testimony:
    """The author's new version: unpublished until the team reads it again."""
    require(actor, _is_author(testimony), system_allowed=False)
    _check(story, consent)
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    _fill(testimony, story, actor)
    testimony.save()
    testimony.causes.set(story.causes)
    return testimony


@transaction.atomic
def withdraw_consent(*, testimony: Testimony, actor: Actor) -> Testimony:
    """The author takes back their consent: no longer shown anywhere, kept for them to
    edit (and consent again) or delete."""
    require(actor, _is_author(testimony), system_allowed=False)
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    testimony.status = Status.WITHDRAWN
    testimony.consent_withdrawn_at = timezone.now()
    testimony.published_at = None
    testimony.save(update_fields=["status", "consent_withdrawn_at", "published_at", "updated_at"])
    return testimony


@transaction.atomic
def delete_testimony(*, testimony: Testimony, actor: Actor) -> None:
    """The author deletes their testimony (its reports with it)."""
    require(actor, _is_author(testimony), system_allowed=False)
    Testimony.objects.filter(pk=testimony.pk).delete()


class NotPending(Exception):
    """The testimony changed meanwhile (edited, withdrawn, already decided)."""


@transaction.atomic
def review_testimony(
    *, testimony: Testimony, publish: bool, note: str = "", actor: Actor
) -> Testimony:
    """The team publishes or declines a testimony waiting for review; the author gets an
    e-mail with the team's note."""
    require(actor, is_staff, system_allowed=False)
    testimony = (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=testimony.pk)
    )
    if not testimony.is_pending:
        raise NotPending
    if len(note) > rules.REVIEW_NOTE_MAX:
        raise Refused(
            [
                Violation(
                    "note", "too_long", f"{len(note)} caractères : {rules.REVIEW_NOTE_MAX} au plus."
                )
            ]
        )
    now = timezone.now()
    testimony.status = Status.PUBLISHED if publish else Status.REJECTED
    testimony.reviewed_at = now
    testimony.reviewed_by = user_of(actor)
    testimony.review_note = note.strip()
    testimony.published_at = now if publish else None
    testimony.save()
    notify(TestimonyDecisionNotification(testimony=testimony))
    return testimony


@transaction.atomic
def unpublish_testimony(*, testimony: Testimony, note: str = "", actor: Actor) -> Testimony:
    """The team takes a published testimony down (after a report): back to review, so its
    author may correct it; the open reports are handled."""
    require(actor, is_staff, system_allowed=False)
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    now = timezone.now()
    if testimony.is_published:
        testimony.status = Status.PENDING
        testimony.published_at = None
        testimony.review_note = note.strip()
        testimony.save(update_fields=["status", "published_at", "review_note", "updated_at"])
    testimony.reports.filter(handled_at__isnull=True).update(handled_at=now)
    return testimony


@transaction.atomic
def dismiss_reports(*, testimony: Testimony, actor: Actor) -> int:
    """The team read the reports and keeps the testimony as it is."""
    require(actor, is_staff, system_allowed=False)
    return testimony.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now())


class AlreadyReported(Exception):
    """This structure already reported this testimony."""


def report_testimony(
    *,
    testimony: Testimony,
    structure: HostStructure,
    reason: str,
    note: str = "",
    actor: Actor,
) -> TestimonyReport:
    """A member of the structure a testimony names tells the team something is wrong
    (once per structure: a database constraint, even for two clicks at once)."""
    require(
        actor,
        lambda person: (
            testimony.structure_id == structure.pk
            and structure in selectors.reportable_structures(person, testimony)
        ),
        system_allowed=False,
    )
    if len(note) > rules.REPORT_NOTE_MAX:
        raise Refused(
            [
                Violation(
                    "note", "too_long", f"{len(note)} caractères : {rules.REPORT_NOTE_MAX} au plus."
                )
            ]
        )
    try:
        with transaction.atomic():
            return TestimonyReport.objects.create(
                testimony=testimony,
                structure=structure,
                reporter=user_of(actor),
                reason=reason,
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise AlreadyReported from exc


@transaction.atomic
def erase_testimonies(*, owner: User, actor: Actor) -> int:
    """Account deletion: the person's testimonies are deleted (not anonymised: a story is
    personal even without a name). The person, the staff (who may delete an account) or
    the platform deleting an inactive account."""
    require(
        actor,
        lambda person: person.pk == owner.pk or person.is_staff,
        system_allowed={TASK, COMMAND},
    )
    count, _ = Testimony.objects.filter(author=owner).delete()
    return count
