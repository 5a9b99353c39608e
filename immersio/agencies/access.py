"""Who may do what in an agency's space. Pure reads of the membership rows: an
administrator manages the team; the Immersio team (staff) may do everything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Agency, AgencyMembership

if TYPE_CHECKING:
    from immersio.accounts.models import User


def membership_of(user: User | Any, agency: Agency) -> AgencyMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return AgencyMembership.objects.for_user(user).filter(agency=agency).first()


def can_manage_team(user: User | Any, agency: Agency) -> bool:
    if getattr(user, "is_staff", False):
        return True
    membership = membership_of(user, agency)
    return membership is not None and membership.role == AgencyMembership.Role.ADMIN
