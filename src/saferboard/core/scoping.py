"""Organisation-scoped querysets: the only way views load organisation-owned objects.

A model opts in by using :class:`OrganisationScopedQuerySet` as its manager and naming
the path to its owning organisation in ``scope_field`` (default ``organisation``).
Views call ``Model.objects.visible_to(user)`` and then ``get_object_or_404`` on the
result, so an object of another organisation is simply not found (404), never
"forbidden", which would confirm that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models

if TYPE_CHECKING:
    from saferboard.core.models import User

_M = TypeVar("_M", bound=models.Model)


class OrganisationScopedQuerySet(models.QuerySet[_M]):
    """A queryset that can narrow itself to what a user's organisations may see."""

    def visible_to(self, user: User) -> Self:
        """Objects owned by one of ``user``'s current organisations; all for administrators."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.all()
        field = getattr(self.model, "scope_field", "organisation")
        return self.filter(**{f"{field}__in": user.organisation_ids()})
