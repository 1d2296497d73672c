"""The youth justice performance report of one service: what the page and the downloads
show, read from the stored, rated observations (:mod:`saferboard.youthjustice.observations`).
Aggregates only: no row here can identify a child.

Nothing here computes a KPI or applies a RAG rule: figures, comparators, ranks and
ratings are the stored ones; only small-number flags and suppression (a matter of
presentation) are worked out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from saferboard.core.formats import ordinal
from saferboard.core.periods import Period
from saferboard.core.rag import RagAssessment
from saferboard.measures.models import Measure, Observation, SourceKind
from saferboard.youthjustice.breakdowns import Cell, count_cell, derived_cell
from saferboard.youthjustice.comparators import GROUP_PHRASES, Comparison
from saferboard.youthjustice.definitions import (
    COUNTS,
    KPI_COUNTS,
    MEASURES_BY_SLUG,
    PAGE_KPIS,
    PEER_GROUPS,
    POPULATION,
    MeasureSpec,
)
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service
from saferboard.youthjustice.observations import (
    Figures,
    comparator_key,
    records_from,
    reporting_periods,
    stored_figures,
)


@dataclass(frozen=True)
class Kpi:
    """A page indicator: its registry entry for the chosen cohort method, with the label
    and direction of its catalogue row."""

    key: str  # the base slug (the same for both cohort methods)
    spec: MeasureSpec
    label: str
    direction: str

    @property
    def unit(self) -> str:
        return self.spec.axis

    @property
    def comparable(self) -> bool:
        return self.spec.comparable

    @property
    def reoffending(self) -> bool:
        return self.spec.cohort_kind is not None


def page_kpis(kind: str) -> list[Kpi]:
    """The page's indicators for cohort method ``kind``, labelled from the catalogue."""
    slugs = {key: key if key in _KIND_FREE else f"{key}{_SUFFIX[kind]}" for key in PAGE_KPIS}
    rows = {
        m.slug: m
        for m in Measure.objects.filter(
            source_kind=SourceKind.YOUTH_JUSTICE, slug__in=slugs.values()
        )
    }
    kpis = []
    for key, slug in slugs.items():
        spec = MEASURES_BY_SLUG[slug]
        row = rows.get(slug)
        kpis.append(
            Kpi(
                key,
                spec,
                row.label if row else spec.label,
                row.direction if row else spec.direction,
            )
        )
    return kpis


_SUFFIX = {"3m": "", "12m": "_12m"}
_KIND_FREE = {k for k in PAGE_KPIS if MEASURES_BY_SLUG[k].cohort_kind is None}


@dataclass
class PeriodRow:
    """The KPIs of one period, as cells (small numbers flagged or suppressed), with the
    stored observations they come from (by base slug)."""

    period: Period
    cells: dict[str, Cell]
    population: int | None
    provisional: bool
    figures: dict[str, Observation]


@dataclass
class HeadlineRow:
    spec: Kpi
    cell: Cell
    previous: Cell | None
    change_pct: float | None
    comparisons: list[Comparison] = field(default_factory=list)
    provisional: bool = False
    compared_period: Period | None = None  # the latest year with comparators, if earlier
    observation: Observation | None = None

    @property
    def rag(self) -> RagAssessment | None:
        """The stored rating (suppressed figures are not rated on the page)."""
        if self.observation is None or self.cell.suppressed:
            return None
        return self.observation.rag

    @property
    def rule(self) -> str:
        return "" if self.rag is None or self.observation is None else self.observation.rag_rule


@dataclass
class PerformanceReport:
    service: Service
    kind: str
    publication: bool
    kpis: list[Kpi]
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


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def period_row(period: Period, figures: dict[str, Observation], publication: bool) -> PeriodRow:
    """One period's cells from its stored figures (keyed by base slug)."""
    counts: dict[str, int | None] = {}
    for key, _, base, part in COUNTS:
        obs = figures.get(base)
        counts[key] = _int(getattr(obs, part)) if obs is not None else None
    cells = {k: count_cell(v, publication) for k, v in counts.items()}
    for key in PAGE_KPIS:
        obs = figures.get(key)
        cells[key] = derived_cell(
            obs.value if obs else None, publication, *(counts[c] for c in KPI_COUNTS[key])
        )
    base, part = POPULATION
    population_from = figures.get(base)
    reoffending = figures.get("binary_rate_pct")
    return PeriodRow(
        period,
        cells,
        _int(getattr(population_from, part)) if population_from else None,
        bool(reoffending and reoffending.provisional),
        figures,
    )


def _rows(periods: list[Period], found: Figures, publication: bool) -> list[PeriodRow]:
    return [period_row(p, found.get((p.start, p.end), {}), publication) for p in periods]


