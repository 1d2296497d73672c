"""Set-up pages: the settings hub and the partnership settings page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core.partnerships import current_partnership
from saferboard.setup.checklist import checklist
from saferboard.setup.forms import PartnershipSettingsForm
from saferboard.setup.hub import can_see_hub, hub_sections
from saferboard.setup.links import href
from saferboard.strategy.models import Priority, Strategy


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    """Every settings page, for administrators, coordinators and analysts."""
    user = request.user
    if not can_see_hub(user):  # type: ignore[arg-type]
        raise PermissionDenied
    partnership = current_partnership()
    return render(
        request,
        "setup/hub.html",
        {
            "partnership": partnership,
            "sections": hub_sections(user),  # type: ignore[arg-type]
            "checklist": checklist(partnership) if partnership else None,
        },
    )


@require_http_methods(["GET", "POST"])
def partnership_settings(request: HttpRequest) -> HttpResponse:
    """The partnership's own settings (administrators only), every change audited."""
    if not request.user.is_administrator:  # type: ignore[union-attr]
        raise PermissionDenied
    partnership = current_partnership()
    if partnership is None:
        return render(request, "setup/no_partnership.html", {"partnership": None})
    strategy = Strategy.objects.filter(partnership=partnership).first()
    today = timezone.localdate()
    priorities = (
        list(
            Priority.objects.filter(strategy=strategy)
            .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))
            .order_by("number")
        )
        if strategy
        else []
    )
    form = PartnershipSettingsForm(
        request.POST or None, partnership=partnership, priorities=priorities
    )
    if request.method == "POST" and form.is_valid():
        changed = form.save(request)
        messages.success(
            request,
            "Partnership settings saved." if changed else "Nothing changed: settings as before.",
        )
        return redirect("setup:partnership")
    return render(
        request,
        "setup/partnership.html",
        {
            "partnership": partnership,
            "form": form,
            "strategy": strategy,
            "strategy_href": href("strategy:settings"),
            "hub_href": href("setup:hub"),
        },
    )
