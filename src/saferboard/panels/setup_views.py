"""Settings pages for panels: the list (with seats awaiting approval), add, change, retire.

Administrators and the partnership's coordinators (others 403). Setting up a panel shows
no case and gives no seat: seats are asked for and approved on the panel's members page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core.editing import changes_message, save_or_show
from saferboard.core.models import User
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.core.settings_pages import (
    ORGANISATION_PAGES,
    PARTNERSHIP_PAGES,
    first_link,
    may_change_settings,
    organisation_choices,
    settings_user,
)
from saferboard.panels import access, setup
from saferboard.panels.models import Panel, PanelMembership
from saferboard.panels.setup_forms import PanelForm

may_set_up_panels = may_change_settings
"""Administrators and the partnership's coordinators set panels up."""


def _allowed(request: HttpRequest) -> User:
    return settings_user(request, "Only administrators and coordinators set panels up")


def _edit_url(panel: Panel) -> str:
    return reverse("panels:settings-edit", kwargs={"slug": panel.slug})


def _missing() -> list[tuple[str, str]]:
    """What must be set up before a panel can be, with where to set it up."""
    partnership = current_partnership()
    if partnership is None:
        return [("the partnership", first_link(PARTNERSHIP_PAGES))]
    if not organisation_choices(partnership).exists():
        return [
            (
                "the organisations that sit on panels",
                first_link(ORGANISATION_PAGES),
            )
        ]
    return []


@require_GET
def settings(request: HttpRequest) -> HttpResponse:
    """Every panel, and the seats waiting for someone to approve them."""
    user = _allowed(request)
    panels = list(
        Panel.objects.prefetch_related("member_organisations").order_by("-is_active", "name")
    )
    awaiting = {
        row["panel"]: row["n"]
        for row in PanelMembership.objects.awaiting_approval()
        .values("panel")
        .annotate(n=Count("pk"))
    }
    rows = [
        (panel, awaiting.get(panel.pk, 0), access.may_manage_members(user, panel))
        for panel in panels
    ]
    return render_page(request, "panels/settings/index.html", {"rows": rows, "missing": _missing()})


@require_http_methods(["GET", "POST"])
def panel_create(request: HttpRequest) -> HttpResponse:
    user = _allowed(request)
    partnership = current_partnership()
    missing = _missing()
    form = PanelForm(request.POST or None, partnership=partnership)
    made: list[Panel] = []

    def save(data: dict[str, Any]) -> str:
        made.append(
            setup.create_panel(
                partnership,  # type: ignore[arg-type]  # not None: nothing is missing
                form.details(),
                actor=user,
                request=request,
            )
        )
        return (
            f"{made[0].name} created. Ask for its first seats on its members page: "
            "each is approved by someone other than the one who asked"
        )

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(made[0]),
        allowed=not missing,
        template="panels/settings/panel_form.html",
        context={"form": form, "missing": missing, "title": "Add a panel", "panel": None},
    )


@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _allowed(request)
    panel = get_object_or_404(Panel, slug=slug)
    form = PanelForm(
        request.POST or None, partnership=panel.partnership, initial=PanelForm.initial_for(panel)
    )

    def save(data: dict[str, Any]) -> str:
        return changes_message(
            setup.update_panel(panel, form.details(), actor=user, request=request)
        )

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(panel),
        template="panels/settings/panel_form.html",
        context=lambda: {
            "form": form,
            "missing": [],
            "title": panel.name,
            "panel": panel,
            "manages_members": access.may_manage_members(user, panel),
            "awaiting": PanelMembership.objects.awaiting_approval().filter(panel=panel).count(),
        },
    )


@require_POST
def panel_retire(request: HttpRequest, slug: str) -> HttpResponse:
    user = _allowed(request)
    panel = get_object_or_404(Panel, slug=slug)
    if panel.is_active:
        setup.retire_panel(panel, actor=user, request=request)
        messages.success(request, f"{panel.name} retired: every seat has ended")
    return redirect("panels:settings-edit", slug=panel.slug)
