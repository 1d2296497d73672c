"""Setting up partner organisations: who may, and creating and changing them, audited.

An organisation is never deleted: plans, returns and history refer to it. One that
leaves the partnership gets an end date and is shown as having left.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from saferboard.core import audit
from saferboard.core.models import Organisation, Partnership, Role, User

# Words the organisation pages use in their own addresses (/organisations/add/).
RESERVED_SLUGS = frozenset({"add"})

ORGANISATION_FIELDS = (
    "name",
    "type",
    "parent",
    "is_responsible_authority",
    "start_date",
    "end_date",
)


def can_manage_organisations(user: User) -> bool:
    """Administrators and coordinators add and change partner organisations."""
    return bool(
        user.is_authenticated and (user.is_administrator or user.has_role(Role.COORDINATOR))
    )


def unique_slug(partnership: Partnership, name: str, exclude_pk: int | None = None) -> str:
    """A slug for ``name`` not yet used in ``partnership``: "youth-service", then
    "youth-service-2" and so on."""
    base = slugify(name)[:72] or "organisation"
    taken = set(
        Organisation.objects.filter(partnership=partnership, slug__startswith=base)
        .exclude(pk=exclude_pk or 0)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def descendants(organisation: Organisation) -> set[int]:
    """The ids of every organisation below ``organisation`` (its parts, their parts...)."""
    found: set[int] = set()
    frontier = {organisation.pk}
    while frontier:
        children = set(
            Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = children - found
        found |= children
    return found


@transaction.atomic
def create_organisation(
    partnership: Partnership, values: dict[str, Any], *, request: HttpRequest
) -> Organisation:
    """Add a partner organisation with ``values`` (the form's cleaned data); audited."""
    organisation = Organisation(partnership=partnership)
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    organisation.slug = unique_slug(partnership, organisation.name)
    organisation.save()
    audit.record_change(
        organisation,
        before=None,
        after=audit.snapshot(organisation, [*ORGANISATION_FIELDS, "slug"]),
        request=request,
    )
    return organisation


@transaction.atomic
def update_organisation(
    organisation: Organisation, values: dict[str, Any], *, request: HttpRequest
) -> Organisation:
    """Change an organisation (its slug stays, so links and bookmarks keep working);
    audited as before and after. Setting an end date retires it."""
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, values[name])
    organisation.save()
    audit.record_change(
        organisation,
        before=before,
        after=audit.snapshot(organisation, ORGANISATION_FIELDS),
        request=request,
    )
    return organisation
