"""Every change to an immersion request goes through these functions (keyword arguments).

E-mails are written to the outbox by ``notify()`` in the caller's transaction and leave
after the commit. Errors a person can act on are ``ContactError`` with a French message.

Every function that changes state takes the ``actor`` (``core.actors``): the candidate or
a member of the structure's team inside a thread (refused with ``NotAllowed``, which the
pages show); ``VISITOR`` (or the logged-in person) for the public forms; ``AUTOMATIC`` for
the personal links (verification, reopening), which prove control of an address; ``TASK``
or ``COMMAND`` for the daily timers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from immersio.accounts.models import User
from immersio.core import ratelimit
from immersio.core.actors import (
    AUTOMATIC,
    COMMAND,
    TASK,
    VISITOR,
    Actor,
    anyone,
    check_actor,
    is_staff,
    nobody,
    require,
    user_of,
)
from immersio.core.links import signed_url
from immersio.directory.search import similar_structures
from immersio.notifications.base import absolute_url
from immersio.notifications.services import notify
from immersio.referentials.models import Appellation, Commune
from immersio.structures import selectors as structure_selectors
from immersio.structures import services as structure_services
from immersio.structures.models import Cause, HostStructure, Offer

from . import notifications, rules, selectors
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    WAITING_FOR_STRUCTURE,
    AnswerStats,
    AutoHide,
    BoardPost,
    BoardProposal,
    BoardProposalMessage,
    ContactEvent,
    ContactRequest,
    Message,
    Status,
)

if TYPE_CHECKING:
    from immersio.referentials.models import Appellation

logger = logging.getLogger(__name__)

VERIFY_SALT = "immersio.contacts.verify"
VERIFY_MAX_AGE = rules.VERIFY_HOURS * 3600
REOPEN_SALT = "immersio.contacts.reopen"
REOPEN_MAX_AGE = 30 * 24 * 3600
CONTACT_MODE_MESSAGE = HostStructure.ContactMode.MESSAGE
OPEN_REQUEST_MESSAGE = (
    "Vous avez déjà une demande en cours auprès de cette structure pour ce métier : "
    "retrouvez-la dans « Mes demandes »."
)


# Proposed for settings.RATE_LIMITS; used while the settings do not define them.
class ContactError(Exception):
    message = "Cette opération n'est pas possible."

    def __init__(self, message: str | None = None, *, field: str | None = None):
        if message:
            self.message = message
        self.field = field
        super().__init__(self.message)


class StructureUnavailable(ContactError):
    pass


class SimilarRequest(ContactError):
    pass


class RateLimited(ContactError):
    message = "Vous avez envoyé beaucoup de demandes en peu de temps. Réessayez un peu plus tard."


class LinkInvalid(ContactError):
    message = "Ce lien n'est pas valable : il est incomplet ou a été modifié."


class LinkExpired(ContactError):
    message = f"Ce lien a expiré : il n'était valable que {rules.VERIFY_HOURS} heures."

    def __init__(self, contact_request: ContactRequest):
        self.contact_request = contact_request
        super().__init__()


class LinkAlreadyUsed(ContactError):
    message = "Ce lien a déjà servi : votre demande est déjà partie."

    def __init__(self, contact_request: ContactRequest):
        self.contact_request = contact_request
        super().__init__()


class NotAllowed(ContactError):
    message = "Cette action n'est plus possible pour cette demande."


#: Who may act where a system actor would: the daily timers.
TIMERS = frozenset({TASK, COMMAND})
#: The public forms: anyone, logged in or not.
PUBLIC = frozenset({VISITOR})
#: The personal links sent by e-mail: whoever holds the link (``AUTOMATIC``).
LINK_HOLDER = frozenset({AUTOMATIC})


def _require(actor: Actor, allowed: Callable[[User], bool], **options: object) -> None:
    """``core.actors.require``, refused with ``NotAllowed`` (a ``ContactError`` the pages
    show as they always did)."""
    try:
        require(actor, allowed, **options)
    except PermissionDenied as exc:
        raise NotAllowed from exc


# Helpers ------------------------------------------------------------------------------


def _rate_limit_ok(scope: str, key: str) -> bool:
    return ratelimit.hit(scope, key)


def offered_appellations(structure: HostStructure) -> QuerySet[Appellation]:
    codes = Offer.objects.filter(site__structure=structure).values("appellation_id")
    return Appellation.objects.filter(pk__in=codes).order_by("label")


def unavailable_reason(structure: HostStructure, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    availability = structure_selectors.availability_for(structure, now=now)
    return rules.unavailable_reason(
        status=structure.status,
        paused_until=structure.paused_until,
        blocked_until=availability.blocked_until,
        today=timezone.localdate(now),
    )


def suggestions(structure: HostStructure, *, limit: int = 3) -> list[dict]:
    """Similar structures nearby (same ROME, nearest, available), for pages and e-mails."""
    try:
        hits = similar_structures(structure, limit=limit)
    except Exception:  # the search index may be missing (fresh install): no suggestion
        logger.exception("Suggestions indisponibles pour %s.", structure.public_id)
        return []
    return [
        {
            "name": hit.structure.display_name,
            "place": hit.site.commune.name,
            "distance_km": hit.distance_km,
            "url": absolute_url(
                reverse("directory:structure", kwargs={"public_id": hit.structure.public_id})
            ),
            "path": reverse("directory:structure", kwargs={"public_id": hit.structure.public_id}),
            "public_id": str(hit.structure.public_id),
        }
        for hit in hits
    ]


def last_similar_sent_at(
    *, structure: HostStructure, appellation: Appellation, email: str
) -> datetime | None:
    return (
        ContactRequest.objects.sent()
        .filter(structure=structure, appellation=appellation, email__iexact=email)
        .aggregate(last=Max("sent_at"))["last"]
    )


def check_similar(
    *, structure: HostStructure, appellation: Appellation, email: str, now: datetime
) -> None:
    violations = rules.similar_request(
        last_sent_at=last_similar_sent_at(
            structure=structure, appellation=appellation, email=email
        ),
        now=now,
    )
    if violations:
        raise SimilarRequest(violations[0].message, field=violations[0].field)


def check_open(*, structure: HostStructure, appellation: Appellation, email: str) -> None:
    """One open request per person, structure and métier (also a database constraint)."""
    if ContactRequest.objects.filter(
        structure=structure, appellation=appellation, email__iexact=email, status__in=OPEN_STATUSES
    ).exists():
        raise SimilarRequest(OPEN_REQUEST_MESSAGE, field="appellation")


def sending_problem(
    *, structure: HostStructure, appellation: Appellation, email: str, now: datetime
) -> str:
    """Why a request from ``email`` cannot leave now (structure unavailable, 7-day rule,
    open request), '' if it can. The last two are only ever told to the owner of the
    address: by e-mail or once it is verified."""
    return unavailable_reason(structure, now=now) or address_problem(
        structure=structure, appellation=appellation, email=email, now=now
    )


def address_problem(
    *, structure: HostStructure, appellation: Appellation, email: str, now: datetime
) -> str:
    """The part of ``sending_problem`` that depends on the address: the 7-day rule and an
    open request to the same structure for the same métier."""
    try:
        check_similar(structure=structure, appellation=appellation, email=email, now=now)
        check_open(structure=structure, appellation=appellation, email=email)
    except SimilarRequest as exc:
        return exc.message
    return ""


def _event(
    contact_request: ContactRequest,
    *,
    to_status: str,
    actor: Actor,
    reason: str = "",
    at: datetime | None = None,
) -> None:
    ContactEvent.objects.create(
        request=contact_request,
        at=at or timezone.now(),
        by=user_of(actor),
        from_status=contact_request.status,
        to_status=to_status,
        reason=reason[:500],
    )
    contact_request.status = to_status


def verify_url(contact_request: ContactRequest) -> str:
    return signed_url("contacts:verify", contact_request.public_id, salt=VERIFY_SALT, key="r")


# Creating and sending a request --------------------------------------------------------


@dataclass(frozen=True)
class CandidateData:
    first_name: str
    last_name: str
    email: str
    phone: str
    situation: str
    has_support: bool
    support_name: str
    objective: str
    motivations: str
    hopes: str
    period: str
    duration: str
    transport: str


def start_request(
    *,
    structure: HostStructure,
    appellation: Appellation,
    data: CandidateData,
    ip: str,
    actor: Actor,
) -> ContactRequest:
    """Store the request as a draft and e-mail the candidate a verification link. Open to
    anyone (``VISITOR`` or a logged-in person): the link proves the address."""
    _require(actor, anyone, system_allowed=PUBLIC)
    now = timezone.now()
    email = structure_services.normalize_email(data.email)
    allowed_ip = _rate_limit_ok("contact_request_per_ip", ip)
    allowed_email = _rate_limit_ok("contact_request_per_email", email)
    if not allowed_ip:  # about the visitor: safe to say
        raise RateLimited
    # A structure that became unavailable while the person was writing (capacity
    # reached, pause) does not lose the text: the draft is kept and the verified page
    # offers to send it to similar structures.
    _check_offered(structure, appellation)
    # The 7-day rule and the open request are not checked here: the form would tell
    # anyone typing an address that it already wrote to this structure, and when. The
    # owner of the address learns it by e-mail; ``confirm_request`` enforces them.
    contact_request = _draft(structure=structure, appellation=appellation, data=data, now=now)
    if not allowed_email:
        # Too many e-mails to this address lately: none more (no mail bombing), and the
        # form answers as usual, since saying so would tell that the address wrote.
        logger.warning("Demande %s : trop de demandes pour une même adresse.", contact_request.pk)
        return contact_request
    notify(
        notifications.VerifyEmailNotification(
            contact_request=contact_request,
            verify_url=verify_url(contact_request),
            problem=sending_problem(
                structure=structure, appellation=appellation, email=email, now=now
            ),
        )
    )
    return contact_request


def _check_offered(structure: HostStructure, appellation: Appellation) -> None:
    if not offered_appellations(structure).filter(pk=appellation.pk).exists():
        raise ContactError(
            "Choisissez un des métiers proposés par la structure.", field="appellation"
        )


def _draft(
    *, structure: HostStructure, appellation: Appellation, data: CandidateData, now: datetime
) -> ContactRequest:
    fields = {name: getattr(data, name) for name in CandidateData.__dataclass_fields__}
    fields["email"] = structure_services.normalize_email(data.email)
    if not data.has_support:
        fields["support_name"] = ""
    return ContactRequest.objects.create(
        structure=structure,
        appellation=appellation,
        contact_mode=structure.contact_mode,
        status=Status.DRAFT,
        verification_sent_at=now,
        **fields,
    )


def send_from_account(
    *,
    structure: HostStructure,
    appellation: Appellation,
    data: CandidateData,
    ip: str,
    actor: Actor,
) -> ContactRequest:
    """A logged-in person writes from the address they logged in with: it is already
    proven, so the request leaves now, under the same rules as a confirmed link
    (availability, the 7-day rule, one open request; ``StructureUnavailable`` and
    ``ContactError`` as ``confirm_request`` raises them). Any other address goes through
    ``start_request`` and its e-mail. The draft is kept when the request cannot leave:
    ``verify_url`` of ``StructureUnavailable.contact_request`` offers similar structures."""
    _require(actor, lambda user: selectors.is_own_address(user, data.email))
    if not _rate_limit_ok("contact_request_per_ip", ip):
        raise RateLimited
    if not _rate_limit_ok("contact_request_per_email", data.email):
        raise RateLimited
    _check_offered(structure, appellation)
    now = timezone.now()
    contact_request = _draft(structure=structure, appellation=appellation, data=data, now=now)
    with transaction.atomic():
        locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
        structure = HostStructure.objects.get(pk=structure.pk)
        try:
            _send(locked, structure=structure, now=now)
        except StructureUnavailable as exc:
            exc.contact_request = locked
            raise
    return locked


def resend_verification(*, contact_request: ContactRequest, ip: str, actor: Actor) -> None:
    """A new verification link for a draft whose link expired (nothing typed is lost).
    Open to anyone: the link only ever goes to the draft's own address."""
    _require(actor, anyone, system_allowed=PUBLIC)
    if contact_request.status != Status.DRAFT:
        raise LinkAlreadyUsed(contact_request)
    if not (
        _rate_limit_ok("contact_request_per_ip", ip)
        and _rate_limit_ok("contact_request_per_email", contact_request.email)
    ):
        raise RateLimited
    now = timezone.now()
    contact_request.verification_sent_at = now
    contact_request.save(update_fields=["verification_sent_at", "updated_at"])
    notify(
        notifications.VerifyEmailNotification(
            contact_request=contact_request,
            verify_url=verify_url(contact_request),
            problem=sending_problem(
                structure=contact_request.structure,
                appellation=contact_request.appellation,
                email=contact_request.email,
                now=now,
            ),
        )
    )


