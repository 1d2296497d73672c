"""AppPages: render_page for one app's pages, with the app's permission flag (issue 23)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from django.http import HttpResponse
from django.test import RequestFactory

from saferboard.core import pages
from saferboard.core.pages import AppPages


def _rendered(context: dict[str, Any], may: bool) -> dict[str, Any]:
    request = RequestFactory().get("/x/")
    request.user = object()  # type: ignore[assignment]
    seen: dict[str, Any] = {}

    def render(request: Any, template: str, given: dict[str, Any], status: int) -> HttpResponse:
        seen.update(given, template=template, status=status)
        return HttpResponse("page")

    with (
        mock.patch.object(pages, "render", render),
        mock.patch.object(pages, "current_partnership", lambda: "the partnership"),
    ):
        AppPages("can_manage", lambda user: may)(request, "page.html", context, status=400)
    return seen


def test_the_flag_and_the_partnership_are_added() -> None:
    assert _rendered({"form": "f"}, True) == {
        "partnership": "the partnership",
        "can_manage": True,
        "form": "f",
        "template": "page.html",
        "status": 400,
    }


def test_the_context_wins_and_is_not_changed() -> None:
    context = {"can_manage": False, "partnership": None}
    seen = _rendered(context, True)
    assert (seen["can_manage"], seen["partnership"]) == (False, None)
    assert context == {"can_manage": False, "partnership": None}
