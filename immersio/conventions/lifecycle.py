"""The life of a sent convention: submission, signatures, requests, validation, refusal,
cancellation, transfer, corrections, obsolescence. Keyword arguments only.

Each function is one state change: it locks the convention's row, asks the transition
table (``transitions.check``) whether the actor's role may take the action from the current
status, changes the convention in one transaction, writes a ``ConventionEvent`` (who, role,
from, to, reason, version and its SHA-256), and queues its e-mails in the same transaction
(the outbox sends them after the commit). A form that shows a convention posts the version
and status it showed: when they changed meanwhile, the action is refused with a message to
reload (``StaleConvention``), never applied to something the person did not see.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import Agency
from immersio.agencies.selectors import can_create_conventions
from immersio.core.actors import AUTOMATIC, COMMAND, TASK, Actor, is_system, require, user_of
from immersio.core.dates import add_working_days
from immersio.core.ratelimit import hit
from immersio.core.validators import normalise_french_mobile
from immersio.notifications.services import notify, renders_later, send_sms

from . import content, notifications, rules, selectors, signing
from .links import signature_link
from .models import (
    Convention,
    ConventionEvent,
    ConventionVersion,
    Signatory,
    Signature,
    SignatureReminder,
)
from .selectors import (
    contact_problems,
    current_version,
    expected_signatories,
    required_signatories,
    signed_by,
    unsigned,
)
from .services import ConventionError, missing, violations
from .signing import SignatureError
from .tasks import render_pdf
from .transitions import (
    FINAL,
    IN_PROGRESS,
    TRANSITIONS,
    Action,
    Role,
    Status,
    Transition,
    TransitionRefused,
    check,
    date_problem,
    obsolete_after,
)

RESEND_HOURS = 24
RESEND_COOLDOWN = timedelta(hours=RESEND_HOURS)
# Reminders to those who have not signed, so many working days before the start.
REMINDER_WORKING_DAYS = (3, 1)


class StaleConvention(ConventionError):
    """The convention changed between the page and the click (another person acted)."""

    def __init__(self):
        super().__init__(
            "La convention a changé pendant que vous la lisiez (une autre personne a agi) : "
            "rechargez la page pour voir son état actuel, puis recommencez si besoin."
        )


def _refused(error: TransitionRefused) -> ConventionError:
    return ConventionError(error.message)


# --- reading --------------------------------------------------------------------------------


# The columns a signature reads and writes (status, versions, the beneficiary's age for the
# legal representative, what ``Convention.save`` reads): a signature reads these, not the
# row's ninety columns; the one that completes reads the whole row for its e-mails.
_SIGNING_FIELDS = (
    "id",
    "status",
    "status_changed_at",
    "status_reason",
    "updated_at",
    "version",
    "substance_version",
    "rules_version",
    "beneficiary_birth_date",
    "renews",
    "renewal_root",
)


# What the content and the e-mails name, read with the convention by default.
_RELATED = ("agency", "appellation", "place_commune")


def _locked(
    convention: Convention | int,
    *,
    related: tuple[str, ...] = _RELATED,
    only: tuple[str, ...] = (),
) -> Convention:
    """The convention, its row locked until the transaction ends. ``related``: the
    relations read with it (none to record a signature); ``only``: these columns only
    (related ones named ``agency__kind``). The convention it renews (another whole row)
    is read when asked, for a renewal only."""
    pk = convention if isinstance(convention, int) else convention.pk
    # ``of``: the convention's row only. The nullable relations read with it are LEFT
    # OUTER JOINs, which PostgreSQL refuses to lock (FeatureNotSupported).
    rows = Convention.objects.select_for_update(of=("self",))
    if related:
        rows = rows.select_related(*related)
    if only:
        rows = rows.only(*only)
    return rows.get(pk=pk)


def _expect(convention: Convention, version: int | None, status: str | None) -> None:
    if version is not None and convention.version != version:
        raise StaleConvention
    if status is not None and convention.status != status:
        raise StaleConvention


# --- the parties ----------------------------------------------------------------------------


def _sync_signatories(convention: Convention) -> list[Signatory]:
    """Signatory rows as the content says; a party the content no longer names stays, as
    inactive, with the evidence of what they signed."""
    expected = expected_signatories(convention, timezone.localdate())
    roles = set()
    rows = []
    for item in expected:
        roles.add(item.role)
        row, _created = Signatory.objects.update_or_create(
            convention=convention,
            role=item.role,
            defaults={
                "name": item.name,
                "email": item.email.strip().lower(),
                "phone": item.phone,
                "active": True,
            },
        )
        rows.append(row)
    convention.signatories.exclude(role__in=roles).exclude(
        role=Role.HOST_SECOND_REPRESENTATIVE
    ).update(active=False)
    return rows


# --- events and versions --------------------------------------------------------------------


def _actor_name(actor: Actor, signatory: Signatory | None = None) -> str:
    if signatory is not None:
        return signatory.name
    user = user_of(actor)
    if user is None:
        return str(actor)
    return user.get_full_name() or user.email


def _event_row(
    convention: Convention,
    action: Action,
    *,
    actor: Actor,
    role: Role,
    from_status: str,
    to_status: str,
    reason: str = "",
    signatory: Signatory | None = None,
    at: datetime | None = None,
    version: ConventionVersion | None = None,
) -> ConventionEvent:
    """An event of the convention's history, not saved yet (``_event`` saves one; a
    signature that completes the set saves its two in one query)."""
    version = version or current_version(convention, content=False)
    return ConventionEvent(
        convention=convention,
        at=at or timezone.now(),
        action=action.value,
        by=user_of(actor),
        by_name=_actor_name(actor, signatory),
        role=role,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip(),
        version=convention.version,
        content_sha256=version.sha256 if version else "",
        rules_version=convention.rules_version,
    )


def _event(convention: Convention, action: Action, **fields: Any) -> ConventionEvent:
    """``_event_row``, saved."""
    row = _event_row(convention, action, **fields)
    row.save(force_insert=True)
    return row


def _new_version(
    convention: Convention, *, actor: Actor, reason: str, force_substance: bool = False
) -> tuple[ConventionVersion, list[content.Change]]:
    previous = current_version(convention)
    document = content.canonical(convention)
    found = content.changes(previous.content, document) if previous else []
    substance = previous is None or force_substance or content.is_substantial(found)
    number = convention.version + 1
    version = ConventionVersion.objects.create(
        convention=convention,
        number=number,
        substance=substance,
        content=document,
        sha256=content.digest(document),
        created_by=user_of(actor),
        reason=reason.strip(),
        changes=[
            {
                "key": c.key,
                "label": c.label,
                "before": c.before,
                "after": c.after,
                "substance": c.substance,
            }
            for c in found
        ],
    )
    convention.version = number
    if substance:
        convention.substance_version = number
    return version, found


def _set_status(convention: Convention, status: str, reason: str = "") -> None:
    convention.status = status
    convention.status_changed_at = timezone.now()
    convention.status_reason = reason.strip()


_STATUS_FIELDS = ("status", "status_changed_at", "status_reason", "updated_at")


def _all_signed(
    convention: Convention,
    signatures: dict[int, Signature],
    signatories: list[Signatory] | None = None,
) -> bool:
    """Every signatory the content in force needs has signed it. ``signatories``: the
    active ones, when the caller read them already."""
    required = required_signatories(convention, signatures=signatures, signatories=signatories)
    return bool(required) and all(s.pk in signatures for s in required)


def _completing(
    convention: Convention, *, before: str, version: ConventionVersion | None
) -> tuple[Convention, ConventionEvent]:
    """Every required signatory has signed: en examen. Saves the status; returns the
    convention as its e-mails need it, and the event (not saved yet)."""
    check(Action.COMPLETE_SIGNATURES, status=before, roles={Role.SYSTEM})
    _set_status(convention, Status.IN_REVIEW)
    convention.save(update_fields=_STATUS_FIELDS)
    if convention.get_deferred_fields() and not renders_later(notifications.AllSignedNotification):
        # Read with the signing columns only: the e-mails name the rest (one read;
        # none when the worker renders them, from the convention's key).
        convention = Convention.objects.select_related("agency", "appellation").get(
            pk=convention.pk
        )
    event = _event_row(
        convention,
        Action.COMPLETE_SIGNATURES,
        actor=AUTOMATIC,
        role=Role.SYSTEM,
        from_status=before,
        to_status=Status.IN_REVIEW,
        version=version,
    )
    return convention, event


def _settle(
    convention: Convention,
    *,
    actor: Actor,
) -> None:
    """After a new version (or a signatory no longer needed): à signer, partiellement
    signée or, when every required signatory has signed the content in force, en examen
    (and the agency is told)."""
    if convention.status not in {Status.TO_SIGN, Status.PARTIALLY_SIGNED}:
        return
    signatures = signed_by(convention)
    if _all_signed(convention, signatures):
        convention, event = _completing(convention, before=convention.status, version=None)
        event.save(force_insert=True)
        notify(notifications.AllSignedNotification(convention=convention))
    elif signatures and convention.status == Status.TO_SIGN:
        _set_status(convention, Status.PARTIALLY_SIGNED)
        convention.save(update_fields=_STATUS_FIELDS)


# --- submission -----------------------------------------------------------------------------


def _send_links(
    convention: Convention,
    *,
    found: list[content.Change],
    reason: str,
    first: bool,
    only: Iterable[Signatory] | None = None,
) -> None:
    signatures = signed_by(convention)
    now = timezone.now()
    for signatory in only if only is not None else required_signatories(convention):
        if signatory.pk in signatures:
            continue
        _send_link(signatory, convention, found=found, reason=reason, first=first, now=now)


def _send_link(
    signatory: Signatory,
    convention: Convention,
    *,
    found: list[content.Change],
    reason: str,
    first: bool,
    now: datetime,
) -> None:
    link = signature_link(signatory, convention.version)
    if signatory.email:
        notify(
            notifications.SignatureRequestNotification(
                signatory=signatory,
                convention=convention,
                link=link,
                changes=found,
                reason=reason,
                first=first,
            )
        )
    elif signing.has_mobile(signatory):
        send_sms(
            to=signatory.phone,
            body_template="conventions/sms/signature_request.txt",
            context={"link": str(link), "reference": convention.reference},
            kind="convention_signature_request",
            sensitive=True,
            actor=AUTOMATIC,
        )
    Signatory.objects.filter(pk=signatory.pk).update(
        link_sent_at=now, links_sent=signatory.links_sent + 1
    )


def _check_role(
    action: Action, convention: Convention, roles: set[Role], reason: str = ""
) -> Transition:
    try:
        return check(action, status=convention.status, roles=roles, reason=reason)
    except TransitionRefused as error:
        raise _refused(error) from error


def _begin(
    convention: Convention,
    action: Action,
    *,
    actor: Actor,
    system_allowed: bool | set,
    version: int | None = None,
    status: str | None = None,
    reason: str = "",
    narrow: bool = False,
) -> tuple[Convention, set[Role], Transition]:
    """Lock ``convention``; refuse a person holding no role on it (``require``: a party,
    or the system actors ``system_allowed``); check it is still what the person saw, and
    that the table lets their roles take ``action`` now: the first lines of every
    decision. The roles are read once, under the lock, for the refusal and the table.
    ``narrow``: read only what a decision needs (``_DECIDING_FIELDS``)."""
    if narrow:
        convention = _locked(convention, related=("agency",), only=_DECIDING_FIELDS)
    else:
        convention = _locked(convention)
    roles = _roles_or_refuse(actor, convention, enough=TRANSITIONS[action].roles)
    require(actor, lambda user: bool(roles), system_allowed=system_allowed)
    _expect(convention, version, status)
    return convention, roles, _check_role(action, convention, roles, reason)


def _party(convention: Convention) -> Callable[[User], bool]:
    """For ``require``: a person holding any role on ``convention``."""
    return lambda user: bool(selectors.roles_of(user, convention))


def _of_agency_or_staff(convention: Convention) -> Callable[[User], bool]:
    """For ``require``: the agency's team (or a valideur of its prescripteur de
    rattachement), or the Immersio team."""
    wanted = {Role.COUNSELLOR, Role.VALIDATOR, Role.STAFF}
    return lambda user: bool(selectors.roles_of(user, convention) & wanted)


def _roles_or_refuse(
    actor: Actor, convention: Convention, *, enough: frozenset[Role] = frozenset()
) -> set[Role]:
    if is_system(actor):
        return {Role.SYSTEM} if actor in (TASK, COMMAND, AUTOMATIC) else set()
    return set(selectors.roles_of(actor, convention, enough=enough))


def _author_signs(convention: Convention, *, actor: Actor, ip: str, user_agent: str) -> None:
    """The person who changed the content counts as having signed the new version, when
    their verified address is a signatory's."""
    user = user_of(actor)
    signatory = selectors.signatory_of(user, convention)
    version = current_version(convention)
    if signatory is None or version is None:
        return
    Signature.objects.get_or_create(
        signatory=signatory,
        version=version,
        defaults={
            "version_number": version.number,
            "method": Signature.Method.AUTHOR,
            "code_sent_to": user.email,
            "ip_address": ip or None,
            "user_agent": user_agent[:500],
            "content_sha256": version.sha256,
        },
    )