def read_verify_token(token: str) -> ContactRequest:
    """The draft a verification link points to. Raise LinkInvalid / LinkExpired /
    LinkAlreadyUsed."""
    try:
        data = signing.loads(token or "", salt=VERIFY_SALT)
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    public_id = data.get("r") if isinstance(data, dict) else None
    contact_request = ContactRequest.objects.filter(public_id=public_id).first()
    if contact_request is None:
        raise LinkInvalid
    if contact_request.status != Status.DRAFT:
        raise LinkAlreadyUsed(contact_request)
    try:
        signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired(contact_request) from exc
    return contact_request


def confirm_request(*, token: str, actor: Actor) -> ContactRequest:
    """The candidate opened the verification link and confirmed: the request leaves.

    The link is the proof (the person is not logged in yet): the actor is ``AUTOMATIC``;
    the event records the candidate, whose account the link creates or finds.

    Single use: the draft row is locked; a second confirmation (double click, replay)
    finds it sent and raises ``LinkAlreadyUsed``; the unique constraint on open requests
    is the last guard.
    """
    _require(actor, nobody, system_allowed=LINK_HOLDER)
    draft = read_verify_token(token)
    now = timezone.now()
    with transaction.atomic():
        contact_request = ContactRequest.objects.select_for_update().get(pk=draft.pk)
        if contact_request.status != Status.DRAFT:
            raise LinkAlreadyUsed(contact_request)
        structure = HostStructure.objects.get(pk=contact_request.structure_id)
        _send(contact_request, structure=structure, now=now)
    return contact_request


