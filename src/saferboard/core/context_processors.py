"""Navigation for the header: only the links the signed-in user can use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

# (url name, label, who sees it): None means every signed-in user, "administrator" only
# administrators, and a dotted path names a predicate `f(user) -> bool` of the app.
NAV_ITEMS: list[tuple[str, str, str | None]] = [
    ("core:home", "Home", None),
    ("strategy:index", "Strategy", None),
    ("crime:index", "Crime", None),
    ("youthjustice:index", "Youth justice", "saferboard.youthjustice.access.can_view"),
    ("actions:index", "Actions", None),
    ("meetings:index", "Meetings", None),
    ("panels:index", "Panels", None),
    ("returns:index", "Data returns", None),
    ("reports:index", "Board packs", None),
    ("measures:list", "Measures", None),
    ("core:organisations", "Organisations", None),
    ("core:people", "People", "saferboard.core.people_settings.can_manage_people"),
    ("core:audit-log", "Audit log", "administrator"),
    ("setup:hub", "Settings", "saferboard.setup.hub.can_see_hub"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header's links for the signed-in user; a broken URL name raises."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, needs in NAV_ITEMS:
        if needs == "administrator" and not user.is_administrator:
            continue
        if needs and "." in needs and not import_string(needs)(user):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch as error:
            # A renamed or removed page must fail every page (and so the tests) at once,
            # not quietly drop its link from the header (issue 23).
            raise ImproperlyConfigured(
                f"Navigation item {label!r}: no URL named {name!r}"
            ) from error
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"href": href, "text": label, "current": current})
    return {"nav_items": items}
