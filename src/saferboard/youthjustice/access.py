"""Who may see youth justice figures and who may load case records (need to know).

The performance page shows aggregates only, yet they describe children known to the
youth justice system: it is for the youth justice service's own people, the partnership
coordinators, board members, analysts and administrators. Loading case records is for
the YOS head of service and performance officers (a YOS partner lead or analyst) and
administrators.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from saferboard.core.models import OrganisationType, Role, User


def in_youth_justice_service(user: User) -> bool:
    return (
        user.active_memberships().filter(organisation__type=OrganisationType.YOUTH_JUSTICE).exists()
    )


def can_view(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_administrator
        or user.has_role(Role.COORDINATOR, Role.BOARD_MEMBER, Role.ANALYST)
        or in_youth_justice_service(user)
    )


def can_import(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return (
        user.active_memberships()
        .filter(
            organisation__type=OrganisationType.YOUTH_JUSTICE,
            role__in=[Role.PARTNER_LEAD, Role.ANALYST],
        )
        .exists()
    )


def require_view(user: User) -> None:
    if not can_view(user):
        raise PermissionDenied


def require_import(user: User) -> None:
    if not can_import(user):
        raise PermissionDenied