def _send(contact_request: ContactRequest, *, structure: HostStructure, now: datetime) -> None:
    """The rules every sending obeys (availability, 7-day rule, open request), then the
    request leaves: account, status, capacity count, e-mail to the team."""
    reason = unavailable_reason(structure, now=now)
    if reason:
        raise StructureUnavailable(reason)
    check_similar(
        structure=structure,
        appellation=contact_request.appellation,
        email=contact_request.email,
        now=now,
    )
    check_open(
        structure=structure,
        appellation=contact_request.appellation,
        email=contact_request.email,
    )
    user, _ = structure_services.get_or_create_user(
        email=contact_request.email,
        first_name=contact_request.first_name,
        last_name=contact_request.last_name,
        phone=contact_request.phone,
    )
    contact_request.candidate = user
    contact_request.verified_at = now
    contact_request.sent_at = now
    contact_request.contact_mode = structure.contact_mode
    by_message = structure.contact_mode == CONTACT_MODE_MESSAGE
    _event(contact_request, to_status=Status.NEW if by_message else Status.DIRECT, actor=user)
    if not by_message:
        contact_request.closed_at = now
    try:
        with transaction.atomic():
            contact_request.save()
    except IntegrityError as exc:
        raise SimilarRequest(OPEN_REQUEST_MESSAGE, field="appellation") from exc
    structure_services.record_request_received(
        structure=structure, kind="contact", at=now, actor=AUTOMATIC
    )
    if by_message:
        notify(notifications.NewRequestNotification(contact_request=contact_request))
    logger.info("Demande %s envoyée (%s).", contact_request.public_id, structure.contact_mode)


