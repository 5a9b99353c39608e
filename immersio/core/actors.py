"""Who performs a state change.

Every service that changes state takes a keyword-only, required ``actor``: the person
acting (a ``User``) or an explicit :class:`SystemActor` for scheduled tasks, management
commands and automatic consequences of another change. Passing ``None`` is refused, so a
permission check can never be skipped by forgetting who acts.

Services check permissions with :func:`require` and store who acted with
:func:`user_of` (``None`` for the system, which audit rows show as « Immersio »).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from immersio.accounts.models import User


@dataclass(frozen=True, slots=True)
class SystemActor:
    """The platform itself, acting for a named reason (shown in audit trails)."""

    name: str

    @property
    def is_authenticated(self) -> bool:  # never mistaken for a logged-in person
        return False

    def __str__(self) -> str:
        return f"Immersio ({self.name})"


#: Scheduled jobs (outbox worker, reminders, purges).
TASK = SystemActor("tâche planifiée")
#: Management commands run by an operator on the server (imports, demo data).
COMMAND = SystemActor("commande d'exploitation")
#: A change that follows automatically from another one (e.g. a structure hidden after
#: unanswered requests), or a person proving control of a link sent to them.
AUTOMATIC = SystemActor("conséquence automatique")

type Actor = User | SystemActor


def check_actor(actor: object) -> None:
    """Refuse anything that is neither a logged-in user nor a system actor."""
    if isinstance(actor, SystemActor):
        return
    if actor is None or isinstance(actor, AnonymousUser):
        raise TypeError("Un service qui modifie des données exige un acteur (actor=…).")
    if not getattr(actor, "is_authenticated", False):
        raise TypeError(f"Acteur invalide : {actor!r}.")


def is_system(actor: object) -> bool:
    check_actor(actor)
    return isinstance(actor, SystemActor)


def require(actor: object, allowed: Callable[[User], bool], *, system_allowed: bool = True) -> None:
    """Raise ``PermissionDenied`` unless the person may act, or the platform does.

    ``allowed`` is called with the person only (never with a system actor); system
    actors pass when ``system_allowed`` (the default) and are refused otherwise."""
    if is_system(actor):
        if not system_allowed:
            raise PermissionDenied
        return
    if not allowed(actor):  # type: ignore[arg-type]
        raise PermissionDenied


def user_of(actor: object) -> User | None:
    """The person to record as author, ``None`` when the platform acted."""
    return None if is_system(actor) else actor  # type: ignore[return-value]
