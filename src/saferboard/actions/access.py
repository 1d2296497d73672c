"""Who may see and change action plans.

- Coordinators and administrators manage every plan.
- Everyone signed in reads unrestricted plans (board members read, they do not edit).
- A restricted plan is seen only by its owner organisation, its action leads and the
  managers; to anyone else it does not exist (404, never 403).
- An action's leads (the people named, or partner leads of a lead organisation) may
  update their own actions: progress, steps, RAG proposals with evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet

from saferboard.core.models import Role

if TYPE_CHECKING:
    from saferboard.actions.models import Action, ActionPlan
    from saferboard.core.models import User

# A query set of plans, of whatever class it is (a plan query set stays one).
Plans = TypeVar("Plans", bound="QuerySet[ActionPlan]")


def can_manage(user: User) -> bool:
    """Coordinators and administrators create, import, edit and close anything."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_administrator or user.has_role(Role.COORDINATOR))
    )


def visible_plans(plans: Plans, user: User) -> Plans:
    """The plans in ``plans`` that ``user`` may read."""
    if not user.is_authenticated or not user.is_active:
        return plans.none()
    if can_manage(user):
        return plans
    orgs = user.organisation_ids()
    allowed = (
        Q(restricted=False)
        | Q(owner__in=orgs)
        | Q(actions__lead_organisations__in=orgs)
        | Q(actions__lead_people__user=user)
    )
    ids = plans.filter(allowed).values("pk")
    return plans.filter(pk__in=ids)


def is_lead(user: User, action: Action) -> bool:
    """True if ``user`` is a named lead, or a partner lead of a lead organisation."""
    if not user.is_authenticated:
        return False
    if action.lead_people.filter(user=user).exists():
        return True
    if not user.has_role(Role.PARTNER_LEAD):
        return False
    return action.lead_organisations.filter(pk__in=user.organisation_ids()).exists()


def can_update(user: User, action: Action) -> bool:
    """Managers and the action's own leads may record progress on it."""
    return can_manage(user) or is_lead(user, action)
