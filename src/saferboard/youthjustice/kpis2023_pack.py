"""The 2023 KPIs in the board pack's youth justice section: one table for the latest
whole quarter before the meeting, built from the same computation as the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from saferboard.youthjustice.kpis2023_data import latest_quarter, service_kpis
from saferboard.youthjustice.kpis2023_views import lines, quarter_label
from saferboard.youthjustice.models import Service


@dataclass(frozen=True)
class PackTable:
    """The table as text cells, for the pack provider to wrap in its own types."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...]


def pack_table(area_id: int, as_at: date, public: bool) -> PackTable | None:
    """The 2023 KPIs of the service whose area is ``area_id``, for the latest whole
    quarter ending by ``as_at`` (small counts suppressed when ``public``); ``None`` when
    the area has no service with case records or no whole quarter yet."""
    service = Service.objects.filter(area_id=area_id, data_to__isnull=False).first()
    if service is None:
        return None
    quarter = latest_quarter(service, as_at=as_at)
    if quarter is None or quarter[1] > as_at:
        return None
    kpis = service_kpis(service, *quarter)
    rows = tuple(
        (line.label, line.numerator, line.denominator, line.value)
        for k in kpis
        for line in lines(k, publication=public)
    )
    notes = tuple(f"KPI {k.number}: {note}" for k in kpis for note in k.notes)
    return PackTable(
        caption=f"Youth justice key performance indicators (YJB, from April 2023), "
        f"{service.name}, {quarter_label(*quarter)}",
        columns=("Indicator", "Numerator", "Denominator", "Percentage or rate"),
        rows=rows,
        footnotes=(
            "A status not recorded is not known, never 'no', and is left out of the "
            "denominator; a zero denominator gives no percentage.",
            *(("[c]: a count of 1 to 4, suppressed.",) if public else ()),
            *notes,
        ),
    )