def matching_appellation(structure: HostStructure, appellation: Appellation) -> Appellation | None:
    """The métier of ``structure`` a request for ``appellation`` goes to: the same one,
    else one of the same ROME; None when the structure offers neither."""
    offered = offered_appellations(structure)
    return (
        offered.filter(pk=appellation.pk).first()
        or offered.filter(rome_id=appellation.rome_id).first()
    )


def alternatives(contact_request: ContactRequest) -> list[dict]:
    """The similar structures (``suggestions``) the draft's text can be sent to: they
    offer the same métier or one of the same ROME."""
    found = []
    for suggestion in suggestions(contact_request.structure):
        structure = HostStructure.objects.filter(public_id=suggestion["public_id"]).first()
        if structure and matching_appellation(structure, contact_request.appellation):
            found.append(suggestion)
    return found


def send_elsewhere(*, token: str, structure_public_id: str, actor: Actor) -> ContactRequest:
    """The structure the candidate wrote to cannot receive the request: a copy of the
    text leaves for another structure they chose (one click per structure), under the
    same rules. The draft stays, so they may choose another one too. Like
    ``confirm_request``, the verification link is the proof: the actor is ``AUTOMATIC``."""
    _require(actor, nobody, system_allowed=LINK_HOLDER)
    draft = read_verify_token(token)
    now = timezone.now()
    target = (
        HostStructure.objects.public().filter(public_id=structure_public_id).first()
        if structure_public_id
        else None
    )
    if target is None or target.pk == draft.structure_id:
        raise ContactError("Choisissez une des structures proposées.")
    appellation = matching_appellation(target, draft.appellation)
    if appellation is None:
        raise ContactError("Cette structure ne propose pas ce métier.")
    fields = {name: getattr(draft, name) for name in CandidateData.__dataclass_fields__}
    with transaction.atomic():
        copy = ContactRequest(
            structure=target,
            appellation=appellation,
            status=Status.DRAFT,
            verification_sent_at=draft.verification_sent_at,
            **fields,
        )
        copy.save()
        _send(copy, structure=target, now=now)
    return copy


# Inside a thread ----------------------------------------------------------------------


def _side(user: object, *, candidate_id: int | None, structure_id: int) -> str | None:
    """'candidat' for the candidate (first: a candidate may also be in the team),
    'structure' for a member of the structure's team (or staff), None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    if candidate_id == user.pk:
        return Message.Side.CANDIDATE
    if HostStructure.objects.visible_to(user).filter(pk=structure_id).exists():
        return Message.Side.STRUCTURE
    return None


def side_of(contact_request: ContactRequest, user: object) -> str | None:
    """The side of ``user`` in a request's thread (see ``_side``)."""
    return _side(
        user,
        candidate_id=contact_request.candidate_id,
        structure_id=contact_request.structure_id,
    )


def mark_seen(*, contact_request: ContactRequest, actor: Actor) -> None:
    """A member of the structure's team opened a new request: it is now awaiting an
    answer (the candidate opening it changes nothing)."""
    check_actor(actor)
    side = side_of(contact_request, actor)
    if side is None:
        raise NotAllowed
    if side == Message.Side.STRUCTURE and contact_request.status == Status.NEW:
        with transaction.atomic():
            locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
            if locked.status == Status.NEW:
                locked.seen_at = timezone.now()
                _event(locked, to_status=Status.AWAITING, actor=actor)
                locked.save(update_fields=["status", "seen_at", "updated_at"])
                contact_request.status = locked.status


