"""The 2023 KPIs on the youth justice page: the section's context and the quarterly
return download (the same CSV as ``saferboard yj kpis2023 --return``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from saferboard.core import audit
from saferboard.core.models import AuditAction
from saferboard.youthjustice.access import require_view
from saferboard.youthjustice.definitions import is_small
from saferboard.youthjustice.exports import to_csv
from saferboard.youthjustice.kpis2023 import RETURN_HEADER, Kpi, return_rows
from saferboard.youthjustice.kpis2023_data import recent_quarters, service_kpis
from saferboard.youthjustice.models import Service

SUPPRESSED = "[c]"


@dataclass(frozen=True)
class Line:
    """One row of the section's table, as shown (a KPI or one of its sub-measures)."""

    label: str
    numerator: str
    denominator: str
    value: str
    headline: bool


def quarter_label(start: date, end: date) -> str:
    """'April to June 2024'."""
    return f"{start:%B} to {end:%B %Y}"


def chosen_quarter(request: HttpRequest, service: Service) -> tuple[date, date] | None:
    """The quarter asked for (``kpi_quarter``: its first day), else the latest whole one."""
    quarters = recent_quarters(service)
    if not quarters:
        return None
    wanted = request.GET.get("kpi_quarter", "")
    return next((q for q in quarters if q[0].isoformat() == wanted), quarters[0])


def _count(value: int | None, publication: bool) -> str:
    if value is None:
        return "Not available"
    if publication and is_small(value):
        return SUPPRESSED
    return f"{value:,}"


def _share(
    percentage: float | None, count: int | None, publication: bool, none: str = "No percentage"
) -> str:
    if publication and is_small(count):
        return SUPPRESSED
    return none if percentage is None else f"{percentage:.1f}%"


def lines(kpi: Kpi, publication: bool) -> list[Line]:
    """The KPI's headline and sub-measure rows, small counts suppressed in publication
    mode (with every percentage or rate built on them)."""
    if kpi.rate_per is not None:
        value = (
            SUPPRESSED
            if publication and is_small(kpi.numerator)
            else ("Not available" if kpi.rate is None else f"{kpi.rate:.2f} {kpi.rate_label}")
        )
    else:
        value = _share(kpi.percentage, kpi.numerator, publication)
    out = [
        Line(
            f"{kpi.number}. {kpi.title}",
            _count(kpi.numerator, publication),
            _count(kpi.denominator, False)
            if kpi.rate_per
            else _count(kpi.denominator, publication),
            value,
            True,
        )
    ]
    for s in kpi.sub_measures:
        out.append(
            Line(
                s.label,
                _count(s.count, publication),
                ""
                if s.denominator is None and s.count is not None
                else _count(s.denominator, publication),
                "" if s.denominator is None else _share(s.percentage, s.count, publication),
                False,
            )
        )
    return out


def section_context(request: HttpRequest, service: Service, publication: bool) -> dict[str, Any]:
    """What ``youthjustice/_kpis2023.html`` shows for the service."""
    quarter = chosen_quarter(request, service)
    if quarter is None:
        return {"available": False}
    start, end = quarter
    kpis = service_kpis(service, start, end)
    return {
        "available": True,
        "start": start,
        "end": end,
        "label": quarter_label(start, end),
        "quarters": [
            {"key": q[0].isoformat(), "label": quarter_label(*q), "chosen": q == quarter}
            for q in recent_quarters(service)
        ],
        "kpis": [{"kpi": k, "lines": lines(k, publication), "notes": k.notes} for k in kpis],
    }


@require_GET
def return_download(request: HttpRequest) -> HttpResponse:
    """The quarterly return CSV of a service and quarter (audited as an export)."""
    require_view(request.user)  # type: ignore[arg-type]
    service = Service.objects.filter(
        name=request.GET.get("service", ""), data_to__isnull=False
    ).first()
    if service is None:
        raise Http404("No case records for this service")
    quarter = chosen_quarter(request, service)
    if quarter is None:
        raise Http404("No whole quarter of records")
    start, end = quarter
    rows = return_rows(service.name, start, end, service_kpis(service, start, end))
    audit.record(
        AuditAction.EXPORT,
        request=request,
        what="youth justice 2023 KPI return",
        service=service.name,
        period=[start.isoformat(), end.isoformat()],
        rows=len(rows),
    )
    slug = service.name.lower().replace(" ", "-")
    response = HttpResponse(
        to_csv(list(RETURN_HEADER), rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="yjb-kpi-return-{slug}-{start.isoformat()}.csv"'
    )
    return response