@transaction.atomic
def submit(
    *, convention: Convention, actor: Actor, ip: str = "", user_agent: str = ""
) -> Convention:
    """A party sends the draft once the rules pass: a new version of the content, the
    signatories asked to sign (each by their own link), the agency told. After a change
    (a draft reopened), every signature of the old content is void and the author's counts
    for the new one."""
    require(actor, _party(convention), system_allowed={TASK, COMMAND})
    convention = _locked(convention)
    roles = _roles_or_refuse(actor, convention)
    _check_role(Action.SUBMIT, convention, roles)
    today = timezone.localdate()
    found = (
        missing(convention)
        + rules.errors(violations(convention))
        + contact_problems(convention, today)
    )
    if found:
        raise ConventionError(
            "La convention ne peut pas être envoyée tant que des erreurs restent à corriger.",
            found,
        )
    allowed, reason = can_create_conventions(convention.agency)
    if not allowed:
        raise ConventionError(reason, [rules.Violation("agency", "agency_cannot_create", reason)])
    now = timezone.now()
    first = convention.version == 0
    rule_set = rules.rule_set_for(timezone.localtime(now).date())
    if first:
        convention.submitted_at = now
    convention.rules_version = rule_set.version
    _set_status(convention, Status.TO_SIGN)
    try:
        with transaction.atomic():
            convention.save()
    except IntegrityError as error:  # another renewal of the same original, sent meanwhile
        if not convention.is_renewal:
            raise
        message = "Une immersion ne peut être renouvelée qu'une fois : elle l'a déjà été."
        raise ConventionError(
            message, [rules.Violation("renewal", "already_renewed", message)]
        ) from error
    _sync_signatories(convention)
    reopened = convention.events.filter(action=Action.REOPEN.value).order_by("-at", "-id").first()
    change_reason = reopened.reason if (reopened and not first) else ""
    _version, changes_found = _new_version(convention, actor=actor, reason=change_reason)
    convention.save()
    _event(
        convention,
        Action.SUBMIT,
        actor=actor,
        role=Role.DRAFTER if Role.DRAFTER in roles else sorted(roles)[0],
        from_status=Status.DRAFT,
        to_status=Status.TO_SIGN,
        reason=change_reason,
        at=now,
    )
    if not first:
        _author_signs(convention, actor=actor, ip=ip, user_agent=user_agent)
    _send_links(convention, found=changes_found, reason=change_reason, first=first)
    if first:
        notify(notifications.AgencyNewConventionNotification(convention=convention))
    else:
        notify(
            notifications.ConventionChangedNotification(
                convention=convention, changes=changes_found, reason=change_reason
            )
        )
    _settle(convention, actor=actor)
    return convention


