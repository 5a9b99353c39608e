"""The life of a convention, as data: its statuses, who may do what from which status.

One table (:data:`TRANSITIONS`) says, for each action, the statuses it starts from, the
status it leads to, the roles allowed to take it and whether a reason is required. The
services (``conventions.services``, ``conventions.lifecycle``) are the only code that changes
a convention's status, and they ask :func:`check` first; the pages ask
:func:`allowed_actions` to know which buttons to show. Pure: no database, no request.

The statuses follow the practice of the public platform (``../docs/conventions.md``):
brouillon → à signer → partiellement signée → en examen (every signatory signed) →
pré-validée (by a conseiller, optional) → validée (by a valideur: the prescriber's
signature, Code du travail L5135-4 and D5135-1); side exits refusée, annulée, obsolète.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db import models

from immersio.core.dates import period_end


class Status(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    TO_SIGN = "a_signer", "À signer"
    PARTIALLY_SIGNED = "partiellement_signee", "Partiellement signée"
    IN_REVIEW = "en_examen", "En examen par le prescripteur"
    PRE_VALIDATED = "pre_validee", "Pré-validée"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée"
    OBSOLETE = "obsolete", "Obsolète"


# Sent, not yet decided: the prescriber's work list, the signatures' and reminders' scope.
IN_PROGRESS = frozenset(
    {Status.TO_SIGN, Status.PARTIALLY_SIGNED, Status.IN_REVIEW, Status.PRE_VALIDATED}
)
# Waiting for signatures.
SIGNING = frozenset({Status.TO_SIGN, Status.PARTIALLY_SIGNED})
# Signed by every signatory, waiting for the prescriber.
REVIEWING = frozenset({Status.IN_REVIEW, Status.PRE_VALIDATED})
# Nothing more happens to these (but an amendment of a validated one, see ``amend``).
FINAL = frozenset({Status.VALIDATED, Status.REFUSED, Status.CANCELLED, Status.OBSOLETE})
# Count for the law's limits and for duplicates: sent and not dropped.
LIVE = IN_PROGRESS | {Status.VALIDATED}


class Role(models.TextChoices):
    """Who acts on a convention. The first five sign it (the prescriber signs by validating)."""

    BENEFICIARY = "beneficiaire", "Bénéficiaire"
    LEGAL_REPRESENTATIVE = "representant_legal", "Représentant légal du bénéficiaire"
    CURRENT_EMPLOYER = "employeur_actuel", "Employeur actuel du bénéficiaire"
    HOST_REPRESENTATIVE = "representant_structure", "Représentant de la structure d'accueil"
    HOST_SECOND_REPRESENTATIVE = (
        "second_representant_structure",
        "Second signataire de la structure d'accueil",
    )
    DRAFTER = "redacteur", "Rédacteur de la demande"
    COUNSELLOR = "conseiller", "Conseiller du prescripteur"
    VALIDATOR = "valideur", "Valideur du prescripteur"
    STAFF = "equipe", "Équipe Immersio"
    SYSTEM = "systeme", "Immersio (automatique)"


SIGNATORIES = frozenset(
    {
        Role.BENEFICIARY,
        Role.LEGAL_REPRESENTATIVE,
        Role.CURRENT_EMPLOYER,
        Role.HOST_REPRESENTATIVE,
        Role.HOST_SECOND_REPRESENTATIVE,
    }
)
AGENCY = frozenset({Role.COUNSELLOR, Role.VALIDATOR})


class Action(StrEnum):
    SUBMIT = "envoyer"
    SIGN = "signer"
    COMPLETE_SIGNATURES = "terminer_signatures"
    DECLINE = "decliner"
    REQUEST_CHANGE = "demander_modification"
    REOPEN = "rouvrir"
    CORRECT = "corriger"
    ADD_SIGNATORY = "ajouter_signataire"
    AMEND = "proposer_avenant"
    TRANSFER = "transferer"
    PRE_VALIDATE = "pre_valider"
    VALIDATE = "valider"
    REFUSE = "refuser"
    CANCEL = "annuler"
    MAKE_OBSOLETE = "rendre_obsolete"


ACTION_LABELS = {
    Action.SUBMIT: "Envoyer pour signature",
    Action.SIGN: "Signer",
    Action.COMPLETE_SIGNATURES: "Toutes les signatures reçues",
    Action.DECLINE: "Refuser de signer",
    Action.REQUEST_CHANGE: "Demander une modification",
    Action.REOPEN: "Rouvrir pour modifier",
    Action.CORRECT: "Corriger des coordonnées",
    Action.ADD_SIGNATORY: "Ajouter un second signataire pour la structure",
    Action.AMEND: "Proposer un avenant",
    Action.TRANSFER: "Transférer à un autre prescripteur",
    Action.PRE_VALIDATE: "Pré-valider",
    Action.VALIDATE: "Valider",
    Action.REFUSE: "Refuser",
    Action.CANCEL: "Annuler",
    Action.MAKE_OBSOLETE: "Rendre obsolète",
}


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change
    roles: frozenset[Role]
    reason_required: bool = False


_BEFORE_VALIDATION = IN_PROGRESS

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        # The person who wrote the draft, the agency writing it for its beneficiary, or an
        # operator's command (demo data, imports).
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT}),
            Status.TO_SIGN,
            frozenset({Role.DRAFTER, Role.STAFF, Role.SYSTEM, *AGENCY}),
        ),
        Transition(Action.SIGN, SIGNING, Status.PARTIALLY_SIGNED, SIGNATORIES),
        # Taken by the platform, in the same transaction as the last signature.
        Transition(Action.COMPLETE_SIGNATURES, SIGNING, Status.IN_REVIEW, frozenset({Role.SYSTEM})),
        # Recorded and told to the agency; the status does not change, so that a forwarded
        # or leaked link cannot end a convention: the agency decides what follows.
        Transition(Action.DECLINE, SIGNING, None, SIGNATORIES, reason_required=True),
        Transition(
            Action.REQUEST_CHANGE,
            _BEFORE_VALIDATION,
            None,
            SIGNATORIES | AGENCY,
            reason_required=True,
        ),
        # Back to a draft that a party with an account or the agency changes and sends
        # again: a new version; if its substance changed, every signature is to give again
        # (the sender's counts as given).
        Transition(
            Action.REOPEN,
            _BEFORE_VALIDATION,
            Status.DRAFT,
            frozenset({Role.DRAFTER, Role.STAFF, *AGENCY}),
            reason_required=True,
        ),
        # Contact details or a misspelt name: a new version, signatures kept, status kept.
        Transition(
            Action.CORRECT,
            _BEFORE_VALIDATION | {Status.VALIDATED},
            None,
            AGENCY | {Role.STAFF},
            reason_required=True,
        ),
        # A public employer that requires two signatures for the host: while signing.
        Transition(
            Action.ADD_SIGNATORY,
            SIGNING,
            None,
            frozenset({Role.DRAFTER, Role.STAFF, *AGENCY}),
        ),
        # After validation, a change of a mandatory mention (tutor, schedule, dates, place:
        # D5135-2) is an amendment: a new convention signed and validated again; this one
        # stays in force until then.
        Transition(
            Action.AMEND,
            frozenset({Status.VALIDATED}),
            None,
            AGENCY | {Role.STAFF},
            reason_required=True,
        ),
        # The prescriber is a party and a mandatory mention: a new version to confirm.
        Transition(
            Action.TRANSFER,
            _BEFORE_VALIDATION,
            Status.TO_SIGN,
            AGENCY | {Role.STAFF},
            reason_required=True,
        ),
        Transition(
            Action.PRE_VALIDATE,
            frozenset({Status.IN_REVIEW}),
            Status.PRE_VALIDATED,
            frozenset({Role.COUNSELLOR}),
        ),
        Transition(Action.VALIDATE, REVIEWING, Status.VALIDATED, frozenset({Role.VALIDATOR})),
        Transition(
            Action.REFUSE,
            _BEFORE_VALIDATION,
            Status.REFUSED,
            AGENCY | {Role.STAFF},
            reason_required=True,
        ),
        # Until the day before the start (see ``rules``/``lifecycle``), validated or not.
        Transition(
            Action.CANCEL,
            _BEFORE_VALIDATION | {Status.VALIDATED},
            Status.CANCELLED,
            AGENCY | {Role.STAFF},
            reason_required=True,
        ),
        # The nightly job: not validated one calendar month after the planned start.
        Transition(
            Action.MAKE_OBSOLETE,
            _BEFORE_VALIDATION,
            Status.OBSOLETE,
            frozenset({Role.SYSTEM, Role.STAFF}),
            reason_required=True,
        ),
    )
}


class TransitionRefused(Exception):
    """An action that the table forbids; ``message`` is French, for the person."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


