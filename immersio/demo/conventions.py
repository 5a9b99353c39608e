"""Demonstration conventions for the demo agency (France Travail Lyon: conseiller.1 and
valideur.1) at the demo structure of nadia.benali: one or more in each status of the
lifecycle — à signer (nobody signed), partiellement signée, en examen, pré-validée,
validée (with its PDF), refusée and annulée (with their reason), obsolète — and one
starting within 2 working days, not validated yet, that the agency's list highlights.

Everything goes through the services, as in the product: ``services.start_draft`` and
``save_step`` write the draft, ``lifecycle.submit`` sends it, each signature is given by
``lifecycle.send_code`` then ``sign`` with the code read from the outbox (what a signatory
reads in their e-mail), the agency's decisions by ``lifecycle.decide``, the PDF by
``documents.store_document``. The obsolete one is submitted on a past day (the clock of
``django.utils.timezone`` is moved back while it is built) and made obsolete by the
nightly job's service.

Dates are relative to today. Idempotent: a convention is found by its beneficiary's
e-mail at the demo agency; kept while its story still holds (same planned start), built
again otherwise, so that the demo never goes stale.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.db import transaction
from django.utils import timezone

from immersio.accounts.models import User
from immersio.agencies.models import Agency
from immersio.contacts.models import ContactRequest
from immersio.contacts.models import Status as RequestStatus
from immersio.conventions import documents, lifecycle, selectors, services
from immersio.conventions.links import signature_link
from immersio.conventions.models import Convention, Signature
from immersio.conventions.rules import public_holiday
from immersio.conventions.transitions import Action, Role, Status
from immersio.core.actors import AUTOMATIC, COMMAND
from immersio.core.dates import add_working_days
from immersio.demo.agencies import agency_siret
from immersio.demo.structures import MARAICHER, demo_siret
from immersio.notifications.models import OutboundEmail
from immersio.referentials.models import Appellation
from immersio.structures.models import HostStructure

ORDER = 50  # after the accounts, the structures, the agencies and the requests

COUNSELLOR = "conseiller.1@immersio.example"
VALIDATOR = "valideur.1@immersio.example"
HOST_REP = "nadia.benali@immersio.example"
CODE = re.compile(r"\b(\d{6})\b")
PATTERN = {str(day): [["08:30", "12:00"], ["13:00", "16:00"]] for day in range(5)}
IP = "203.0.113.10"  # documentation range: no real address
BROWSER = "Mozilla/5.0 (démonstration Immersio)"


@dataclass(frozen=True)
class Story:
    """One demo convention: who the beneficiary is, when it starts, what happened."""

    first_name: str
    last_name: str
    email: str
    phone: str
    tutor: tuple[str, str]  # name, e-mail
    # "soon": within 2 working days; "weeks:N": a free week N weeks on; "past"; "ended:N":
    # a free week N weeks ago, sent, signed and validated the week before (its assessment:
    # ``demo.assessments``)
    start: str
    signed: tuple[Role, ...] = ()
    decisions: tuple[tuple[Action, str, str], ...] = ()  # action, who (e-mail), reason
    pdf: bool = False
    days: int = 5
    from_request: bool = False  # prepared from the beneficiary's accepted request
    extra: dict = field(default_factory=dict)


B, H = Role.BENEFICIARY, Role.HOST_REPRESENTATIVE
STORIES = [
    Story(  # à signer: nobody signed yet; its link is printed by load_demo
        "Léa",
        "Roux",
        "lea.roux@immersio.example",
        "0612345601",
        ("Julien Lefèvre", "julien.lefevre@immersio.example"),
        "weeks:3",
    ),
    Story(  # partiellement signée: the beneficiary signed, the host not yet
        "Camille",
        "Martin",
        "camille.martin@immersio.example",
        "0612345602",
        ("Julien Lefèvre", "julien.lefevre@immersio.example"),
        "weeks:3",
        signed=(B,),
        from_request=True,  # so that Camille finds it in « Mes conventions »
    ),
    Story(  # starting within 2 working days, one signature missing: highlighted
        "Thomas",
        "Garcia",
        "thomas.garcia@immersio.example",
        "0612345603",
        ("Sophie Moreau", "sophie.moreau@immersio.example"),
        "soon",
        signed=(H,),
        days=1,
    ),
    Story(  # en examen: everybody signed
        "Karim",
        "Diallo",
        "karim.diallo@immersio.example",
        "0612345604",
        ("Sophie Moreau", "sophie.moreau@immersio.example"),
        "weeks:2",
        signed=(B, H),
    ),
    Story(  # pré-validée by the conseillère
        "Inès",
        "Nguyen",
        "ines.nguyen@immersio.example",
        "0612345605",
        ("Julien Lefèvre", "julien.lefevre@immersio.example"),
        "weeks:2",
        signed=(B, H),
        decisions=((Action.PRE_VALIDATE, COUNSELLOR, ""),),
    ),
    Story(  # validée, with its PDF; ended: its tutor filled the assessment
        "Sophie",
        "Lefèvre",
        "sophie.lefevre@immersio.example",
        "0612345606",
        ("Julien Lefèvre", "julien.lefevre@immersio.example"),
        "ended:2",
        signed=(B, H),
        decisions=((Action.PRE_VALIDATE, COUNSELLOR, ""), (Action.VALIDATE, VALIDATOR, "")),
        pdf=True,
    ),
    Story(  # refusée, with its reason
        "Julien",
        "Roux",
        "julien.roux@immersio.example",
        "0612345607",
        ("Sophie Moreau", "sophie.moreau@immersio.example"),
        "weeks:4",
        signed=(B, H),
        decisions=(
            (
                Action.REFUSE,
                VALIDATOR,
                "L'immersion reprend le métier que Julien exerce déjà depuis six ans : elle "
                "n'apporte rien à son projet. Parlons-en à notre prochain rendez-vous.",
            ),
        ),
    ),
    Story(  # annulée, with its reason
        "Nadège",
        "Moreau",
        "nadege.moreau@immersio.example",
        "0612345608",
        ("Sophie Moreau", "sophie.moreau@immersio.example"),
        "weeks:4",
        signed=(B,),
        decisions=(
            (
                Action.CANCEL,
                COUNSELLOR,
                "Nadège a signé un contrat de travail qui commence avant l'immersion.",
            ),
        ),
    ),
    Story(  # validée and ended last week: its assessment waits for the tutor
        "Yanis",
        "Petit",
        "yanis.petit@immersio.example",
        "0612345610",
        ("Sophie Moreau", "sophie.moreau@immersio.example"),
        "ended:1",
        signed=(B, H),
        decisions=((Action.VALIDATE, VALIDATOR, ""),),
    ),
    Story(  # obsolète: nobody signed it, one month after its start (signatures are not
        # given in the past: their evidence would carry today's time)
        "Paul",
        "Benali",
        "paul.benali@immersio.example",
        "0612345609",
        ("Julien Lefèvre", "julien.lefevre@immersio.example"),
        "past",
    ),
]


def load() -> str:
    agency = Agency.objects.filter(siret=agency_siret(1)).first()
    structure = HostStructure.objects.filter(siret=demo_siret(1)).first()
    appellation = Appellation.objects.filter(pk=MARAICHER).first()
    people = {u.email: u for u in User.objects.filter(email__in=[COUNSELLOR, VALIDATOR, HOST_REP])}
    if not (agency and structure and appellation) or len(people) < 3:
        return "prescripteur, structure ou référentiels de démonstration absents : rien à faire"
    today = timezone.localdate()
    built = kept = 0
    for story in STORIES:
        start, end = _dates(story, today)
        existing = Convention.objects.filter(agency=agency, beneficiary_email=story.email).exclude(
            status=Status.DRAFT
        )
        current = existing.first()
        if current is not None and current.date_start == start and current.date_end == end:
            kept += 1
            continue
        for stale in existing:
            _remove(stale)
        _build(story, agency, structure, appellation, people, start, end)
        built += 1
    reminders = lifecycle.send_signature_reminders(actor=COMMAND)
    return (
        f"{built} convention(s) créée(s), {kept} déjà à jour, "
        f"{reminders.count} relance(s) de signature"
    )


def waiting_link() -> str:
    """A signature link of a signatory who has not signed (the demo's « à signer »), to
    try « Je signe » from the console; "" without the demo."""
    convention = (
        Convention.objects.filter(beneficiary_email=STORIES[0].email, status=Status.TO_SIGN)
        .order_by("-pk")
        .first()
    )
    if convention is None:
        return ""
    signatory = convention.signatories.filter(role=Role.BENEFICIARY).first()
    if signatory is None:
        return ""
    return str(signature_link(signatory, convention.version))


# --- dates ----------------------------------------------------------------------------------


def market_garden_week(
    *, agency, structure, appellation, start: date, end: date, objectives: str
) -> dict:
    """The fields of a validated week of market gardening at the demo's first structure
    (Julien Lefèvre as tutor, the demo conseiller, five days of 6 h 30): the past
    immersions the journal and the follow-up show. The caller adds the beneficiary."""
    host_rep = User.objects.filter(email=HOST_REP).first()
    counsellor = User.objects.filter(email=COUNSELLOR).first()
    return {
        "status": Status.VALIDATED,
        "created_by": host_rep,
        "structure": structure,
        "host_siret": structure.siret,
        "host_name": structure.name,
        "host_rep_name": host_rep.get_full_name() if host_rep else "",
        "host_rep_email": HOST_REP,
        "tutor_name": "Julien Lefèvre",
        "tutor_function": "Maraîcher encadrant",
        "tutor_email": "julien.lefevre@immersio.example",
        "replaces_no_job": True,
        "object": "discover",
        "objectives": objectives,
        "appellation": appellation,
        "tasks": "Semis sous serre, plantations, récolte, préparation des paniers.",
        "place_address": "12 chemin des Jardins",
        "date_start": start,
        "date_end": end,
        "weekly_pattern": PATTERN,
        "presence_days": 5,
        "total_minutes": 5 * 390,  # 6 h 30 a day
        "agency": agency,
        "counsellor_name": counsellor.get_full_name() if counsellor else "",
        "counsellor_email": COUNSELLOR,
    }


def free_monday(after: date) -> date:
    """The first Monday on or after ``after`` in a week without a public holiday."""
    day = after + timedelta(days=(7 - after.weekday()) % 7)
    while any(public_holiday(day + timedelta(days=n)) for n in range(5)):
        day += timedelta(days=7)
    return day


def _dates(story: Story, today: date) -> tuple[date, date]:
    if story.start == "soon":
        start = add_working_days(today, 1)
        return start, start
    if story.start == "past":
        start = free_monday(today - timedelta(days=49))
    elif story.start.startswith("ended:"):
        weeks = int(story.start.split(":")[1])
        start = free_monday(today - timedelta(days=7 * weeks + 6))
        while start + timedelta(days=story.days - 1) >= today:
            start = free_monday(start - timedelta(days=13))
    else:
        weeks = int(story.start.split(":")[1])
        start = free_monday(today + timedelta(days=7 * weeks - 6))
    return start, start + timedelta(days=story.days - 1)


@contextmanager
def _as_of(day: date) -> Iterator[None]:
    """The platform's clock set to 9 a.m. on ``day`` (a past submission for the demo)."""
    moment = timezone.make_aware(datetime.combine(day, time(9, 0)))
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


# --- building -------------------------------------------------------------------------------


def _remove(convention: Convention) -> None:
    """A demo convention whose dates went stale: removed to be built again (the
    signatures first: they protect the version they sign)."""
    Signature.objects.filter(signatory__convention=convention).delete()
    convention.delete()


@transaction.atomic
def _build(story, agency, structure, appellation, people, start: date, end: date) -> None:
    if story.start.startswith("ended:"):
        # Sent, signed and validated the week before it started, on those days' clock.
        with _as_of(start - timedelta(days=7)):
            _build_now(story, agency, structure, appellation, people, start, end)
    else:
        _build_now(story, agency, structure, appellation, people, start, end)


def _build_now(story, agency, structure, appellation, people, start: date, end: date) -> None:
    host_rep = people[HOST_REP]
    submit_day = start - timedelta(days=7) if story.start == "past" else None
    with _as_of(submit_day) if submit_day else _nothing():
        request = _accepted_request(story, structure) if story.from_request else None
        if request is not None:
            convention = services.start_draft(actor=request.candidate, from_request=request)
        else:
            convention = services.start_draft(actor=host_rep, structure=structure)
        data = {
            "beneficiary_first_name": story.first_name,
            "beneficiary_last_name": story.last_name,
            "beneficiary_birth_date": date(1990 + len(story.last_name), 3, 12),
            "beneficiary_email": story.email,
            "beneficiary_phone": story.phone,
            "beneficiary_situation": "demandeur",
            "emergency_contact_name": f"Dominique {story.last_name}",
            "emergency_contact_phone": "04" + story.phone[2:],
            "host_rep_name": host_rep.get_full_name(),
            "host_rep_function": "Encadrante technique",
            "host_rep_email": HOST_REP,
            "host_rep_phone": "0698765401",
            "tutor_name": story.tutor[0],
            "tutor_function": "Maraîcher encadrant",
            "tutor_email": story.tutor[1],
            "replaces_no_job": True,
            "object": "discover",
            "objectives": (
                "Découvrir les gestes du maraîchage biologique et vérifier que le métier "
                "convient avant une formation ; bilan avec le tuteur le dernier jour."
            ),
            "appellation": appellation,
            "tasks": "Semis sous serre, plantations, désherbage, récolte, préparation des paniers.",
            "date_start": start,
            "date_end": end,
            "weekly_pattern": PATTERN,
            "agency": agency,
            "counsellor_name": people[COUNSELLOR].get_full_name(),
            "counsellor_email": COUNSELLOR,
            **story.extra,
        }
        services.save_step(convention=convention, step="demo", data=data, actor=host_rep)
        lifecycle.submit(convention=convention, actor=COMMAND)
        for role in story.signed:
            _sign(convention.signatories.get(role=role))
    if story.start == "past":
        lifecycle.make_obsolete_overdue(actor=COMMAND)
    for action, email, reason in story.decisions:
        convention.refresh_from_db()
        lifecycle.decide(convention=convention, action=action, actor=people[email], reason=reason)
    if story.pdf:
        convention.refresh_from_db()
        documents.store_document(version=selectors.current_version(convention), actor=COMMAND)


def _accepted_request(story: Story, structure: HostStructure) -> ContactRequest | None:
    return (
        ContactRequest.objects.filter(
            candidate__email=story.email, structure=structure, status=RequestStatus.ACCEPTED
        )
        .select_related("candidate")
        .first()
    )


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _sign(signatory) -> None:
    """« Je signe » as the signatory does it: a code sent to their own address, read from
    the e-mail, typed back."""
    signatory.refresh_from_db()
    version = signatory.convention.version
    lifecycle.send_code(signatory=signatory, version=version, actor=AUTOMATIC)
    email = (
        OutboundEmail.objects.filter(recipient=signatory.email, kind="convention_signature_code")
        .order_by("-pk")
        .first()
    )
    lifecycle.sign(
        signatory=signatory,
        version=version,
        code=CODE.search(email.subject).group(1),
        confirmed=True,
        ip=IP,
        user_agent=BROWSER,
        actor=AUTOMATIC,
    )
