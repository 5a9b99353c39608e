"""Who performs a state change.

Every service that changes state takes a keyword-only, required ``actor``: the person
acting (a ``User``) or an explicit :class:`SystemActor` for scheduled tasks, management
commands and automatic consequences of another change. Passing ``None`` is refused, so a
permission check can never be skipped by forgetting who acts.

Services check permissions with :func:`require` and store who acted with
:func:`user_of` (``None`` for the system, which audit rows show as « Immersio »).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.http import HttpRequest

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
#: Someone not logged in, through a public form open to anyone (ask for a login link,
#: write to a structure, report a post): rate-limited by address and IP, never trusted
#: with anything beyond what that form does.
VISITOR = SystemActor("visiteur non connecté")

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


def require(
    actor: object,
    allowed: Callable[[User], bool],
    *,
    system_allowed: bool | Collection[SystemActor] = True,
) -> None:
    """Raise ``PermissionDenied`` unless the person may act, or the platform does.

    ``allowed`` is called with the person only (never with a system actor); system
    actors pass when ``system_allowed`` is true (the default), are refused when it is
    false, and when it is a collection only those in it pass (e.g. ``{TASK, COMMAND}``
    for a purge, ``{AUTOMATIC}`` for a personal link)."""
    if is_system(actor):
        if isinstance(system_allowed, bool):
            if not system_allowed:
                raise PermissionDenied
        elif actor not in system_allowed:
            raise PermissionDenied
        return
    if not allowed(actor):  # type: ignore[arg-type]
        raise PermissionDenied


def anyone(user: User) -> bool:
    """Every logged-in person (for ``require`` in services open to all)."""
    return True


def nobody(user: User) -> bool:
    """No person: only the system actors ``require`` lets through."""
    return False


def is_staff(user: User) -> bool:
    return bool(user.is_staff)


def actor_of(request: HttpRequest) -> Actor:
    """Who acts in a request open to anyone: the logged-in person, else ``VISITOR``."""
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else VISITOR


def user_of(actor: object) -> User | None:
    """The person to record as author, ``None`` when the platform acted."""
    return None if is_system(actor) else actor  # type: ignore[return-value]
