"""Youth justice pages: performance, breakdowns, downloads and the case record import."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from saferboard.core import audit
from saferboard.core.models import AuditAction
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.core.periods import Period
from saferboard.youthjustice import exports, kpis2023_views, remands_section, start_views
from saferboard.youthjustice.access import can_import, require_view
from saferboard.youthjustice.breakdowns import (
    DIMENSIONS,
    DISPROPORTIONALITY_MEASURES,
    breakdown,
    disproportionality,
)
from saferboard.youthjustice.charts import Series, bars, line
from saferboard.youthjustice.models import Service
from saferboard.youthjustice.observations import records_from, reporting_periods
from saferboard.youthjustice.report import build_report
from saferboard.youthjustice.services import case_data, services_with_records


def _options(request: HttpRequest) -> dict[str, Any]:
    """The service, cohort method and publication mode chosen on the page."""
    services = services_with_records()
    chosen = None
    name = request.GET.get("service", "")
    if name:
        chosen = next((s for s in services if s.name == name), None)
        if chosen is None:
            raise Http404("No such service")
    if chosen is None and services:
        partnership = current_partnership()
        area_id = partnership.local_authority_id if partnership else None
        chosen = next((s for s in services if s.area_id == area_id), services[0])
    cohort = request.GET.get("cohort", "3m")
    return {
        "services": services,
        "service": chosen,
        "cohort": cohort if cohort in ("12m", "3m") else "3m",
        "publication": request.GET.get("publication") == "on",
    }


def _query(options: dict[str, Any], **extra: str) -> str:
    params = {"service": options["service"].name, "cohort": options["cohort"]}
    if options["publication"]:
        params["publication"] = "on"
    params.update(extra)
    return urlencode(params)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_view(request.user)  # type: ignore[arg-type]
    options = _options(request)
    context: dict[str, Any] = {
        "options": options,
        "can_import": can_import(request.user),  # type: ignore[arg-type]
        "dimensions": DIMENSIONS,
    }
    service = options["service"]
    if service is None:
        return render_page(request, "youthjustice/index.html", context)
    report = build_report(service, options["cohort"], options["publication"])
    labels = [row.period.label for row in report.years]
    charts = []
    for spec in report.kpis:
        series = [Series(service.name, [row.cells[spec.key].shown for row in report.years])]
        for name, values in report.comparator_series.get(spec.key, {}).items():
            series.append(Series(f"{name} (comparator)", values))
        charts.append(
            {
                "spec": spec,
                "chart": line(
                    f"{spec.label}, {service.name}, by financial year", labels, series, spec.unit
                ),
                "series": series,
                "rows": [
                    {
                        "label": row.period.label,
                        "provisional": spec.reoffending and row.provisional,
                        "own": row.cells[spec.key],
                        "others": [s.values[i] for s in series[1:]],
                    }
                    for i, row in enumerate(report.years)
                ],
                "id": spec.key.replace("_", "-"),
            }
        )
    context.update(
        {
            "report": report,
            "charts": charts,
            "kpis": report.kpis,
            "query": _query(options),
            "synthetic": service.synthetic,
            "kpis2023": kpis2023_views.section_context(request, service, options["publication"]),
            "extras": start_views.page_context(request, service),
        }
    )
    # Remands, custody and risk of serious harm, on the custody snapshot's date.
    context["remands"] = remands_section.section_context(
        service,
        [row.period for row in report.years],
        context["extras"]["custody_on"],
        options["publication"],
    )
    return render_page(request, "youthjustice/index.html", context)


def _period(request: HttpRequest, service: Service) -> tuple[Period, list[Period]]:
    first = records_from(service)
    if first is None or service.data_to is None:  # services_with_records() has data
        raise Http404("No records for this service")
    years, _ = reporting_periods(first, service.data_to)
    if not years:
        raise Http404("No complete year of records")
    key = request.GET.get("period", "")
    chosen = next((p for p in years if p.key == key), years[-1])
    return chosen, years


@require_GET
def breakdown_page(request: HttpRequest, dimension: str) -> HttpResponse:
    require_view(request.user)  # type: ignore[arg-type]
    if dimension not in DIMENSIONS:
        raise Http404("No such breakdown")
    options = _options(request)
    service = options["service"]
    if service is None:
        return redirect("youthjustice:index")
    period, years = _period(request, service)
    kind, publication = options["cohort"], options["publication"]
    # Breakdowns by group are not KPI observations: computed for each request.
    data = case_data([service.name])
    rows = breakdown(
        data, service.name, period.start, period.end, kind, dimension, publication=publication
    )
    label = DIMENSIONS[dimension]
    charts = [
        {
            "id": "fte",
            "chart": bars(
                f"First time entrants by {label.lower()}, {service.name}, {period.label}",
                [(r.group, r.fte.shown) for r in rows],
                "children",
            ),
        },
        {
            "id": "binary",
            "chart": bars(
                f"Binary reoffending rate by {label.lower()}, {service.name}, {period.label}",
                [(r.group, r.binary_rate_pct.shown) for r in rows],
                "% of the cohort who reoffended",
            ),
        },
    ]
    context: dict[str, Any] = {
        "options": options,
        "dimension": dimension,
        "dimension_label": label,
        "dimensions": DIMENSIONS,
        "period": period,
        "years": years,
        "rows": rows,
        "charts": charts,
        "query": _query(options, period=period.key),
        "synthetic": service.synthetic,
        "provisional": _provisional(period, service),
    }
    if dimension == "ethnicity":
        disp = disproportionality(
            data, service.name, period.start, period.end, kind, publication=publication
        )
        tables = []
        for measure, (measure_label, rate_definition) in DISPROPORTIONALITY_MEASURES.items():
            measure_rows = [r for r in disp if r.measure == measure]
            tables.append(
                {
                    "measure": measure,
                    "label": measure_label,
                    "rate_definition": rate_definition,
                    "rows": measure_rows,
                    "chart": bars(
                        f"{measure_label}: representation ratio by ethnic group "
                        f"(1 = in proportion to the 10-17 population), {period.label}",
                        [(r.group, r.representation_ratio.shown) for r in measure_rows],
                        "representation ratio; the dashed line at 1 is 'in proportion'",
                        reference=1.0,
                    ),
                }
            )
        context["disproportionality"] = tables
    return render_page(request, "youthjustice/breakdown.html", context)


def _provisional(period: Period, service: Service) -> bool:
    from saferboard.youthjustice.engine import provisional_for

    return service.data_to is not None and provisional_for(period.end, service.data_to)


@require_GET
def download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    require_view(request.user)  # type: ignore[arg-type]
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    options = _options(request)
    service = options["service"]
    if service is None:
        raise Http404("No case records")
    slug = service.name.lower().replace(" ", "-")
    if table == "kpis":
        report = build_report(service, options["cohort"], options["publication"])
        header, rows = exports.kpi_rows(report)
        title = "KPIs"
    elif table.startswith("breakdown-") and table.removeprefix("breakdown-") in DIMENSIONS:
        dimension = table.removeprefix("breakdown-")
        period, _ = _period(request, service)
        rows_ = breakdown(
            case_data([service.name]),
            service.name,
            period.start,
            period.end,
            options["cohort"],
            dimension,
            publication=options["publication"],
        )
        header, rows = exports.breakdown_rows(
            service.name, DIMENSIONS[dimension], period.label, rows_
        )
        title = f"By {DIMENSIONS[dimension].lower()}"
        slug += f"-{period.key.lower().replace(' ', '-')}"
    elif table == "disproportionality":
        period, _ = _period(request, service)
        disp = disproportionality(
            case_data([service.name]),
            service.name,
            period.start,
            period.end,
            options["cohort"],
            publication=options["publication"],
        )
        header, rows = exports.disproportionality_rows(service.name, period.label, disp)
        title = "Disproportionality"
        slug += f"-{period.key.lower().replace(' ', '-')}"
    else:
        raise Http404("No such table")
    audit.record(
        AuditAction.EXPORT,
        request=request,
        what=f"youth justice {table}",
        service=service.name,
        format=fmt,
        publication=options["publication"],
        rows=len(rows),
    )
    filename = f"youth-justice-{table}-{slug}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(title, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