def build_report(
    service: Service, kind: str = "3m", publication: bool = False
) -> PerformanceReport:
    """Every figure of the performance page for one service, from stored observations
    (the years and quarters of a cohort method never asked for are stored first)."""
    first = records_from(service)
    if first is None or service.data_to is None:
        raise ValueError(f"no case records are held for {service}")
    years, quarters = reporting_periods(first, service.data_to)
    found = stored_figures(service, [*years, *quarters], kind)
    year_rows = _rows(years, found, publication)
    quarter_rows = _rows(quarters, found, publication)
    kpis = page_kpis(kind)

    groups = list(PeerGroup.objects.select_related("aggregate"))
    headline: list[HeadlineRow] = []
    headline_period = years[-1] if years else None
    if year_rows:
        latest, previous = year_rows[-1], (year_rows[-2] if len(year_rows) > 1 else None)
        for kpi in kpis:
            cell = latest.cells[kpi.key]
            before = previous.cells[kpi.key] if previous else None
            change = None
            if before and before.shown and cell.shown is not None:
                change = (cell.shown - before.shown) * 100 / before.shown
            found_comparisons, compared = (
                _latest_comparisons(kpi, year_rows, groups) if kpi.comparable else ([], None)
            )
            headline.append(
                HeadlineRow(
                    kpi,
                    cell,
                    before,
                    change,
                    found_comparisons,
                    latest.provisional and kpi.reoffending,
                    compared,
                    latest.figures.get(kpi.key),
                )
            )

    # Each peer group's published figure per year, for the charts' comparator lines.
    aggregates = [g.aggregate for g in groups if g.aggregate is not None]
    benchmarks = {k.key: k.spec.benchmark for k in kpis if k.spec.benchmark is not None}
    published = {
        (service_id, measure, start, end): value
        for service_id, measure, start, end, value in BenchmarkFigure.objects.filter(
            service__in=aggregates,
            measure__in=set(benchmarks.values()),
            period_from__in=[p.start for p in years],
        ).values_list("service_id", "measure", "period_from", "period_to", "value")
    }
    series: dict[str, dict[str, list[float | None]]] = {}
    for key, benchmark in benchmarks.items():
        for aggregate in aggregates:
            values = [published.get((aggregate.pk, benchmark, p.start, p.end)) for p in years]
            if any(v is not None for v in values):
                series.setdefault(key, {})[aggregate.name] = values

    return PerformanceReport(
        service=service,
        kind=kind,
        publication=publication,
        kpis=kpis,
        years=year_rows,
        quarters=quarter_rows,
        headline_period=headline_period,
        headline=headline,
        comparator_series=series,
        # The latest quarters' cohorts followed to the latest data: their stored figures
        # are exactly that, as no record is dated after the data's own date.
        tracker=quarter_rows[-4:],
        data_to=service.data_to,
    )


def stored_comparisons(obs: Observation | None, groups: list[PeerGroup]) -> list[Comparison]:
    """The comparators stored with an observation, one per peer group, in display order."""
    if obs is None:
        return []
    stored = obs.comparators or {}
    result = []
    for group in groups:
        key = comparator_key(group.slug)
        if key not in stored:
            continue
        value = stored[key]
        rank, size = stored.get(f"{key}_rank"), stored.get(f"{key}_size")
        sentence = None
        if isinstance(rank, int) and isinstance(size, int):
            phrase = GROUP_PHRASES.get(group.slug, f"in {group.name}")
            sentence = f"ranked {ordinal(rank)} of {size} {phrase}"
        result.append(
            Comparison(
                group.slug,
                group.name,
                str(stored.get(f"{key}_label") or ""),
                float(value) if isinstance(value, int | float) else None,
                rank if isinstance(rank, int) else None,
                size if isinstance(size, int) else None,
                sentence,
            )
        )
    order = {slug: i for i, slug in enumerate(PEER_GROUPS)}
    return sorted(result, key=lambda c: (order.get(c.group_slug, 99), c.group_name))


def _latest_comparisons(
    kpi: Kpi, year_rows: list[PeriodRow], groups: list[PeerGroup]
) -> tuple[list[Comparison], Period | None]:
    """Comparators for the latest year that has any (published figures lag the service's
    own); the period is returned when it is not the latest year."""
    for i, row in enumerate(reversed(year_rows)):
        found = stored_comparisons(row.figures.get(kpi.key), groups)
        if any(c.value is not None for c in found):
            if row.cells[kpi.key].suppressed:  # a rank built on a suppressed figure discloses it
                found = [
                    Comparison(c.group_slug, c.group_name, c.label, c.value, None, None, None)
                    for c in found
                ]
            return found, (row.period if i else None)
    return [], None
