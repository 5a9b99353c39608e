"""Who may do what in a structure's space. Pure reads of the membership rows.

- an **administrator** edits everything and manages the team;
- a **contact** sees the space, the requests received, and pauses or resumes;
- the Immersio team (staff) may do everything, for support.
"""

from .models import HostStructure, StructureMembership


def membership_for(user, structure: HostStructure) -> StructureMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StructureMembership.objects.for_user(user).filter(structure=structure).first()


def is_member(user, structure: HostStructure) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or membership_for(user, structure) is not None


def is_admin(user, structure: HostStructure) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    membership = membership_for(user, structure)
    return membership is not None and membership.role == StructureMembership.Role.ADMIN


def can_edit(user, structure: HostStructure) -> bool:
    return is_admin(user, structure) and structure.status != HostStructure.Status.CLOSED


def can_manage_team(user, structure: HostStructure) -> bool:
    return can_edit(user, structure)


def can_pause(user, structure: HostStructure) -> bool:
    return is_member(user, structure) and structure.status == HostStructure.Status.PUBLISHED