def _lock_open(contact_request: ContactRequest) -> ContactRequest:
    locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    if locked.status in CLOSED_STATUSES or locked.status == Status.DRAFT:
        raise NotAllowed
    return locked


def _structure_answered(locked: ContactRequest, now: datetime) -> None:
    locked.first_answer_at = locked.first_answer_at or now
    locked.answered_at = now


def _message(locked: ContactRequest, *, side: str, actor: User, body: str) -> Message:
    body = body.strip()
    if not body:
        raise ContactError("Écrivez votre message.", field="body")
    if not _rate_limit_ok("contact_message_per_user", str(actor.pk)):
        raise RateLimited
    return Message.objects.create(request=locked, side=side, author=actor, body=body)


def post_message(*, contact_request: ContactRequest, actor: Actor, body: str) -> Message:
    """A message from either side. From the structure it is a question (the candidate
    is expected to answer); from the candidate the structure is expected to answer."""
    check_actor(actor)
    side = side_of(contact_request, actor)
    if side is None:
        raise NotAllowed
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_open(contact_request)
        message = _message(locked, side=side, actor=actor, body=body)
        if side == Message.Side.STRUCTURE:
            _structure_answered(locked, now)
            if locked.status != Status.ACCEPTED:
                _event(locked, to_status=Status.QUESTION, actor=actor)
            to_side = Message.Side.CANDIDATE
        else:
            if locked.status == Status.QUESTION:
                _event(locked, to_status=Status.AWAITING, actor=actor)
            to_side = Message.Side.STRUCTURE
        locked.save()
        notify(
            notifications.MessageNotification(
                contact_request=locked, to_side=to_side, quote=message.body
            )
        )
    return message


def accept(
    *,
    contact_request: ContactRequest,
    actor: Actor,
    proposed_start: date | None,
    proposed_end: date | None,
    proposed_dates: str = "",
    body: str = "",
) -> None:
    """The structure accepts and proposes real dates (``rules.proposed_period``);
    ``proposed_dates`` adds the hours or details, in words."""
    check_actor(actor)
    if side_of(contact_request, actor) != Message.Side.STRUCTURE:
        raise NotAllowed
    violations = rules.proposed_period(
        start=proposed_start, end=proposed_end, today=timezone.localdate()
    )
    if violations:
        raise ContactError(violations[0].message, field=violations[0].field)
    proposed_dates = proposed_dates.strip()
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_open(contact_request)
        if locked.status == Status.ACCEPTED:
            raise NotAllowed("Vous avez déjà accepté cette demande.")
        if body.strip():
            _message(locked, side=Message.Side.STRUCTURE, actor=actor, body=body)
        locked.proposed_start = proposed_start
        locked.proposed_end = proposed_end
        locked.proposed_dates = proposed_dates[:500]
        _structure_answered(locked, now)
        _event(locked, to_status=Status.ACCEPTED, actor=actor, reason=locked.proposed_period)
        locked.save()
        notify(notifications.AcceptedNotification(contact_request=locked, quote=body.strip()))


def decline(*, contact_request: ContactRequest, actor: Actor, reason: str, body: str = "") -> None:
    """The structure declines (with a reason from ``DeclineReason``)."""
    from .models import DeclineReason

    check_actor(actor)
    if side_of(contact_request, actor) != Message.Side.STRUCTURE:
        raise NotAllowed
    if reason not in DeclineReason.values:
        raise ContactError("Choisissez la raison de votre refus.", field="reason")
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_open(contact_request)
        if body.strip():
            _message(locked, side=Message.Side.STRUCTURE, actor=actor, body=body)
        locked.decline_reason = reason
        _structure_answered(locked, now)
        locked.closed_at = now
        _event(locked, to_status=Status.DECLINED, actor=actor, reason=reason)
        locked.save()
        notify(
            notifications.DeclinedNotification(
                contact_request=locked,
                quote=body.strip(),
                suggestions=suggestions(locked.structure),
            )
        )


def close_by_candidate(*, contact_request: ContactRequest, actor: Actor, status: str) -> None:
    """The candidate withdraws the request or found an immersion elsewhere."""
    check_actor(actor)
    if status not in (Status.WITHDRAWN, Status.FOUND_ELSEWHERE):
        raise ValueError(status)
    if side_of(contact_request, actor) != Message.Side.CANDIDATE:
        raise NotAllowed
    with transaction.atomic():
        locked = _lock_open(contact_request)
        locked.closed_at = timezone.now()
        _event(locked, to_status=status, actor=actor)
        locked.save()


# Timers -------------------------------------------------------------------------------