# --- signatures -----------------------------------------------------------------------------


def _signatory_locked(signatory: Signatory, version: int) -> tuple[Signatory, Convention]:
    convention = _locked(signatory.convention_id, related=())
    return _signatory_checked(Signatory.objects.get(pk=signatory.pk), convention, version)


def _signatory_checked(
    signatory: Signatory, convention: Convention, version: int
) -> tuple[Signatory, Convention]:
    """``signatory`` (as just read) may sign ``version`` of ``convention``."""
    if not signatory.active:
        raise SignatureError(
            "Vous ne signez plus cette convention : son contenu a changé et ne vous concerne plus.",
            code="inactive",
        )
    if convention.version != version:
        raise SignatureError(
            "Ce lien concerne une version précédente de la convention : elle a changé depuis. "
            "Demandez un nouveau lien pour lire et signer la version en vigueur.",
            code="old_version",
        )
    return signatory, convention


@transaction.atomic
def send_code(*, signatory: Signatory, version: int, channel: str = "email", actor: Actor) -> str:
    """Send the 6-digit code that proves, at the moment of signing, control of the
    signatory's own contact (valid 10 minutes). Returns the masked contact it went to.
    The person holding the link acts (``AUTOMATIC``); at most 5 codes an hour."""
    require(actor, lambda user: False, system_allowed={AUTOMATIC})
    signatory, convention = _signatory_locked(signatory, version)
    _check_role(Action.SIGN, convention, {Role(signatory.role)})
    if signatory.pk in signed_by(convention):
        raise SignatureError("Vous avez déjà signé cette version.", code="already_signed")
    if not hit("signature_code_per_signatory", str(signatory.public_id)):
        raise SignatureError(
            "Trop de codes demandés : attendez une heure avant d'en demander un nouveau.",
            code="rate_limited",
        )
    return signing.provider().challenge(
        signatory=signatory, convention=convention, version=version, channel=channel
    )


