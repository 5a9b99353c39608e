"""Changing assessments: ask the tutor, remind, send the link again, fill, co-sign, correct;
and the renewal the assessment allows (the beneficiary asks, the agency prepares it).

Each function takes ``actor`` and checks it first (``require``), locks the assessment's row
(``select_for_update``: a form submitted twice is filled once), changes it in one
transaction, writes an ``AssessmentEvent`` and queues its e-mails in the same transaction.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from immersio.conventions import services as convention_services
from immersio.conventions.models import Convention
from immersio.conventions.transitions import Status
from immersio.core.actors import (
    AUTOMATIC,
    COMMAND,
    TASK,
    Actor,
    is_system,
    nobody,
    require,
    user_of,
)
from immersio.core.violations import Violation
from immersio.notifications.services import notify

from . import notifications, selectors
from .models import Assessment, AssessmentEvent, FilledBy
from .rules import (
    CATCH_UP_DAYS,
    REMINDER_DAYS,
    RENEWAL_MESSAGE_MAX,
    RESEND_COOLDOWN_HOURS,
    Answers,
    Outcome,
    check,
    check_cosign,
    hours_done,
)


class AssessmentError(Exception):
    """A refusal the person can understand (French ``message``)."""

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.violations = violations or []


ALREADY_SIGNED = (
    "Ce bilan est déjà signé par le bénéficiaire : il ne peut plus être modifié. Pour le "
    "corriger, demandez une correction au conseiller du prescripteur."
)
ALREADY_FILLED = (
    "Ce bilan est déjà rempli : pour le corriger, demandez une correction au conseiller "
    "du prescripteur."
)


@dataclass
class DailyResult:
    count: int = 0
    references: list[str] = field(default_factory=list)


def _name(actor: Actor) -> str:
    person = user_of(actor)
    return (person.get_full_name() or person.email) if person is not None else ""


def _event(assessment: Assessment, action: str, actor: Actor, **fields: object) -> None:
    AssessmentEvent.objects.create(
        assessment=assessment, action=action, by=user_of(actor), by_name=_name(actor), **fields
    )


def _queue_document(assessment: Assessment) -> None:
    """Once signed, its PDF is rendered after commit (``documents.store_document``: one
    per content, so a retry or a second queueing renders nothing)."""
    from .tasks import render_pdf  # tasks imports this module

    pk = assessment.pk
    transaction.on_commit(lambda: render_pdf.enqueue(pk), robust=True)


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("convention", "convention__agency")
        .get(pk=assessment.pk)
    )


# --- asking the tutor -----------------------------------------------------------------


def request_assessment(*, convention: Convention, actor: Actor) -> Assessment | None:
    """On the last day of a validated convention: create its assessment, e-mail the tutor
    their link and tell the beneficiary it is coming. Once: None when already asked or
    when the convention may not be assessed."""
    require(actor, nobody, system_allowed={TASK, COMMAND})
    with transaction.atomic():
        locked = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
        if not selectors.may_be_assessed(locked, timezone.localdate()):
            return None
        assessment, created = Assessment.objects.get_or_create(convention=locked)
        if not created and assessment.requested_at is not None:
            return None
        assessment.requested_at = timezone.now()
        assessment.save(update_fields=["requested_at", "updated_at"])
        _event(assessment, AssessmentEvent.Action.REQUESTED, actor)
        notify(notifications.TutorRequestNotification(assessment=assessment))
        notify(notifications.BeneficiaryComingNotification(assessment=assessment))
        return assessment


def request_due(*, actor: Actor, today: date | None = None) -> DailyResult:
    """The daily step: every validated convention ending today (or up to
    ``CATCH_UP_DAYS`` ago, after a missed run) without an assessment asked yet."""
    require(actor, nobody, system_allowed={TASK, COMMAND})
    today = today or timezone.localdate()
    due = (
        Convention.objects.filter(
            status=Status.VALIDATED,
            replaced_at__isnull=True,
            archived_at__isnull=True,
            date_end__lte=today,
            date_end__gte=today - timedelta(days=CATCH_UP_DAYS),
        )
        .exclude(assessment__requested_at__isnull=False)
        .order_by("date_end", "pk")
    )
    result = DailyResult()
    for convention in due:
        if request_assessment(convention=convention, actor=actor) is not None:
            result.count += 1
            result.references.append(convention.reference)
    return result


def send_reminders(*, actor: Actor, now: datetime | None = None) -> DailyResult:
    """Remind the tutor ``REMINDER_DAYS`` after the first e-mail when nothing is filled,
    once each (``Assessment.reminded_at``); the last reminder also goes to the agency's
    référent conseiller. A late run sends only the latest reminder due."""
    require(actor, nobody, system_allowed={TASK, COMMAND})
    now = now or timezone.now()
    result = DailyResult()
    first = min(REMINDER_DAYS)
    waiting = Assessment.objects.waiting().filter(
        requested_at__lte=now - timedelta(days=first), convention__status=Status.VALIDATED
    )
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            assessment = _locked(Assessment(pk=pk))
            if assessment.is_filled:
                continue
            due = [
                days
                for days in REMINDER_DAYS
                if now >= assessment.requested_at + timedelta(days=days)
                and str(days) not in assessment.reminded_at
            ]
            if not due:
                continue
            days = max(due)
            for each in due:
                assessment.reminded_at[str(each)] = now.isoformat()
            assessment.save(update_fields=["reminded_at", "updated_at"])
            _event(assessment, AssessmentEvent.Action.REMINDED, actor, reason=f"J+{days}")
            notify(
                notifications.TutorRequestNotification(assessment=assessment, reminder_days=days)
            )
            if days == REMINDER_DAYS[-1]:
                notify(notifications.AgencyReminderNotification(assessment=assessment))
            result.count += 1
            result.references.append(assessment.convention.reference)
    return result


def resend_link(*, assessment: Assessment, actor: Actor) -> bool:
    """Send the tutor their link again (to the tutor's own address): a conseiller of the
    agency, or the tutor from an expired link's page (``AUTOMATIC``). At most once per
    ``RESEND_COOLDOWN_HOURS``; False (nothing sent) inside that delay or once filled."""
    convention = assessment.convention
    require(
        actor,
        lambda person: selectors.is_agency_member(person, convention),
        system_allowed={AUTOMATIC},
    )
    with transaction.atomic():
        locked = _locked(assessment)
        now = timezone.now()
        recent = locked.link_resent_at and now - locked.link_resent_at < timedelta(
            hours=RESEND_COOLDOWN_HOURS
        )
        if recent or locked.is_filled or not locked.convention.tutor_email:
            return False
        locked.link_resent_at = now
        locked.save(update_fields=["link_resent_at", "updated_at"])
        _event(locked, AssessmentEvent.Action.RESENT, actor)
        notify(notifications.TutorRequestNotification(assessment=locked))
        return True


# --- filling, co-signing, correcting -------------------------------------------------------


def _apply(assessment: Assessment, answers: Answers) -> None:
    facts = selectors.facts_of(assessment.convention)
    no_show = answers.outcome == Outcome.NO_SHOW
    partial = answers.outcome == Outcome.PARTIAL
    assessment.outcome = answers.outcome
    assessment.last_day = answers.last_day if partial else None
    assessment.missed_minutes = answers.missed_minutes if partial else 0
    assessment.no_show_reason = answers.no_show_reason if no_show else ""
    assessment.objectives = [] if no_show else [asdict(o) for o in answers.objectives]
    assessment.skills = [] if no_show else [asdict(s) for s in answers.skills]
    assessment.appreciation = "" if no_show else answers.appreciation
    assessment.advice = "" if no_show else answers.advice
    assessment.hired = answers.hired and not no_show
    assessment.contract_type = answers.contract_type if assessment.hired else ""
    assessment.contract_start = answers.contract_start if assessment.hired else None
    assessment.minutes_done = hours_done(answers, facts)


def _validate(assessment: Assessment, answers: Answers) -> None:
    violations = check(answers, selectors.facts_of(assessment.convention))
    if violations:
        raise AssessmentError("Le bilan n'est pas complet.", violations)


def fill(*, convention: Convention, answers: Answers, actor: Actor) -> Assessment:
    """The tutor (by their link: ``AUTOMATIC``) or a conseiller or valideur of the agency
    (« à la place du tuteur », even before the tutor was asked) fills the assessment,
    once. A no-show tells the agency at once; otherwise the beneficiary is asked to read
    and co-sign."""
    require(
        actor,
        lambda person: selectors.is_agency_member(person, convention),
        system_allowed={AUTOMATIC},
    )
    with transaction.atomic():
        Convention.objects.select_for_update(of=("self",)).filter(pk=convention.pk).first()
        assessment, _created = Assessment.objects.get_or_create(convention=convention)
        locked = _locked(assessment)
        if locked.cosigned_at is not None:
            raise AssessmentError(ALREADY_SIGNED)
        if locked.is_filled:
            raise AssessmentError(ALREADY_FILLED)
        if not selectors.may_be_assessed(locked.convention, timezone.localdate()):
            raise AssessmentError("Cette convention ne peut pas recevoir de bilan.")
        _validate(locked, answers)
        _apply(locked, answers)
        locked.filled_at = timezone.now()
        locked.filled_by = user_of(actor)
        if is_system(actor):
            locked.filled_by_kind = FilledBy.TUTOR
            locked.filled_by_name = locked.convention.tutor_name
        else:
            locked.filled_by_kind = FilledBy.AGENCY
            locked.filled_by_name = _name(actor)
        locked.save()
        _event(locked, AssessmentEvent.Action.FILLED, actor)
        if locked.is_no_show:
            notify(notifications.NoShowNotification(assessment=locked))
        else:
            notify(notifications.CosignRequestNotification(assessment=locked))
        return locked


def cosign(
    *, assessment: Assessment, agrees: bool | None, comment: str, actor: Actor
) -> Assessment:
    """The beneficiary (by their link: ``AUTOMATIC``, or from their account) agrees, or
    disagrees and says why. Then agency, structure and beneficiary are told."""
    convention = assessment.convention
    require(
        actor,
        lambda person: selectors.is_beneficiary(person, convention),
        system_allowed={AUTOMATIC},
    )
    with transaction.atomic():
        locked = _locked(assessment)
        if locked.cosigned_at is not None:
            raise AssessmentError("Vous avez déjà signé ce bilan.")
        if not locked.to_cosign:
            raise AssessmentError("Ce bilan n'attend pas votre signature.")
        violations = check_cosign(agrees=agrees, comment=comment)
        if violations:
            raise AssessmentError(violations[0].message, violations)
        locked.beneficiary_agrees = agrees
        locked.beneficiary_comment = comment.strip()
        locked.cosigned_at = timezone.now()
        locked.save(
            update_fields=["beneficiary_agrees", "beneficiary_comment", "cosigned_at", "updated_at"]
        )
        _event(locked, AssessmentEvent.Action.COSIGNED, actor)
        notify(notifications.CosignedNotification(assessment=locked))
        _queue_document(locked)
        return locked


CORRECTED_FIELDS = (
    ("outcome", "L'immersion"),
    ("last_day", "Dernier jour de présence"),
    ("missed_minutes", "Temps manqué"),
    ("no_show_reason", "Motif de l'absence"),
    ("objectives", "Objectifs"),
    ("skills", "Compétences observées"),
    ("appreciation", "Appréciation générale"),
    ("advice", "Conseils pour la suite"),
    ("hired", "Embauche"),
    ("contract_type", "Type de contrat"),
    ("contract_start", "Début du contrat"),
)


def correct(*, assessment: Assessment, answers: Answers, reason: str, actor: Actor) -> Assessment:
    """A conseiller or valideur of the agency corrects a filled assessment (signed or
    not), with a reason: logged with the fields changed, beneficiary and tutor told."""
    convention = assessment.convention
    require(
        actor, lambda person: selectors.is_agency_member(person, convention), system_allowed=False
    )
    if not reason.strip():
        raise AssessmentError("Indiquez le motif de la correction.")
    with transaction.atomic():
        locked = _locked(assessment)
        if not locked.is_filled:
            raise AssessmentError("Ce bilan n'est pas encore rempli : remplissez-le.")
        _validate(locked, answers)
        before = {name: getattr(locked, name) for name, _label in CORRECTED_FIELDS}
        _apply(locked, answers)
        changed = [
            label for name, label in CORRECTED_FIELDS if getattr(locked, name) != before[name]
        ]
        if not changed:
            raise AssessmentError("Rien n'a changé : il n'y a rien à corriger.")
        locked.save()
        _event(
            locked,
            AssessmentEvent.Action.CORRECTED,
            actor,
            reason=reason.strip(),
            changes=changed,
        )
        notify(
            notifications.CorrectedNotification(
                assessment=locked, changed=changed, why=reason.strip()
            )
        )
        if locked.cosigned_at is not None:
            _queue_document(locked)
        return locked


# --- renewal (D5135-3) ---------------------------------------------------------------------
#
# A request is an ``AssessmentEvent`` (RENEWAL_ASKED, the message in ``reason``), not a
# model of its own: like every step of the assessment it records who asked, when and why,
# is never updated, and is anonymised and exported with the assessment (issue 11). Its
# answer is the renewal itself: the draft the agency prepares (a RENEWAL_STARTED event),
# signed and validated like any convention.

ALREADY_ASKED = (
    "Vous avez déjà demandé ce renouvellement : votre conseiller ou votre conseillère a "
    "reçu votre demande."
)


def request_renewal(*, assessment: Assessment, message: str, actor: Actor) -> bool:
    """The beneficiary (from their account, or by their link: ``AUTOMATIC``) asks their
    agency to renew the immersion, with an optional message: the agency's team is
    e-mailed. Once: False (nothing recorded, nothing sent) when already asked. Refused
    (``AssessmentError``) when the assessment does not allow a renewal or when the
    immersion was already renewed."""
    convention = assessment.convention
    require(
        actor,
        lambda person: selectors.is_beneficiary(person, convention),
        system_allowed={AUTOMATIC},
    )
    message = message.strip()
    if len(message) > RENEWAL_MESSAGE_MAX:
        raise AssessmentError(
            f"Votre message dépasse {RENEWAL_MESSAGE_MAX} caractères ({len(message)})."
        )
    with transaction.atomic():
        locked = _locked(assessment)
        state = selectors.renewal_of(locked.convention, locked)
        if state.request is not None:
            return False
        if not state.possible:
            raise AssessmentError(state.refusal)
        if state.renewal is not None:
            raise AssessmentError(selectors.BEING_PREPARED)
        _event(locked, AssessmentEvent.Action.RENEWAL_ASKED, actor, reason=message)
        notify(notifications.RenewalRequestNotification(assessment=locked, message=message))
        return True


def decline_renewal(*, assessment: Assessment, reason: str, actor: Actor) -> bool:
    """A conseiller or valideur of the agency answers the beneficiary's request: a renewal
    is not possible, and why (required, told to the beneficiary by e-mail). Once: False
    when already answered. Refused when nothing was asked or the renewal is being prepared.
    The agency may still prepare it later, if things change."""
    convention = assessment.convention
    require(
        actor, lambda person: selectors.is_agency_member(person, convention), system_allowed=False
    )
    reason = reason.strip()
    if not reason:
        raise AssessmentError(
            "Dites en quelques mots pourquoi le renouvellement n'est pas possible."
        )
    if len(reason) > RENEWAL_MESSAGE_MAX:
        raise AssessmentError(
            f"Votre réponse dépasse {RENEWAL_MESSAGE_MAX} caractères ({len(reason)})."
        )
    with transaction.atomic():
        locked = _locked(assessment)
        state = selectors.renewal_of(locked.convention, locked)
        if state.declined is not None:
            return False
        if state.request is None:
            raise AssessmentError("La personne accueillie n'a pas demandé de renouvellement.")
        if state.renewal is not None:
            raise AssessmentError("Le renouvellement est déjà en préparation.")
        _event(locked, AssessmentEvent.Action.RENEWAL_DECLINED, actor, reason=reason)
        notify(notifications.RenewalDeclinedNotification(assessment=locked, reason=reason))
        return True


def start_renewal(*, convention: Convention, actor: Actor) -> Convention:
    """A conseiller or valideur of the agency prepares the renewal its assessment allows
    (at least one objective not met, no renewal sent): the draft of a new convention with
    the same object, objectives and parties, whose dates are to choose
    (``conventions.services.start_renewal``). Pressed twice, the same open draft."""
    require(
        actor, lambda person: selectors.is_agency_member(person, convention), system_allowed=False
    )
    with transaction.atomic():
        # The convention first, then the assessment: the order ``fill`` takes them in.
        parent = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
        assessment = Assessment.objects.filter(convention=parent).first()
        locked = _locked(assessment) if assessment is not None else None
        state = selectors.renewal_of(parent, locked)
        if not state.possible:
            raise AssessmentError(state.refusal)
        try:
            renewal = convention_services.start_renewal(parent=parent, actor=actor)
        except convention_services.ConventionError as error:
            raise AssessmentError(error.message) from error
        if state.renewal is None or state.renewal.pk != renewal.pk:
            _event(locked, AssessmentEvent.Action.RENEWAL_STARTED, actor)
            notify(
                notifications.RenewalStartedNotification(
                    assessment=locked, asked=state.request is not None
                )
            )
        return renewal
