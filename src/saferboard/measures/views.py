"""Measure pages: the catalogue of what the partnership watches, defining measures,
rating a measure by judgement, and re-rating stored figures under a new rule version.

Figures show the rating stored with them (:mod:`saferboard.measures.rating`); no page
applies a rule itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core.editing import save_or_show
from saferboard.core.guards import require
from saferboard.core.models import RagEntry, Role, User
from saferboard.core.pages import render_page
from saferboard.core.rag import RagAssessment
from saferboard.measures.definitions import Refused, describe, source_of
from saferboard.measures.editing import save_measure
from saferboard.measures.forms import JudgementForm, MeasureForm
from saferboard.measures.judgements import (
    JudgementRefused,
    can_judge,
    is_judgement,
    judgement_history,
    latest_period,
    set_judgement,
)
from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import current_config, rerate
from saferboard.measures.stored_ratings import (
    outdated_ratings,
    rerating_sentence,
    would_rerate,
)

DEFINE_ROLES = (Role.ANALYST,)
"""Besides administrators: who may add and change measures."""


def can_define(user: User) -> bool:
    """Whether ``user`` may add and change measures (analysts and administrators)."""
    return bool(user.is_authenticated and (user.is_administrator or user.has_role(*DEFINE_ROLES)))


@require_GET
def measure_list(request: HttpRequest) -> HttpResponse:
    measures = (
        Measure.objects.select_related("rag_rule")
        .annotate(observation_count=Count("observations"), latest=Max("observations__period_end"))
        .order_by("source_kind", "display_order", "label")
    )
    current = [m for m in measures if not m.is_retired]
    retired = [m for m in measures if m.is_retired]
    return render_page(
        request,
        "measures/list.html",
        {
            "measures": current,
            "retired": retired,
            "can_define": can_define(request.user),  # type: ignore[arg-type]
        },
    )


def _measure(source: str, slug: str) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("rag_rule"), source_kind=source, slug=slug
    )


@dataclass(frozen=True)
class RatedObservation:
    """An observation as its page row shows it, with its rating history."""

    observation: Observation
    history: list[RagEntry]  # oldest first


def with_history(observations: list[Observation]) -> list[RatedObservation]:
    """Each observation with its RAG history (one query for them all)."""
    entries: dict[int, list[RagEntry]] = defaultdict(list)
    # Every observation, not only those rated now: a figure whose change left it not
    # rated keeps the history of what it was.
    ids = [o.pk for o in observations]
    if ids:
        for entry in RagEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Observation), object_id__in=ids
        ).select_related("set_by"):
            entries[entry.object_id].append(entry)
    return [RatedObservation(o, entries.get(o.pk, [])) for o in observations]


@require_GET
def measure_detail(request: HttpRequest, source: str, slug: str) -> HttpResponse:
    measure = _measure(source, slug)
    observations = measure.observations.select_related("area", "source").order_by(
        "-period_end", "area__name"
    )[:200]
    versions = measure.rag_rule.versions.order_by("-version") if measure.rag_rule else []
    judged = is_judgement(measure)
    rows = with_history(list(observations))
    return render_page(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "rows": rows,
            "outdated": outdated_ratings(measure),
            "source_name": source_of(measure.source_kind, measure.definition or {}).label,
            "definition_text": describe(measure.definition or {}),
            "observations": observations,
            "rule_versions": versions,
            "judged": judged,
            "ratings": judgement_history(measure),
            "can_define": can_define(request.user),  # type: ignore[arg-type]
            "can_judge": judged and can_judge(request.user),  # type: ignore[arg-type]
        },
    )


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest) -> HttpResponse:
    require(request, can_define)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = save_measure(form.cleaned_data["source"], form.change(), request=request)
        except Refused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(request, f"Measure ‘{measure.label}’ added")
            return redirect("measures:detail", source=measure.source_kind, slug=measure.slug)
    return render_page(
        request,
        "measures/form.html",
        {"form": form, "measure": None},
    )


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, source: str, slug: str) -> HttpResponse:
    require(request, can_define)
    measure = _measure(source, slug)
    form = MeasureForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            save_measure(measure.source_kind, form.change(), measure=measure, request=request)
        except Refused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(request, f"Measure ‘{measure.label}’ saved")
            return redirect("measures:detail", source=measure.source_kind, slug=measure.slug)
    return render_page(
        request,
        "measures/form.html",
        {"form": form, "measure": measure},
    )


@require_http_methods(["GET", "POST"])
def measure_judge(request: HttpRequest, source: str, slug: str) -> HttpResponse:
    """Set the judgement rating of a measure's latest figure, with the reason."""
    if not can_judge(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    measure = _measure(source, slug)
    period = latest_period(measure)
    judged = is_judgement(measure)
    form = JudgementForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        set_judgement(
            measure,
            RagAssessment(
                status=data["status"],
                second_status=data["second_status"] or None,
                reason=data["reason"].strip(),
            ),
            actor=request.user,  # type: ignore[arg-type]
            period=period,
            request=request,
        )
        return f"Rating of ‘{measure.label}’ recorded"

    return save_or_show(
        request,
        form,
        save,
        then=reverse(
            "measures:detail", kwargs={"source": measure.source_kind, "slug": measure.slug}
        ),
        refused=JudgementRefused,
        allowed=judged and period is not None,
        template="measures/judge.html",
        context=lambda: {
            "form": form,
            "measure": measure,
            "period": period,
            "judged": judged,
            "can_define": can_define(request.user),  # type: ignore[arg-type]
        },
    )


@require_http_methods(["GET", "POST"])
def measure_rerate(request: HttpRequest, source: str, slug: str) -> HttpResponse:
    """Re-rate a measure's stored figures under its rule's current version.

    The detail page's button (and a GET) shows a confirmation page saying how many
    figures would be re-rated; only its confirming POST re-rates, audited as the person
    who asked (:func:`~saferboard.measures.rating.rerate`). Definers only.
    """
    require(request, can_define)
    measure = _measure(source, slug)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        result = rerate(measure, actor=request.user, request=request)  # type: ignore[arg-type]
        messages.success(request, rerating_sentence(result))
        return redirect("measures:detail", source=measure.source_kind, slug=measure.slug)
    config = current_config(measure)
    return render_page(
        request,
        "measures/rerate.html",
        {
            "measure": measure,
            "rule": config.ref if config else "",
            "count": would_rerate(measure),
            "outdated": outdated_ratings(measure),
        },
    )