def _add_signature(
    convention: Convention,
    signatory: Signatory,
    signature: Signature,
    version: ConventionVersion,
    *,
    actor: Actor,
    reason: str = "",
    signatures: dict[int, Signature] | None = None,
    signatories: list[Signatory] | None = None,
) -> None:
    """Record ``signature`` of ``version`` (the evidence the caller filled in), the event,
    and what follows: partly signed, or in review once everyone has signed (one update
    of the convention's row, the two events in one insert). ``signatures``:
    ``signed_by(convention)`` before this one, and ``signatories``: the active ones,
    when the caller read them under the lock."""
    signature.signatory = signatory
    signature.version = version
    signature.version_number = version.number
    signature.content_sha256 = version.sha256
    signature.save()
    before = convention.status
    signatures = (
        signed_by(convention) if signatures is None else {**signatures, signatory.pk: signature}
    )
    events = [
        _event_row(
            convention,
            Action.SIGN,
            actor=actor,
            role=Role(signatory.role),
            from_status=before,
            to_status=Status.PARTIALLY_SIGNED,
            reason=reason,
            signatory=signatory,
            version=version,
        )
    ]
    completed = _all_signed(convention, signatures, signatories)
    if completed:
        convention, event = _completing(convention, before=Status.PARTIALLY_SIGNED, version=version)
        events.append(event)
    elif before != Status.PARTIALLY_SIGNED:
        _set_status(convention, Status.PARTIALLY_SIGNED)
        convention.save(update_fields=_STATUS_FIELDS)
    else:  # still partly signed: a change, not a new status
        convention.save(update_fields=["updated_at"])
    ConventionEvent.objects.bulk_create(events)
    if completed:
        notify(notifications.AllSignedNotification(convention=convention))


@dataclass
class SignResult:
    signature: Signature
    already: bool = False
    completed: bool = False
    status: str = ""


def sign(
    *,
    signatory: Signatory,
    version: int,
    code: str,
    confirmed: bool,
    ip: str,
    user_agent: str,
    actor: Actor,
) -> SignResult:
    """*Je signe*: the signatory confirmed they read and accept the convention and typed
    the code just sent to their own contact. Records time, IP address, browser and the
    SHA-256 of the version signed. Signing again changes nothing (and keeps the code).

    A wrong code counts as an attempt even though nothing is signed: the caller must not
    roll back its transaction."""
    require(actor, lambda user: False, system_allowed={AUTOMATIC})
    if not confirmed:
        raise SignatureError(
            "Cochez la case pour confirmer que vous avez lu la convention et l'acceptez.",
            code="not_confirmed",
        )
    # No savepoint inside the caller's transaction (the signing page's): a refusal is
    # caught in the block and raised once out of it (through it, it would roll back the
    # wrong code's attempt, which must stay counted); it comes before any other write.
    refused = None
    with transaction.atomic(savepoint=False):
        try:
            return _record_signature(signatory, version, code, ip=ip, user_agent=user_agent)
        except ConventionError as error:  # a SignatureError, or a forbidden transition
            refused = error
    raise refused


