"""The inspection a plan answers, beside other services' published ratings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.actions import access
from saferboard.actions.inspection_forms import InspectionForm, PublishedRatingsForm
from saferboard.actions.inspection_services import (
    INSPECTION_FIELDS,
    comparison_for,
    import_published,
    rating_lines,
    save_inspection,
)
from saferboard.actions.inspections import MAX_BYTES
from saferboard.actions.models import ActionPlan, Inspection, PlanKind, PublishedInspection
from saferboard.core.editing import save_or_show
from saferboard.core.guards import require


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    visible = ActionPlan.objects.visible_to(request.user)  # type: ignore[arg-type]
    plans = visible.exclude(kind=PlanKind.BOARD_LOG)
    return get_object_or_404(plans, pk=pk)


@require_GET
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspection's facts and ratings, with other services' ratings by standard."""
    plan = _plan(request, pk)
    held = Inspection.objects.filter(plan=plan).first()
    if held is None:
        if access.can_manage(request.user):  # type: ignore[arg-type]
            return redirect("actions:inspection-edit", pk=plan.pk)
        raise Http404("No inspection is recorded for this plan")
    return render(
        request,
        "actions/inspection.html",
        {
            "plan": plan,
            "inspection": held,
            "ratings": held.ratings.all(),
            "comparison": comparison_for(held),
            "recommendations": plan.recommendations.prefetch_related("actions"),
            "can_manage": access.can_manage(request.user),  # type: ignore[arg-type]
        },
    )


@require_http_methods(["GET", "POST"])
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or change the inspection (coordinators and administrators)."""
    plan = _plan(request, pk)
    require(request, access.can_manage)
    held = Inspection.objects.filter(plan=plan).first()
    initial = {name: getattr(held, name) for name in INSPECTION_FIELDS} if held else {}
    initial["ratings"] = rating_lines(held)
    form = InspectionForm(request.POST or None, initial=initial)

    def save(cleaned: dict[str, Any]) -> str:
        data = dict(cleaned)
        ratings = data.pop("ratings")
        save_inspection(plan, data, ratings, user=request.user, request=request)  # type: ignore[arg-type]
        return "Inspection saved"

    return save_or_show(
        request,
        form,
        save,
        then=reverse("actions:inspection", args=[plan.pk]),
        refused=(),
        template="actions/inspection_form.html",
        context={"plan": plan, "form": form, "inspection": held},
        show=render,
    )


@require_http_methods(["GET", "POST"])
def published_ratings(request: HttpRequest) -> HttpResponse:
    """Upload HMI Probation's published youth justice ratings (all or nothing)."""
    require(request, access.can_manage)
    form = PublishedRatingsForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["ratings_file"]
        if upload.size and upload.size > MAX_BYTES:
            form.add_error("ratings_file", "The file must be smaller than 2MB")
        else:
            outcome = import_published(
                upload.name or "upload.csv",
                upload.read(),
                user=request.user,  # type: ignore[arg-type]
                request=request,
            )
            if outcome.problems:
                problems = [str(p) for p in outcome.problems]
                form.add_error(
                    "ratings_file",
                    f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}: "
                    "nothing was imported",
                )
            else:
                messages.success(
                    request,
                    f"Imported {outcome.created} new and {outcome.updated} updated inspections",
                )
                return redirect("actions:published-ratings")
    return render(
        request,
        "actions/published_ratings.html",
        {
            "form": form,
            "problems": problems[:100],
            "held": PublishedInspection.objects.count(),
            "latest": PublishedInspection.objects.order_by("-published_on").first(),
        },
    )
