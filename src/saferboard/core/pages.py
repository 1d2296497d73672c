"""Rendering a page of any app with what every page's layout needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferboard.core.partnerships import current_partnership


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render ``template`` with the current partnership (the layout names it in the
    header and navigation) unless ``context`` gives one; ``context`` is not changed."""
    return render(
        request, template, {"partnership": current_partnership(), **context}, status=status
    )


@dataclass(frozen=True)
class AppPages:
    """:func:`render_page` for the pages of one app, each also told whether the signed-in
    user may do the app's main thing: ``flag`` is ``may(user)`` unless the context gives
    it (the actions, meetings, reports and strategy pages each wrote this renderer)."""

    flag: str
    may: Callable[[Any], bool]

    def __call__(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        """Render ``template`` as :func:`render_page` does, with ``flag`` added."""
        return render_page(
            request, template, {self.flag: self.may(request.user), **context}, status=status
        )