def _record_signature(
    signatory: Signatory, version: int, code: str, *, ip: str, user_agent: str
) -> SignResult:
    """Under the lock: what may have changed since the page was shown (another signature,
    a change), then the code, then the signature. The code comes after the checks that
    need none: a second click finds the signature and leaves the code alone. A refusal
    (``ConventionError``) is caught by ``sign`` inside the transaction."""
    # The active signatories, read once: this one's checks, and who must still sign.
    convention = _locked(signatory.convention_id, related=(), only=_SIGNING_FIELDS)
    active = list(convention.signatories.filter(active=True).order_by())
    mine = next((row for row in active if row.pk == signatory.pk), None)
    signatory, convention = _signatory_checked(
        mine or Signatory.objects.get(pk=signatory.pk), convention, version
    )
    signatures = signed_by(convention, signatories=active)
    existing = signatures.get(signatory.pk)
    if existing is not None:
        return SignResult(existing, already=True, status=convention.status)
    _check_role(Action.SIGN, convention, {Role(signatory.role)})
    proof = signing.provider().verify(signatory=signatory, version=version, proof=code)
    current = current_version(convention, content=False)
    signature = Signature(
        method=proof.method,
        code_sent_to=proof.sent_to,
        ip_address=ip or None,
        user_agent=(user_agent or "")[:500],
    )
    _add_signature(
        convention,
        signatory,
        signature,
        current,
        actor=AUTOMATIC,
        signatures=signatures,
        signatories=active,
    )
    return SignResult(
        signature, completed=convention.status == Status.IN_REVIEW, status=convention.status
    )


@transaction.atomic
def record_paper_signature(
    *, signatory: Signatory, version: int, scan: bytes, filename: str, actor: Actor
) -> Signature:
    """Last resort: the agency uploads the scan of a paper signature for one signatory,
    recorded as such in the evidence (with the scan's SHA-256)."""
    convention = signatory.convention
    require(actor, _of_agency_or_staff(convention), system_allowed=False)
    signatory, convention = _signatory_locked(signatory, version)
    _check_role(Action.SIGN, convention, {Role(signatory.role)})
    existing = signed_by(convention).get(signatory.pk)
    if existing is not None:
        return existing
    if not scan:
        raise SignatureError("Joignez le scan de la convention signée.", code="no_scan")
    signature = Signature(
        method=Signature.Method.PAPER,
        scan_sha256=hashlib.sha256(scan).hexdigest(),
        recorded_by=user_of(actor),
    )
    signature.scan.save(filename or "signature.pdf", ContentFile(scan), save=False)
    _add_signature(
        convention,
        signatory,
        signature,
        current_version(convention),
        actor=actor,
        reason="Signature papier numérisée déposée par le prescripteur.",
    )
    return signature


@transaction.atomic
def resend_link(*, signatory: Signatory, actor: Actor) -> Signatory:
    """The agency sends a signatory their link again: at most once in 24 hours."""
    convention = signatory.convention
    require(actor, _of_agency_or_staff(convention), system_allowed=False)
    convention = _locked(convention)
    signatory = Signatory.objects.get(pk=signatory.pk)
    if convention.status not in {Status.TO_SIGN, Status.PARTIALLY_SIGNED}:
        raise ConventionError("Cette convention n'attend plus de signature.")
    if signatory.pk in signed_by(convention):
        raise ConventionError(f"{signatory.name} a déjà signé la version en vigueur.")
    now = timezone.now()
    if signatory.link_sent_at and now - signatory.link_sent_at < RESEND_COOLDOWN:
        again = timezone.localtime(signatory.link_sent_at + RESEND_COOLDOWN)
        raise ConventionError(
            f"Un lien a été envoyé à {signatory.name} il y a moins de {RESEND_HOURS} heures. "
            "Vous pourrez "
            f"le renvoyer à partir du {again:%d/%m/%Y à %H:%M}."
        )
    _send_link(signatory, convention, found=[], reason="", first=False, now=now)
    signatory.refresh_from_db()
    return signatory


@transaction.atomic
def renew_link(*, signatory: Signatory, actor: Actor) -> None:
    """An expired or outdated link: a fresh one, for the version in force, to the
    signatory's own contact (never to the person asking). At most once an hour."""
    require(actor, lambda user: False, system_allowed={AUTOMATIC})
    convention = _locked(signatory.convention)
    signatory = Signatory.objects.get(pk=signatory.pk)
    # Signing, or validated (the link then gives the PDF); nothing to renew otherwise.
    if not signatory.active or convention.status not in {
        Status.TO_SIGN,
        Status.PARTIALLY_SIGNED,
        Status.IN_REVIEW,
        Status.PRE_VALIDATED,
        Status.VALIDATED,
    }:
        return
    if not hit("signature_link_renewal", str(signatory.public_id)):
        return
    _send_link(signatory, convention, found=[], reason="", first=False, now=timezone.now())


# --- requests from a signatory's link -------------------------------------------------------


@transaction.atomic
def decline(*, signatory: Signatory, version: int, reason: str, actor: Actor) -> None:
    """A signatory says they will not sign, and why. Nothing else changes (a forwarded
    link cannot end a convention): the agency and the parties are told, and the agency
    decides (a change, a refusal)."""
    require(actor, lambda user: False, system_allowed={AUTOMATIC})
    signatory, convention = _signatory_locked(signatory, version)
    _check_role(Action.DECLINE, convention, {Role(signatory.role)}, reason)
    Signatory.objects.filter(pk=signatory.pk).update(
        declined_at=timezone.now(), decline_reason=reason.strip()
    )
    _event(
        convention,
        Action.DECLINE,
        actor=actor,
        role=Role(signatory.role),
        from_status=convention.status,
        to_status=convention.status,
        reason=reason,
        signatory=signatory,
    )
    notify(
        notifications.ConventionRequestNotification(
            convention=convention, action=Action.DECLINE, who=signatory.name, reason=reason
        )
    )


