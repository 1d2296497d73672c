"""Measure pages: the catalogue of what the partnership watches."""

from __future__ import annotations

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from saferboard.core.partnerships import current_partnership
from saferboard.measures.models import Measure


@require_GET
def measure_list(request: HttpRequest) -> HttpResponse:
    measures = (
        Measure.objects.select_related("rag_rule")
        .annotate(observation_count=Count("observations"), latest=Max("observations__period_end"))
        .order_by("source_kind", "display_order", "label")
    )
    return render(
        request,
        "measures/list.html",
        {"measures": measures, "partnership": current_partnership()},
    )


@require_GET
def measure_detail(request: HttpRequest, source: str, slug: str) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.select_related("rag_rule"), source_kind=source, slug=slug
    )
    observations = measure.observations.select_related("area", "source").order_by(
        "-period_end", "area__name"
    )[:200]
    versions = measure.rag_rule.versions.order_by("-version") if measure.rag_rule else []
    return render(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "observations": observations,
            "rule_versions": versions,
            "partnership": current_partnership(),
        },
    )
