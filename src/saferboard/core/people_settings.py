"""Setting up people: who may change whom, details, roles over time and deactivation.

Every change is audited as before and after. Roles are Membership rows with dates:
ending a role gives it an end date, so history shows who held what when. Nobody
changes their own roles or deactivates themselves, so nobody can grant themselves
access; and a coordinator cannot touch an administrator or grant administration.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, Membership, Organisation, Person, Role, User

PERSON_FIELDS = ("full_name", "job_title", "email", "phone", "organisation")
MEMBERSHIP_FIELDS = ("person", "organisation", "role", "start_date", "end_date")


class Refused(Exception):
    """A change the acting user may not make; the message says why, for the page."""


def can_manage_people(user: User) -> bool:
    """Administrators and coordinators add and change people."""
    return bool(
        user.is_authenticated and (user.is_administrator or user.has_role(Role.COORDINATOR))
    )


def is_privileged(person: Person, day: date | None = None) -> bool:
    """Whether ``person`` administers Saferboard (a current administrator role, or a
    superuser account): only another administrator may change them."""
    day = day or timezone.localdate()
    if person.user is not None and person.user.is_superuser:
        return True
    return person.memberships.active_on(day).filter(role=Role.ADMINISTRATOR).exists()


def may_manage(actor: User, person: Person) -> bool:
    """Whether ``actor`` may change ``person``'s details, roles and account at all."""
    if not can_manage_people(actor):
        return False
    return actor.is_administrator or not is_privileged(person)


def is_self(actor: User, person: Person) -> bool:
    return person.user_id is not None and person.user_id == actor.pk


def grantable_roles(actor: User) -> list[tuple[str, str]]:
    """The roles ``actor`` may give or end: all for an administrator; all but
    administrator for a coordinator."""
    if actor.is_administrator:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.ADMINISTRATOR]


def may_change_email(actor: User, person: Person) -> bool:
    """Only an administrator changes the address of someone who can sign in: password
    links go to it, so changing it would hand the account to whoever reads the new one."""
    return actor.is_administrator or person.user_id is None


def _check_roles_change(actor: User, person: Person, role: str) -> None:
    if is_self(actor, person):
        raise Refused("You cannot change your own roles. Another administrator must.")
    if not may_manage(actor, person):
        raise Refused("Only an administrator can change this person's roles.")
    if role not in {value for value, _ in grantable_roles(actor)}:
        raise Refused("Only an administrator can give or end the administrator role.")


@transaction.atomic
def create_person(values: dict[str, Any], *, request: HttpRequest) -> Person:
    """Add a person (no account until invited); audited."""
    person = Person(**{name: values.get(name, "") for name in PERSON_FIELDS})
    person.save()
    audit.record_change(
        person, before=None, after=audit.snapshot(person, PERSON_FIELDS), request=request
    )
    return person


@transaction.atomic
def update_person(person: Person, values: dict[str, Any], *, request: HttpRequest) -> Person:
    """Change a person's details, keeping their account's name and email in step; audited.
    Raises Refused when the acting user may not change them or their email."""
    actor: User = request.user  # type: ignore[assignment]
    if not may_manage(actor, person):
        raise Refused("Only an administrator can change this person's details.")
    if values.get("email", person.email) != person.email and not may_change_email(actor, person):
        raise Refused(
            "Only an administrator can change the email address of someone who can sign in."
        )
    before = audit.snapshot(person, PERSON_FIELDS)
    for name in PERSON_FIELDS:
        if name in values:
            setattr(person, name, values[name])
    person.save()
    if person.user is not None:
        first, _, last = person.full_name.partition(" ")
        person.user.first_name, person.user.last_name = first[:150], last[:150]
        person.user.email = person.email
        person.user.save(update_fields=["first_name", "last_name", "email"])
    audit.record_change(
        person, before=before, after=audit.snapshot(person, PERSON_FIELDS), request=request
    )
    return person


