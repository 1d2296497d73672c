"""Need-to-know access: the one place that decides who may see which panel cases.

Every view that touches a case, its identity, reviews, actions or escalation steps
starts from :func:`cases_visible_to`. A user sees a panel's cases only while all of
these hold at the moment of the request:

* the account is active and linked to a person;
* that person has a panel membership that has started and not ended
  (removal sets the end to the moment of removal, so access ends at once);
* the membership's organisation is still one of the panel's member organisations;
* the person still holds a current role (core membership) in that organisation.

Administrators get no exception: an administrator who is not a panel member sees the
aggregates only. Objects outside the user's scope are "not found" (404), never
"forbidden", so their existence is not confirmed.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from saferboard.core.models import User
from saferboard.panels.models import Case, CaseQuerySet, Panel, PanelMembership, PanelRole

# Roles on a panel that may run it: close cases, manage its members.
RUNNING_ROLES = {PanelRole.CHAIR, PanelRole.COORDINATOR}


def current_memberships(user: User, now: datetime | None = None) -> QuerySet[PanelMembership]:
    """The user's panel memberships in force at ``now`` (none for anyone else)."""
    if not user.is_authenticated or not user.is_active:
        return PanelMembership.objects.none()
    person = getattr(user, "person", None)
    if person is None:
        return PanelMembership.objects.none()
    now = now or timezone.now()
    organisations = user.organisation_ids(timezone.localdate(now))
    return PanelMembership.objects.current(now).filter(
        person=person, organisation_id__in=organisations, panel__is_active=True
    )


def member_panel_ids(user: User, now: datetime | None = None) -> set[int]:
    return set(current_memberships(user, now).values_list("panel_id", flat=True))


def panels_where_member(user: User, now: datetime | None = None) -> QuerySet[Panel]:
    return Panel.objects.filter(pk__in=member_panel_ids(user, now))


def cases_visible_to(user: User, now: datetime | None = None) -> CaseQuerySet:
    """Every case ``user`` may see, identity included: those of their current panels."""
    return Case.objects.filter(panel_id__in=member_panel_ids(user, now))


def panel_role(user: User, panel: Panel, now: datetime | None = None) -> str | None:
    """The user's current role on ``panel``, or None if not a current member."""
    membership = current_memberships(user, now).filter(panel=panel).order_by("role").first()
    return membership.role if membership else None


def runs_panel(user: User, panel: Panel) -> bool:
    """Chair or coordinator of the panel now: may close cases and manage members."""
    return panel_role(user, panel) in RUNNING_ROLES


def may_manage_members(user: User, panel: Panel) -> bool:
    """Administrators manage seats (without seeing cases); so do the panel's own leads."""
    return user.is_administrator or runs_panel(user, panel)


def subject_access_cases(user: User, full_name: str, date_of_birth: date) -> list[Case]:
    """The one exception to need-to-know: an administrator answering a subject access
    request finds the cases of the person with exactly this name and date of birth
    (the details the requester proved). The calling view requires the request's
    reference and audits the search and every export."""
    if not user.is_authenticated or not user.is_active or not user.is_administrator:
        return []
    from saferboard.panels.subject_access import find_cases

    return find_cases(full_name, date_of_birth)
