"""Who may see and fill which returns."""

from __future__ import annotations

from django.db.models import QuerySet

from saferboard.core.models import Role, User
from saferboard.returns.models import ReturnTemplate

OVERSEERS = (Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)


def oversees_returns(user: User) -> bool:
    """Coordinators, analysts and administrators see every partner's returns."""
    return user.is_administrator or user.has_role(*OVERSEERS)


def visible_templates(user: User) -> QuerySet[ReturnTemplate]:
    """The templates ``user`` may see: all for overseers, else their organisations'."""
    templates = ReturnTemplate.objects.select_related("organisation", "area")
    if oversees_returns(user):
        return templates.all()
    return templates.filter(organisation_id__in=user.organisation_ids())


def can_submit(user: User, template: ReturnTemplate) -> bool:
    """Partner leads of the template's organisation, coordinators and administrators."""
    if user.is_administrator or user.has_role(Role.COORDINATOR):
        return True
    return template.organisation_id in user.organisation_ids() and user.has_role(Role.PARTNER_LEAD)
