"""The board's decision on a proposed Blue (see :mod:`saferboard.actions.completion`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferboard.actions import access
from saferboard.actions.completion import (
    CompletionError,
    accept_blue,
    can_accept,
    pending_proposal,
    reject_blue,
)
from saferboard.actions.forms import BlueDecisionForm
from saferboard.actions.models import Action, ActionPlan
from saferboard.core.editing import save_or_show


@require_http_methods(["GET", "POST"])
def blue_decision(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """Accept a lead's proposed Blue (Blue recorded, action closed) or return it."""
    plans = ActionPlan.objects.visible_to(request.user)  # type: ignore[arg-type]
    plan = get_object_or_404(plans, pk=pk)
    action = get_object_or_404(Action, plan=plan, reference=reference)
    if not can_accept(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    proposal = pending_proposal(action)
    if proposal is None:
        raise Http404("No Blue is awaiting the board for this action")
    form = BlueDecisionForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        if data["decision"] == "accept":
            accept_blue(proposal, user=request.user, note=data["reason"], request=request)  # type: ignore[arg-type]
            return f"Blue accepted: action {action.reference} is closed"
        reject_blue(proposal, user=request.user, reason=data["reason"], request=request)  # type: ignore[arg-type]
        return f"Action {action.reference} returned to the lead"

    return save_or_show(
        request,
        form,
        save,
        then=reverse("actions:action", kwargs={"pk": plan.pk, "reference": action.reference}),
        refused=CompletionError,
        template="actions/blue_decision.html",
        context=lambda: {
            "plan": plan,
            "action": action,
            "proposal": proposal,
            "form": form,
            "can_manage": access.can_manage(request.user),  # type: ignore[arg-type]
        },
        show=render,
    )