@transaction.atomic
def request_change(
    *,
    convention: Convention,
    reason: str,
    actor: Actor,
    signatory: Signatory | None = None,
    version: int | None = None,
) -> None:
    """A signatory (from their link) or the agency asks for a change, with the reason;
    everyone is told. The change itself is made by reopening the draft (``reopen``)."""
    if signatory is not None:
        require(actor, lambda user: False, system_allowed={AUTOMATIC})
        signatory, convention = _signatory_locked(signatory, version or 0)
        roles = {Role(signatory.role)}
    else:
        require(
            actor, lambda user: bool(selectors.roles_of(user, convention)), system_allowed=False
        )
        convention = _locked(convention)
        _expect(convention, version, None)
        roles = _roles_or_refuse(actor, convention)
    _check_role(Action.REQUEST_CHANGE, convention, roles, reason)
    role = Role(signatory.role) if signatory else _main_role(roles)
    _event(
        convention,
        Action.REQUEST_CHANGE,
        actor=actor,
        role=role,
        from_status=convention.status,
        to_status=convention.status,
        reason=reason,
        signatory=signatory,
    )
    notify(
        notifications.ConventionRequestNotification(
            convention=convention,
            action=Action.REQUEST_CHANGE,
            who=signatory.name if signatory else _actor_name(actor),
            reason=reason,
        )
    )


def _main_role(roles: set[Role]) -> Role:
    for role in (Role.VALIDATOR, Role.COUNSELLOR, Role.STAFF, Role.DRAFTER, Role.SYSTEM):
        if role in roles:
            return role
    return sorted(roles)[0]


# --- decisions ------------------------------------------------------------------------------


@dataclass
class Decision:
    convention: Convention
    event: ConventionEvent
    messages: list[str] = field(default_factory=list)


_DECISION_NOTICES = {
    Action.VALIDATE: notifications.ConventionValidatedNotification,
    Action.REFUSE: notifications.ConventionRefusedNotification,
    Action.CANCEL: notifications.ConventionCancelledNotification,
    Action.MAKE_OBSOLETE: notifications.ConventionObsoleteNotification,
    Action.REOPEN: notifications.ConventionReopenedNotification,
    Action.PRE_VALIDATE: notifications.ConventionPreValidatedNotification,
}


# What a decision changes on the convention's row (its status, and who validated).
_DECISION_FIELDS = (
    *_STATUS_FIELDS,
    "validated_at",
    "validated_by",
    "validator_name",
    "pre_validated_by_name",
)


# What a decision reads of the convention when its e-mails are rendered by the worker
# (from the convention's key): who may decide (``selectors.roles_of``), what it checks
# and what it writes; ``save`` reads ``renews``.
_DECIDING_FIELDS = (
    "id",
    "public_id",
    "version",
    "rules_version",
    "date_start",
    "amends",
    "renews",
    "renewal_root",
    "created_by",
    "contact_request",
    "structure",
    *_DECISION_FIELDS,
    "agency__kind",
    "agency__referring_agency",
)


@transaction.atomic
def decide(
    *,
    convention: Convention,
    action: Action,
    actor: Actor,
    reason: str = "",
    version: int | None = None,
    status: str | None = None,
    today: date | None = None,
) -> Decision:
    """The prescriber's decisions (pré-valider, valider, refuser, annuler), reopening the
    draft for a change (the agency or a party with an account), and obsolescence (the
    nightly job). ``version``/``status``: what the person saw (see ``StaleConvention``)."""
    if action not in _DECISION_NOTICES:
        raise ValueError(action)
    convention, roles, transition = _begin(
        convention,
        action,
        actor=actor,
        system_allowed={TASK, COMMAND},
        version=version,
        status=status,
        reason=reason,
        narrow=renders_later(_DECISION_NOTICES[action]),
    )
    today = today or timezone.localdate()
    problem = date_problem(action, today=today, start=convention.date_start)
    if problem:
        raise ConventionError(problem)
    before = convention.status
    role = _main_role(roles & transition.roles)
    _set_status(convention, transition.target, reason)
    if action is Action.VALIDATE:
        user = user_of(actor)
        convention.validated_at = timezone.now()
        convention.validated_by = user
        convention.validator_name = _actor_name(actor)
    elif action is Action.PRE_VALIDATE:
        convention.pre_validated_by_name = _actor_name(actor)
    convention.save(update_fields=_DECISION_FIELDS)
    # Its digest for the event, its key for the PDF: not its content.
    version_row = current_version(convention, content=False)
    event = _event(
        convention,
        action,
        actor=actor,
        role=role,
        from_status=before,
        to_status=transition.target,
        reason=reason,
        version=version_row,
    )
    notify(_DECISION_NOTICES[action](convention=convention, reason=reason))
    if action is Action.VALIDATE and convention.amends_id:
        _replace_amended(convention, actor=actor)
    if action is Action.VALIDATE and version_row is not None:
        transaction.on_commit(lambda: render_pdf.enqueue(version_row.pk), robust=True)
    return Decision(convention, event)