@transaction.atomic
def add_role(
    person: Person,
    *,
    organisation: Organisation,
    role: str,
    start_date: date | None,
    request: HttpRequest,
) -> Membership:
    """Give ``person`` ``role`` for ``organisation`` from ``start_date`` (today if None);
    audited as a permission change. Raises Refused for a change the actor may not make."""
    actor: User = request.user  # type: ignore[assignment]
    _check_roles_change(actor, person, role)
    start = start_date or timezone.localdate()
    if (
        Membership.objects.active_on(start)
        .filter(person=person, organisation=organisation, role=role)
        .exists()
    ):
        raise Refused(f"{person.full_name} already has this role for {organisation.name}.")
    membership = Membership.objects.create(
        person=person, organisation=organisation, role=role, start_date=start
    )
    audit.record_change(
        membership,
        before=None,
        after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        request=request,
        action=AuditAction.PERMISSION_CHANGE,
    )
    return membership


def _end(membership: Membership, *, request: HttpRequest, today: date) -> None:
    """End ``membership`` so that it no longer applies today: its last day is yesterday.
    One that began today or has not begun never really took effect, so it is withdrawn
    (removed; the audit row keeps what it was)."""
    if membership.start_date >= today:
        audit.record_change(
            membership,
            before=audit.snapshot(membership, MEMBERSHIP_FIELDS),
            after=None,
            request=request,
            action=AuditAction.PERMISSION_CHANGE,
            what="role withdrawn before it had a day of effect",
        )
        membership.delete()
        return
    audit.save_change(
        membership,
        MEMBERSHIP_FIELDS,
        {"end_date": today - timedelta(days=1)},
        request=request,
        action=AuditAction.PERMISSION_CHANGE,
    )


@transaction.atomic
def end_role(membership: Membership, *, request: HttpRequest) -> None:
    """End one of a person's current roles (history kept); audited as a permission change."""
    actor: User = request.user  # type: ignore[assignment]
    _check_roles_change(actor, membership.person, membership.role)
    today = timezone.localdate()
    if membership.end_date is not None and membership.end_date < today:
        raise Refused("This role has already ended.")
    _end(membership, request=request, today=today)


@transaction.atomic
def deactivate(person: Person, *, request: HttpRequest) -> None:
    """Stop ``person`` signing in and end their current roles (history kept). Audited."""
    actor: User = request.user  # type: ignore[assignment]
    if is_self(actor, person):
        raise Refused("You cannot deactivate yourself. Another administrator must.")
    if not may_manage(actor, person):
        raise Refused("Only an administrator can deactivate this person.")
    today = timezone.localdate()
    current = person.memberships.active_on(today)
    due = person.memberships.filter(start_date__gt=today)  # roles that would start later
    for membership in [*current, *due]:
        _end(membership, request=request, today=today)
    if person.user is not None and person.user.is_active:
        person.user.is_active = False
        person.user.save(update_fields=["is_active"])
        audit.record_change(
            person,
            before={"can_sign_in": True},
            after={"can_sign_in": False},
            request=request,
            account=person.user.get_username(),
        )


@transaction.atomic
def reactivate(person: Person, *, request: HttpRequest) -> None:
    """Let a deactivated person sign in again. Their roles are not restored: give them
    the roles they need now. Audited."""
    actor: User = request.user  # type: ignore[assignment]
    if is_self(actor, person):
        raise Refused("You cannot reactivate yourself. Another administrator must.")
    if not may_manage(actor, person):
        raise Refused("Only an administrator can reactivate this person.")
    if person.user is None or person.user.is_active:
        raise Refused(f"{person.full_name} has no deactivated account.")
    person.user.is_active = True
    person.user.save(update_fields=["is_active"])
    audit.record_change(
        person,
        before={"can_sign_in": False},
        after={"can_sign_in": True},
        request=request,
        account=person.user.get_username(),
    )