@dataclass
class DailyReport:
    reminders_3: int = 0
    reminders_7: int = 0
    expired: int = 0
    hidden: int = 0


def send_reminders(*, actor: Actor, now: datetime | None = None, limit: int = 5000) -> DailyReport:
    """Reminders at D+3 and D+7 to teams that did not answer; expiry at D+30 (a daily
    task, an operator's command or the Immersio team)."""
    require(actor, is_staff, system_allowed=TIMERS)
    now = now or timezone.now()
    report = DailyReport()
    waiting = ContactRequest.objects.filter(
        status__in=WAITING_FOR_STRUCTURE, first_answer_at=None, sent_at__isnull=False
    )
    expired = waiting.filter(sent_at__lte=now - timedelta(days=rules.EXPIRY_DAYS))
    for contact_request in expired.select_related("structure", "appellation")[:limit]:
        with transaction.atomic():
            locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
            if locked.status not in WAITING_FOR_STRUCTURE or locked.first_answer_at:
                continue
            locked.closed_at = now
            _event(
                locked,
                to_status=Status.EXPIRED,
                actor=AUTOMATIC,
                at=now,
                reason=f"{rules.EXPIRY_DAYS} jours sans réponse",
            )
            locked.save()
            notify(
                notifications.ExpiredNotification(
                    contact_request=locked, suggestions=suggestions(locked.structure)
                )
            )
            report.expired += 1
    for days, flag in ((7, "reminded_7_at"), (3, "reminded_3_at")):
        due = waiting.filter(
            sent_at__lte=now - timedelta(days=days),
            sent_at__gt=now - timedelta(days=rules.EXPIRY_DAYS),
            **{flag: None},
        )
        for contact_request in due.select_related("structure", "appellation")[:limit]:
            with transaction.atomic():
                updated = ContactRequest.objects.filter(pk=contact_request.pk, **{flag: None})
                if not updated.update(**{flag: now}):
                    continue
                if days == 7:  # the D+3 one is pointless once D+7 is due
                    ContactRequest.objects.filter(pk=contact_request.pk, reminded_3_at=None).update(
                        reminded_3_at=now
                    )
                notify(
                    notifications.ReminderNotification(contact_request=contact_request, days=days)
                )
                setattr(report, f"reminders_{days}", getattr(report, f"reminders_{days}") + 1)
    return report


# Not counted against a structure: drafts, and requests the candidate closed before any
# answer (withdrawn, found elsewhere).
COUNTED_OUT = Q(status=Status.DRAFT) | Q(
    status__in=[Status.WITHDRAWN, Status.FOUND_ELSEWHERE], first_answer_at__isnull=True
)


def _median_hours(base: QuerySet[ContactRequest]) -> dict[int, float]:
    """Median answer time per structure, in SQL: rank answered requests by delay inside
    each structure and keep the one or two middle rows."""
    delay = ExpressionWrapper(F("first_answer_at") - F("sent_at"), output_field=DurationField())
    ranked = (
        base.filter(first_answer_at__isnull=False)
        .annotate(
            delay=delay,
            position=Window(RowNumber(), partition_by=[F("structure_id")], order_by=delay.asc()),
            total=Window(Count("pk"), partition_by=[F("structure_id")]),
        )
        .values_list("structure_id", "delay", "position", "total")
    )
    middles: dict[int, list[float]] = {}
    # Only the middle rows (two per structure at most) come back from the database.
    rows = ranked.filter(Q(position=(F("total") + 1) / 2) | Q(position=(F("total") + 2) / 2))
    for structure_id, value, _position, _total in rows:
        middles.setdefault(structure_id, []).append(value.total_seconds() / 3600)
    return {pk: sum(values) / len(values) for pk, values in middles.items()}


def compute_answer_rates(*, actor: Actor, now: datetime | None = None) -> int:
    """Answer rate and median answer time per structure over 12 months, with aggregate
    queries; stored in ``AnswerStats`` and on ``HostStructure.answer_rate``; the search
    index is refreshed for the structures whose rate changed (a task, a command or staff)."""
    require(actor, is_staff, system_allowed=TIMERS)
    now = now or timezone.now()
    base = ContactRequest.objects.filter(
        sent_at__gte=now - timedelta(days=rules.ANSWER_RATE_DAYS),
        contact_mode=CONTACT_MODE_MESSAGE,
    ).exclude(COUNTED_OUT)
    counts = base.values("structure_id").annotate(
        total=Count("pk"), answered=Count("pk", filter=Q(first_answer_at__isnull=False))
    )
    medians = _median_hours(base)
    rates = {row["structure_id"]: row for row in counts}
    current = dict(HostStructure.objects.values_list("pk", "answer_rate"))
    changed: list[int] = []
    with transaction.atomic():
        stats = []
        for pk, row in rates.items():
            rate = row["answered"] / row["total"] if row["total"] else None
            stats.append(
                AnswerStats(
                    structure_id=pk,
                    requests=row["total"],
                    answered=row["answered"],
                    answer_rate=rate,
                    median_answer_hours=medians.get(pk),
                    computed_at=now,
                )
            )
            if current.get(pk) != rate:
                HostStructure.objects.filter(pk=pk).update(answer_rate=rate)
                changed.append(pk)
        AnswerStats.objects.exclude(structure_id__in=list(rates)).delete()
        AnswerStats.objects.bulk_create(
            stats,
            update_conflicts=True,
            unique_fields=["structure"],
            update_fields=[
                "requests",
                "answered",
                "answer_rate",
                "median_answer_hours",
                "computed_at",
            ],
        )
        stale = [pk for pk, rate in current.items() if rate is not None and pk not in rates]
        if stale:
            HostStructure.objects.filter(pk__in=stale).update(answer_rate=None)
            changed.extend(stale)
        if changed:
            structure_services.reindex(changed)
    return len(rates)


