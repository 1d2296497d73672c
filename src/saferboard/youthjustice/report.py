"""The youth justice performance report of one service: what the page, the downloads and
the board pack show. Aggregates only: no row here can identify a child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saferboard.core.periods import Period
from saferboard.youthjustice.benchmarks import Comparison, comparisons
from saferboard.youthjustice.breakdowns import Cell, count_cell, derived_cell
from saferboard.youthjustice.engine import KpiResult, kpis
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service
from saferboard.youthjustice.observations import reporting_periods
from saferboard.youthjustice.results_cache import cached_for_records
from saferboard.youthjustice.services import case_data


@dataclass(frozen=True)
class KpiSpec:
    key: str
    label: str
    unit: str
    counts: tuple[str, ...]  # the counts the figure is built on
    comparable: bool = True
    reoffending: bool = False


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "fte_rate_per_100k",
        "First time entrants per 100,000 aged 10-17",
        "rate per 100,000",
        ("fte_count",),
    ),
    KpiSpec(
        "binary_rate_pct",
        "Reoffending: binary rate",
        "% of the cohort who reoffended",
        ("reoffenders", "cohort"),
        reoffending=True,
    ),
    KpiSpec(
        "frequency_rate",
        "Reoffending: reoffences per child in the cohort",
        "reoffences per child in the cohort",
        ("reoffences", "cohort"),
        reoffending=True,
    ),
    KpiSpec(
        "reoffences_per_reoffender",
        "Reoffending: reoffences per reoffender",
        "reoffences per reoffender",
        ("reoffences", "reoffenders"),
        comparable=False,
        reoffending=True,
    ),
    KpiSpec(
        "custody_rate_per_1000",
        "Use of custody per 1,000 aged 10-17",
        "rate per 1,000",
        ("custody_count",),
    ),
)
COUNTS: tuple[tuple[str, str], ...] = (
    ("fte_count", "First time entrants"),
    ("custody_count", "Custodial sentences"),
    ("cohort", "Reoffending cohort"),
    ("reoffenders", "Reoffenders"),
    ("reoffences", "Reoffences"),
)


@dataclass
class PeriodRow:
    """The KPIs of one period, as cells (small numbers flagged or suppressed)."""

    period: Period
    result: KpiResult
    cells: dict[str, Cell]
    population: int | None

    @property
    def provisional(self) -> bool:
        return self.result.provisional


@dataclass
class HeadlineRow:
    spec: KpiSpec
    cell: Cell
    previous: Cell | None
    change_pct: float | None
    comparisons: list[Comparison] = field(default_factory=list)
    provisional: bool = False
    compared_period: Period | None = None  # the latest year with comparators, if earlier


@dataclass
class PerformanceReport:
    service: Service
    kind: str
    publication: bool
    years: list[PeriodRow]
    quarters: list[PeriodRow]
    headline_period: Period | None
    headline: list[HeadlineRow]
    comparator_series: dict[str, dict[str, list[float | None]]]
    tracker: list[PeriodRow]
    data_to: date | None

    @property
    def reoffending_note(self) -> str:
        return (
            "3m method: quarterly cohorts summed over the year (a child can count in more "
            "than one quarter)"
            if self.kind == "3m"
            else "12m method: one annual cohort (each child once)"
        )


def _cells(result: KpiResult, publication: bool) -> dict[str, Cell]:
    values: dict[str, Any] = {
        "fte_count": result.fte_count,
        "custody_count": result.custody_count,
        "cohort": result.cohort,
        "reoffenders": result.reoffenders,
        "reoffences": result.reoffences,
    }
    cells = {k: count_cell(v, publication) for k, v in values.items()}
    for spec in KPIS:
        cells[spec.key] = derived_cell(
            getattr(result, spec.key), publication, *(values[c] for c in spec.counts)
        )
    return cells


def _rows(periods: list[Period], results: list[KpiResult], publication: bool) -> list[PeriodRow]:
    return [
        PeriodRow(p, r, _cells(r, publication), r.population_10_17)
        for p, r in zip(periods, results, strict=True)
    ]


def build_report(
    service: Service, kind: str = "3m", publication: bool = False
) -> PerformanceReport:
    """Every figure of the performance page for one service."""
    if service.data_to is None:
        raise ValueError(f"no case records are held for {service}")
    records_from = (service.last_import.period_start if service.last_import else None) or (
        service.data_to
    )
    years, quarters = reporting_periods(records_from, service.data_to)
    recent = quarters[-4:]
    year_results, quarter_results, tracked = cached_for_records(
        service,
        ("report", kind),
        lambda: _engine_results(service, kind, years, quarters, recent),
    )
    year_rows = _rows(years, year_results, publication)
    quarter_rows = _rows(quarters, quarter_results, publication)

    groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    headline: list[HeadlineRow] = []
    headline_period = years[-1] if years else None
    if year_rows:
        latest, previous = year_rows[-1], (year_rows[-2] if len(year_rows) > 1 else None)
        for spec in KPIS:
            cell = latest.cells[spec.key]
            before = previous.cells[spec.key] if previous else None
            change = None
            if before and before.shown and cell.shown is not None:
                change = (cell.shown - before.shown) * 100 / before.shown
            found, compared = (
                _latest_comparisons(service, spec, year_rows, groups)
                if spec.comparable
                else ([], None)
            )
            headline.append(
                HeadlineRow(
                    spec,
                    cell,
                    before,
                    change,
                    found,
                    latest.provisional and spec.reoffending,
                    compared,
                )
            )

    # Each peer group's published figure per year, for the charts' comparator lines.
    series: dict[str, dict[str, list[float | None]]] = {}
    for spec in KPIS:
        if not spec.comparable:
            continue
        for group in groups:
            if group.aggregate is None:
                continue
            figures = dict(
                BenchmarkFigure.objects.filter(
                    service=group.aggregate,
                    measure=spec.key,
                    period_from__in=[p.start for p in years],
                ).values_list("period_to", "value")
            )
            values = [figures.get(p.end) for p in years]
            if any(v is not None for v in values):
                series.setdefault(spec.key, {})[group.aggregate.name] = values

    return PerformanceReport(
        service=service,
        kind=kind,
        publication=publication,
        years=year_rows,
        quarters=quarter_rows,
        headline_period=headline_period,
        headline=headline,
        comparator_series=series,
        tracker=_rows(recent, tracked, publication),
        data_to=service.data_to,
    )


def _engine_results(
    service: Service, kind: str, years: list[Period], quarters: list[Period], recent: list[Period]
) -> tuple[list[KpiResult], list[KpiResult], list[KpiResult]]:
    """The KPIs of every year and quarter, and the tracker: the latest four quarters'
    cohorts followed to the latest data."""
    data = case_data([service.name])
    names = [service.name]
    return (
        kpis(data, [(p.start, p.end) for p in years], kind, names),
        kpis(data, [(p.start, p.end) for p in quarters], kind, names),
        kpis(data, [(p.start, p.end) for p in recent], kind, names, follow_to=service.data_to),
    )


def _latest_comparisons(
    service: Service, spec: KpiSpec, year_rows: list[PeriodRow], groups: list[PeerGroup]
) -> tuple[list[Comparison], Period | None]:
    """Comparators for the latest year that has any (published figures lag the service's
    own); the period is returned when it is not the latest year."""
    for i, row in enumerate(reversed(year_rows)):
        cell = row.cells[spec.key]
        found = comparisons(service, spec.key, row.period.start, row.period.end, cell.value, groups)
        if any(c.value is not None for c in found):
            if cell.suppressed:  # a rank built on a suppressed figure would disclose it
                found = [
                    Comparison(c.group_slug, c.group_name, c.label, c.value, None, None, None)
                    for c in found
                ]
            return found, (row.period if i else None)
    return [], None
