"""Who may do what in a structure's space. Pure reads of the membership rows.

- an **administrator** edits everything and manages the team;
- a **contact** sees the space, the requests received, and pauses or resumes;
- the Immersio team (staff) may do everything, for support.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import HostStructure, StructureMembership

if TYPE_CHECKING:
    from immersio.accounts.models import User


def membership_for(user: User | Any, structure: HostStructure) -> StructureMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StructureMembership.objects.for_user(user).filter(structure=structure).first()


def is_member(user: User | Any, structure: HostStructure) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or membership_for(user, structure) is not None


def is_admin(user: User | Any, structure: HostStructure) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    membership = membership_for(user, structure)
    return membership is not None and membership.role == StructureMembership.Role.ADMIN


def can_edit(user: User | Any, structure: HostStructure) -> bool:
    return is_admin(user, structure) and structure.status != HostStructure.Status.CLOSED


def can_manage_team(user: User | Any, structure: HostStructure) -> bool:
    return can_edit(user, structure)


def can_pause(user: User | Any, structure: HostStructure) -> bool:
    return is_member(user, structure) and structure.status == HostStructure.Status.PUBLISHED