AUTO_HIDE_REASON = (
    f"Masquée automatiquement : au moins {rules.AUTO_HIDE_UNANSWERED} demandes sans réponse "
    f"en {rules.AUTO_HIDE_DAYS // 30} mois, aucune répondue."
)


def reopen_url(auto_hide: AutoHide) -> str:
    return signed_url("contacts:reopen", auto_hide.public_id, salt=REOPEN_SALT, key="h")


def hide_silent_structures(*, actor: Actor, now: datetime | None = None) -> int:
    """Take out of the search the published structures with at least 20 unanswered
    requests in 5 months and none answered (counted since their last reopening): a task,
    a command or staff; the suspension itself is an automatic consequence."""
    require(actor, is_staff, system_allowed=TIMERS)
    now = now or timezone.now()
    since = now - timedelta(days=rules.AUTO_HIDE_DAYS)
    last_reopened = (
        AutoHide.objects.filter(structure=OuterRef("structure_id"), reopened_at__isnull=False)
        .order_by("-reopened_at")
        .values("reopened_at")[:1]
    )
    rows = (
        ContactRequest.objects.filter(
            structure__status=HostStructure.Status.PUBLISHED,
            contact_mode=CONTACT_MODE_MESSAGE,
            sent_at__gte=since,
        )
        .exclude(COUNTED_OUT)
        .annotate(reopened=Subquery(last_reopened))
        .filter(Q(reopened__isnull=True) | Q(sent_at__gt=F("reopened")))
        .values("structure_id")
        .annotate(
            unanswered=Count("pk", filter=Q(first_answer_at__isnull=True)),
            answered=Count("pk", filter=Q(first_answer_at__isnull=False)),
        )
        .filter(answered=0, unanswered__gte=rules.AUTO_HIDE_UNANSWERED)
    )
    hidden = 0
    for row in rows:
        structure = HostStructure.objects.get(pk=row["structure_id"])
        with transaction.atomic():
            structure = structure_services.suspend_structure(
                structure=structure, actor=AUTOMATIC, reason=AUTO_HIDE_REASON
            )
            auto_hide = AutoHide.objects.create(structure=structure, hidden_at=now)
            notify(
                notifications.AutoHiddenNotification(
                    structure=structure,
                    reopen_url=reopen_url(auto_hide),
                    unanswered=row["unanswered"],
                )
            )
        hidden += 1
    return hidden


