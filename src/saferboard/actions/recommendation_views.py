"""Changing and removing a plan's recommendations (coordinators and administrators).

Rules and auditing live in :mod:`saferboard.actions.recommendations`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferboard.actions import access
from saferboard.actions.inspection_forms import RecommendationEditForm
from saferboard.actions.models import ActionPlan, PlanKind, Recommendation
from saferboard.actions.recommendations import (
    RECOMMENDATION_FIELDS,
    linked_references,
    remove_recommendation,
    update_recommendation,
)


def _recommendation(request: HttpRequest, pk: int, number: int) -> Recommendation:
    """The recommendation of a plan ``request.user`` may see (404 otherwise, as for the
    plan), for a manager (403 for anyone else who may see it)."""
    plans = ActionPlan.objects.visible_to(request.user).exclude(kind=PlanKind.BOARD_LOG)  # type: ignore[arg-type]
    plan = get_object_or_404(plans, pk=pk)
    if not access.can_manage(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Only coordinators and administrators change recommendations")
    return get_object_or_404(
        Recommendation.objects.select_related("plan"), plan=plan, number=number
    )


@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Change a recommendation's words, addressees, response and linked actions."""
    recommendation = _recommendation(request, pk, number)
    initial = {name: getattr(recommendation, name) for name in RECOMMENDATION_FIELDS}
    initial["actions"] = list(recommendation.actions.values_list("pk", flat=True))
    form = RecommendationEditForm(
        request.POST or None, initial=initial, recommendation=recommendation
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actions = data.pop("actions")
        update_recommendation(recommendation, data, actions, user=request.user, request=request)  # type: ignore[arg-type]
        messages.success(request, f"Recommendation {recommendation.number} saved")
        return redirect(
            reverse("actions:plan", args=[pk]) + f"#recommendation-{recommendation.number}"
        )
    return render(
        request,
        "actions/recommendation_edit.html",
        {"plan": recommendation.plan, "recommendation": recommendation, "form": form},
    )


@require_http_methods(["GET", "POST"])
def recommendation_remove(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Ask, then remove a recommendation; the actions that answer it are kept."""
    recommendation = _recommendation(request, pk, number)
    if request.method == "POST":
        kept = remove_recommendation(recommendation, user=request.user, request=request)  # type: ignore[arg-type]
        text = f"Recommendation {number} removed"
        if kept:
            text += f"; its actions ({', '.join(kept)}) are kept, under Other actions"
        messages.success(request, text)
        return redirect("actions:plan", pk=pk)
    return render(
        request,
        "actions/recommendation_remove.html",
        {
            "plan": recommendation.plan,
            "recommendation": recommendation,
            "linked": list(recommendation.actions.order_by("position", "pk")),
            "references": linked_references(recommendation),
        },
    )