@transaction.atomic
def transfer(
    *,
    convention: Convention,
    agency: Agency,
    reason: str,
    actor: Actor,
    version: int | None = None,
) -> Convention:
    """To another agency (the beneficiary chose the wrong one): the prescriber is a party
    and a mandatory mention, so a new version every signatory confirms; the new agency is
    told."""
    convention, roles, _transition = _begin(
        convention,
        Action.TRANSFER,
        actor=actor,
        system_allowed=False,
        version=version,
        reason=reason,
    )
    if agency.pk == convention.agency_id:
        raise ConventionError("La convention est déjà suivie par ce prescripteur.")
    allowed, why = can_create_conventions(agency)
    if not allowed:
        raise ConventionError(why)
    before = convention.status
    previous_agency = convention.agency
    convention.agency = agency
    convention.counsellor_name = ""
    convention.counsellor_email = ""
    _set_status(convention, Status.TO_SIGN, reason)
    _version, found = _new_version(convention, actor=actor, reason=reason, force_substance=True)
    convention.save()
    _event(
        convention,
        Action.TRANSFER,
        actor=actor,
        role=_main_role(roles),
        from_status=before,
        to_status=Status.TO_SIGN,
        reason=reason,
    )
    _send_links(convention, found=found, reason=reason, first=False)
    notify(
        notifications.ConventionTransferredNotification(
            convention=convention, previous_agency=previous_agency, reason=reason
        )
    )
    return convention


@transaction.atomic
def add_host_signatory(
    *,
    convention: Convention,
    name: str,
    email: str,
    phone: str,
    actor: Actor,
    version: int | None = None,
) -> Signatory:
    """A public employer that requires it: a second signatory for the host structure,
    asked to sign like the others (their own link, their own contact)."""
    convention, roles, _transition = _begin(
        convention, Action.ADD_SIGNATORY, actor=actor, system_allowed=False, version=version
    )
    if convention.signatories.filter(role=Role.HOST_SECOND_REPRESENTATIVE, active=True).exists():
        raise ConventionError("La structure a déjà un second signataire.")
    email = email.strip().lower()
    digits = "".join(ch for ch in phone if ch.isdigit())[-9:]
    for other in convention.signatories.filter(active=True):
        other_digits = "".join(ch for ch in other.phone if ch.isdigit())[-9:]
        if (email and other.email == email) or (digits and other_digits == digits):
            raise ConventionError(
                f"Ces coordonnées sont déjà celles de : {other.get_role_display().lower()}. "
                "Chaque signataire signe avec les siennes."
            )
    if not email and normalise_french_mobile(phone) is None:
        raise ConventionError("Indiquez son adresse e-mail ou, à défaut, son téléphone mobile.")
    signatory, _created = Signatory.objects.update_or_create(
        convention=convention,
        role=Role.HOST_SECOND_REPRESENTATIVE,
        defaults={"name": name.strip(), "email": email, "phone": phone, "active": True},
    )
    _event(
        convention,
        Action.ADD_SIGNATORY,
        actor=actor,
        role=_main_role(roles),
        from_status=convention.status,
        to_status=convention.status,
        reason=f"Second signataire pour la structure : {signatory.name}.",
    )
    _send_link(signatory, convention, found=[], reason="", first=True, now=timezone.now())
    return signatory


# What an amendment does not copy from the convention it amends: its identity and its life.
_NOT_COPIED = frozenset(
    {
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "status",
        "created_by",
        "share_token",
        "rules_version",
        # ``renews`` is copied: an amendment of a renewal is still a renewal, checked by the
        # renewal rules (same object and objectives); ``save`` derives ``renewal_root``.
        "renewal_root",
        "submitted_at",
        "version",
        "substance_version",
        "status_changed_at",
        "status_reason",
        "validated_at",
        "validated_by",
        "validator_name",
        "pre_validated_by_name",
        "amends",
        "replaced_at",
    }
)


@transaction.atomic
def start_amendment(*, convention: Convention, reason: str, actor: Actor) -> Convention:
    """After validation, a change of a mandatory mention (tutor, schedule, dates, place —
    D5135-2) is an amendment (avenant): a draft copy that the agency changes and sends; the
    parties sign it and the prescriber validates it again. The validated convention stays
    in force until then. One amendment at a time, until the immersion ends."""
    require(actor, _of_agency_or_staff(convention), system_allowed=False)
    original = _locked(convention)
    roles = _roles_or_refuse(actor, original)
    _check_role(Action.AMEND, original, roles, reason)
    if original.replaced_at is not None:
        raise ConventionError("Cette convention a déjà été remplacée par un avenant.")
    if original.date_end and timezone.localdate() > original.date_end:
        raise ConventionError("L'immersion est terminée : elle ne se modifie plus par avenant.")
    open_amendment = original.amendments.exclude(status__in=FINAL).first()
    if open_amendment is not None:
        raise ConventionError(
            f"Un avenant est déjà en cours ({open_amendment.reference}) : terminez-le ou "
            "faites-le refuser avant d'en proposer un autre."
        )
    amendment = Convention(created_by=user_of(actor), amends=original, status=Status.DRAFT)
    for model_field in Convention._meta.concrete_fields:
        if model_field.name not in _NOT_COPIED:
            setattr(amendment, model_field.attname, getattr(original, model_field.attname))
    amendment.save()
    amendment.participants.set(original.participants.all())
    _event(
        original,
        Action.AMEND,
        actor=actor,
        role=_main_role(roles),
        from_status=original.status,
        to_status=original.status,
        reason=reason,
    )
    return amendment