_STATUS_MESSAGES = {
    Status.DRAFT: "Cette convention n'a pas encore été envoyée.",
    Status.VALIDATED: "Cette convention est déjà validée.",
    Status.REFUSED: "Cette convention a été refusée.",
    Status.CANCELLED: "Cette convention a été annulée.",
    Status.OBSOLETE: "Cette convention est obsolète.",
}


def check(
    action: Action, *, status: str, roles: frozenset[Role] | set[Role], reason: str = ""
) -> Transition:
    """The transition ``action`` from ``status`` by someone holding ``roles``, or
    :class:`TransitionRefused` with a French message saying why not."""
    transition = TRANSITIONS[action]
    label = ACTION_LABELS[action].lower()
    if status not in transition.sources:
        current = _STATUS_MESSAGES.get(
            Status(status), f"Cette convention est « {Status(status).label.lower()} »."
        )
        raise TransitionRefused(
            f"{current} L'action « {label} » n'est plus possible.", code="wrong_status"
        )
    if not transition.roles & set(roles):
        raise TransitionRefused(
            f"Vous ne pouvez pas « {label} » cette convention.", code="wrong_role"
        )
    if transition.reason_required and not reason.strip():
        raise TransitionRefused("Indiquez le motif : il est communiqué aux parties.", code="reason")
    return transition


def allowed_actions(*, status: str, roles: frozenset[Role] | set[Role]) -> list[Action]:
    """The actions someone holding ``roles`` may take on a convention in ``status``
    (in the table's order), for the pages' buttons."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if status in transition.sources and transition.roles & set(roles)
    ]


def date_problem(action: Action, *, today: date, start: date | None) -> str:
    """What the calendar forbids, in French ("" when nothing): a convention is validated
    up to and including its first day, never after (the dates must change first); it is
    cancelled until the day before it starts."""
    if start is None:
        return ""
    if action is Action.VALIDATE and today > start:
        return (
            "L'immersion devait commencer le "
            f"{start.strftime('%d/%m/%Y')} : une convention ne se valide pas après son "
            "premier jour. Demandez une modification des dates."
        )
    if action is Action.CANCEL and today >= start:
        return (
            "L'immersion a commencé le "
            f"{start.strftime('%d/%m/%Y')} : une convention s'annule au plus tard la veille "
            "de son premier jour."
        )
    return ""


def obsolete_after(start: date) -> date:
    """The first day a convention not yet validated becomes obsolete: one calendar month
    after its planned start."""
    return period_end(start, 1) + timedelta(days=1)
