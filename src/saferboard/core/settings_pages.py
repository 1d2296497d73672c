"""What every app's settings pages share: who may use them and links to what must be
set up first (issue 23: the panels and data-return settings pages each wrote these;
they render through :func:`saferboard.core.pages.render_page`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from saferboard.core.models import Organisation, Partnership, Role, User

SETTINGS_HOME = "/settings/"

PARTNERSHIP_PAGES = ("setup:partnership", "setup:hub")
"""Where the partnership (and its local authority) is set up, best first."""
ORGANISATION_PAGES = ("core:organisation-create", "core:organisations")
"""Where partner organisations are added, best first."""


def may_change_settings(user: User) -> bool:
    """Administrators and the partnership's coordinators set things up."""
    return user.is_authenticated and (user.is_administrator or user.has_role(Role.COORDINATOR))


def settings_user(request: HttpRequest, refusal: str) -> User:
    """The signed-in user, if they may change settings; otherwise a 403 saying ``refusal``."""
    if not may_change_settings(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(refusal)
    return request.user  # type: ignore[return-value]


def organisation_choices(partnership: Partnership | None) -> QuerySet[Organisation]:
    """The partnership's organisations that have not left it: what a panel or a return
    template can name, and what must exist before one can be set up."""
    if partnership is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(partnership=partnership, end_date__isnull=True)


def first_link(names: tuple[str, ...]) -> str:
    """The path of the first of ``names`` that exists (set-up pages are built by
    several people), else the settings home."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return SETTINGS_HOME
