"""Who may do what with reporting rounds and partner updates.

Partner leads see and change only their own organisations' updates: views load updates
through these scoped querysets, so another organisation's update is simply not found
(404). Board members read accepted content. Coordinators open rounds and review.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from saferboard.core.models import Role, User
from saferboard.strategy.models import PartnerUpdate, UpdateState


def partner_lead_organisation_ids(user: User) -> set[int]:
    """Organisations ``user`` is a partner lead for today."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(
        user.active_memberships(timezone.localdate())
        .filter(role=Role.PARTNER_LEAD)
        .values_list("organisation_id", flat=True)
    )


def is_partner_lead(user: User) -> bool:
    return bool(partner_lead_organisation_ids(user))


def is_coordinator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


def is_board_member(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.BOARD_MEMBER)


def editable_updates(user: User) -> QuerySet[PartnerUpdate]:
    """Updates ``user`` may edit: those of the organisations they lead for."""
    return PartnerUpdate.objects.filter(organisation_id__in=partner_lead_organisation_ids(user))


def readable_updates(user: User) -> QuerySet[PartnerUpdate]:
    """Coordinators read every update; everyone else reads accepted updates and those of
    their own organisations."""
    if is_coordinator(user) or user.is_administrator:
        return PartnerUpdate.objects.all()
    return PartnerUpdate.objects.filter(
        Q(state=UpdateState.ACCEPTED) | Q(organisation_id__in=user.organisation_ids())
    )


def reviewable_updates(user: User) -> QuerySet[PartnerUpdate]:
    """Updates ``user`` may open for review: coordinators all; board members those of
    strategies where the board accepts improvements (the workflow decides the rest)."""
    if is_coordinator(user):
        return PartnerUpdate.objects.all()
    if is_board_member(user):
        return PartnerUpdate.objects.filter(round__strategy__improvements_accepted_by="board")
    return PartnerUpdate.objects.none()
