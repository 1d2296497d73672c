"""Rendering a page of any app with what every page's layout needs."""

from __future__ import annotations

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