def _replace_amended(amendment: Convention, *, actor: Actor) -> None:
    """The amendment is validated: the convention it amends is replaced from now on."""
    original = Convention.objects.select_for_update().get(pk=amendment.amends_id)
    original.replaced_at = timezone.now()
    original.save(update_fields=["replaced_at", "updated_at"])
    _event(
        original,
        Action.AMEND,
        actor=actor,
        role=Role.VALIDATOR,
        from_status=original.status,
        to_status=original.status,
        reason=f"Remplacée par l'avenant {amendment.reference}, validé.",
    )


CORRECTABLE = (
    "beneficiary_email",
    "beneficiary_phone",
    "legal_rep_email",
    "legal_rep_phone",
    "employer_rep_email",
    "employer_rep_phone",
    "host_rep_email",
    "host_rep_phone",
    "tutor_email",
    "tutor_phone",
    "counsellor_email",
    "beneficiary_first_name",
    "beneficiary_last_name",
    "legal_rep_first_name",
    "legal_rep_last_name",
    "employer_rep_name",
    "host_rep_name",
    "tutor_name",
    "counsellor_name",
)


@transaction.atomic
def correct(
    *,
    convention: Convention,
    data: dict,
    reason: str,
    actor: Actor,
    version: int | None = None,
) -> list[content.Change]:
    """Correct contact details or a misspelt name (the agency, with a reason, before or
    after validation): a new version, logged, everyone told, signatures kept. Anything
    else (another person, another date…) is a change of substance: refused here."""
    convention, roles, _transition = _begin(
        convention,
        Action.CORRECT,
        actor=actor,
        system_allowed=False,
        version=version,
        reason=reason,
    )
    unknown = set(data) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    previous = current_version(convention)
    for name, value in data.items():
        setattr(convention, name, value)
    found = content.changes(previous.content, content.canonical(convention))
    if not found:
        raise ConventionError("Rien n'a changé : aucune correction à enregistrer.")
    if content.is_substantial(found):
        labels = ", ".join(c.label for c in found if c.substance)
        raise ConventionError(
            f"Ce n'est pas une correction mais un changement de fond ({labels}) : "
            "rouvrez la convention pour la modifier ; chacun la signera de nouveau."
        )
    _new_version(convention, actor=actor, reason=reason)
    convention.save()
    _sync_signatories(convention)
    _event(
        convention,
        Action.CORRECT,
        actor=actor,
        role=_main_role(roles),
        from_status=convention.status,
        to_status=convention.status,
        reason=reason,
    )
    notify(
        notifications.ConventionCorrectedNotification(
            convention=convention, changes=found, reason=reason
        )
    )
    return found


# --- the nightly jobs -----------------------------------------------------------------------


@dataclass(frozen=True)
class JobReport:
    count: int
    references: tuple[str, ...] = ()


def make_obsolete_overdue(*, actor: Actor, today: date | None = None) -> JobReport:
    """Conventions still not validated one calendar month after their planned start
    become obsolete (a scheduled task, or an operator's command: a dry run through
    ``core.dry_run``)."""
    require(actor, lambda user: False, system_allowed={TASK, COMMAND})
    today = today or timezone.localdate()
    done = []
    for convention in Convention.objects.filter(
        status__in=IN_PROGRESS, date_start__isnull=False, date_start__lt=today
    ).order_by("date_start", "pk"):
        if obsolete_after(convention.date_start) > today:
            continue
        try:
            decide(
                convention=convention,
                action=Action.MAKE_OBSOLETE,
                actor=actor,
                reason=(
                    "Non validée un mois après la date de début prévue "
                    f"({convention.date_start:%d/%m/%Y})."
                ),
                today=today,
            )
        except ConventionError:
            continue  # validated or changed meanwhile
        done.append(convention.reference)
    return JobReport(len(done), tuple(done))


def send_signature_reminders(*, actor: Actor, today: date | None = None) -> JobReport:
    """Remind those who have not signed, 3 and 1 working days before the start (once
    each). Every reminder is recorded, so the staff see what share of them acted within 48
    hours."""
    require(actor, lambda user: False, system_allowed={TASK, COMMAND})
    today = today or timezone.localdate()
    sent = []
    for days in REMINDER_WORKING_DAYS:
        start = add_working_days(today, days)
        for convention in Convention.objects.filter(
            status__in=(Status.TO_SIGN, Status.PARTIALLY_SIGNED), date_start=start
        ):
            with transaction.atomic():
                convention = _locked(convention)
                for signatory in unsigned(convention):
                    _reminder, created = SignatureReminder.objects.get_or_create(
                        signatory=signatory,
                        version=convention.version,
                        working_days_before=days,
                    )
                    if not created:
                        continue
                    notify(
                        notifications.SignatureReminderNotification(
                            signatory=signatory,
                            convention=convention,
                            link=signature_link(signatory, convention.version),
                            working_days=days,
                        )
                    )
                    sent.append(convention.reference)
    return JobReport(len(sent), tuple(sent))