def read_reopen_token(token: str) -> AutoHide:
    try:
        data = signing.loads(token or "", salt=REOPEN_SALT, max_age=REOPEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise ContactError("Ce lien n'est plus valable : il a expiré ou il est incomplet.") from exc
    auto_hide = AutoHide.objects.filter(public_id=data.get("h") if isinstance(data, dict) else None)
    auto_hide = auto_hide.select_related("structure").first()
    if auto_hide is None:
        raise ContactError("Ce lien n'est plus valable : il a expiré ou il est incomplet.")
    if auto_hide.reopened_at is not None:
        raise ContactError("Ce lien a déjà servi : la structure est de nouveau visible.")
    return auto_hide


def reopen_hidden_structure(*, token: str, actor: Actor) -> HostStructure:
    """One click from the e-mail: the structure is published again (only if it is still
    suspended for this reason, never after a suspension by the Immersio team). The link
    sent to the team is the proof (no session needed): the actor is ``AUTOMATIC``."""
    _require(actor, nobody, system_allowed=LINK_HOLDER)
    auto_hide = read_reopen_token(token)
    with transaction.atomic():
        locked = AutoHide.objects.select_for_update().get(pk=auto_hide.pk)
        if locked.reopened_at is not None:
            raise ContactError("Ce lien a déjà servi : la structure est de nouveau visible.")
        structure = auto_hide.structure
        if structure.status != HostStructure.Status.SUSPENDED or (
            structure.status_reason != AUTO_HIDE_REASON
        ):
            raise ContactError(
                "Cette structure n'est plus masquée pour cette raison : écrivez-nous si besoin."
            )
        locked.reopened_at = timezone.now()
        locked.save(update_fields=["reopened_at"])
        return structure_services.reopen_structure(structure=structure, actor=AUTOMATIC)


def run_daily(*, actor: Actor, now: datetime | None = None) -> DailyReport:
    """The three daily timers, in order."""
    require(actor, is_staff, system_allowed=TIMERS)
    report = send_reminders(actor=actor, now=now)
    compute_answer_rates(actor=actor, now=now)
    report.hidden = hide_silent_structures(actor=actor, now=now)
    return report


# Public request board -----------------------------------------------------------------


def publish_post(
    *,
    actor: Actor,
    first_name: str,
    last_name: str,
    appellation: Appellation | None,
    cause: Cause | None,
    commune: Commune,
    period: str,
    duration: str,
    motivations: str,
) -> BoardPost:
    """The actor, a logged-in person, publishes a request openly for 60 days (first name
    and initial only)."""
    from .models import BOARD_DAYS

    _require(actor, anyone, system_allowed=False)
    candidate = actor
    if appellation is None and cause is None:
        raise ContactError("Choisissez un métier ou une cause.", field="appellation")
    if not _rate_limit_ok("board_post_per_user", str(candidate.pk)):
        raise RateLimited
    now = timezone.now()
    return BoardPost.objects.create(
        candidate=candidate,
        first_name=first_name.strip(),
        last_initial=(last_name.strip()[:1] or "").upper(),
        appellation=appellation,
        cause=cause,
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
        period=period.strip(),
        duration=duration,
        motivations=motivations.strip(),
        published_at=now,
        expires_at=now + timedelta(days=BOARD_DAYS),
    )


def unpublish_post(*, post: BoardPost, actor: Actor) -> None:
    """The author takes their post down."""
    _require(actor, lambda user: post.candidate_id == user.pk, system_allowed=False)
    if post.unpublished_at is None:
        post.unpublished_at = timezone.now()
        post.save(update_fields=["unpublished_at", "updated_at"])


def hide_post(*, post: BoardPost, actor: Actor, reason: str = "") -> None:
    """The Immersio team hides a post (moderation)."""
    _require(actor, is_staff, system_allowed=False)
    post.hidden_at = timezone.now()
    post.hidden_reason = reason.strip()[:500]
    post.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])


def report_post(*, post: BoardPost, reason: str, ip: str, actor: Actor) -> bool:
    """Anyone may report a post (``VISITOR`` or a logged-in person); staff read the
    reports in the admin."""
    from .models import BoardReport

    _require(actor, anyone, system_allowed=PUBLIC)
    if not _rate_limit_ok("board_report_per_ip", ip):
        return False
    BoardReport.objects.create(post=post, reason=reason.strip()[:500])
    return True


def propose(*, post: BoardPost, structure: HostStructure, actor: Actor, body: str) -> BoardProposal:
    """A structure's team offers an immersion to the author of a visible post."""
    _require(
        actor,
        lambda user: HostStructure.objects.visible_to(user).filter(pk=structure.pk).exists(),
        system_allowed=False,
    )
    if structure.status != HostStructure.Status.PUBLISHED:
        raise ContactError(
            "Votre structure doit être publiée pour faire une proposition.", field="structure"
        )
    if not BoardPost.objects.visible(timezone.now()).filter(pk=post.pk).exists():
        raise NotAllowed("Cette demande n'est plus publiée.")
    body = body.strip()
    if not body:
        raise ContactError("Écrivez votre proposition.", field="body")
    try:
        with transaction.atomic():
            proposal = BoardProposal.objects.create(
                post=post, structure=structure, author=actor, body=body
            )
    except IntegrityError as exc:
        raise ContactError(
            "Votre structure a déjà fait une proposition à cette personne.", field="structure"
        ) from exc
    notify(notifications.ProposalNotification(proposal=proposal))
    return proposal


def proposal_side(proposal: BoardProposal, user: object) -> str | None:
    """The side of ``user`` in a board proposal's thread: the post's author is the
    candidate (see ``_side``)."""
    return _side(user, candidate_id=proposal.post.candidate_id, structure_id=proposal.structure_id)


def answer_proposal(*, proposal: BoardProposal, actor: Actor, body: str) -> BoardProposalMessage:
    """A message in the thread of a board proposal, from either side; the other side is
    told by e-mail (through the outbox)."""
    check_actor(actor)
    side = proposal_side(proposal, actor)
    if side is None:
        raise NotAllowed
    body = body.strip()
    if not body:
        raise ContactError("Écrivez votre message.", field="body")
    if not _rate_limit_ok("contact_message_per_user", str(actor.pk)):
        raise RateLimited
    message = BoardProposalMessage.objects.create(
        proposal=proposal, side=side, author=actor, body=body
    )
    notify(notifications.ProposalMessageNotification(message=message))
    return message
