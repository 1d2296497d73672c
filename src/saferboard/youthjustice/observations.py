"""Youth justice figures as Observations, so the dashboards and board pack reuse them.

For each service with case records: every complete financial year and quarter from the
first full one the records cover, computed by the MoJ 3m method for reoffending, with
comparators (previous period, each peer group's figure), the rank in the service's main
peer group and the provisional flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from saferboard.core.periods import Period
from saferboard.measures.models import Direction, Measure, SourceKind
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.youthjustice.benchmarks import comparisons
from saferboard.youthjustice.definitions import BENCHMARK_MEASURES, MEASURES
from saferboard.youthjustice.engine import kpi_table
from saferboard.youthjustice.models import PeerGroup, Service
from saferboard.youthjustice.services import case_data

# Which engine column gives each measure's value, numerator and denominator.
MEASURE_COLUMNS: dict[str, tuple[str, str | None, str | None]] = {
    "fte_rate_per_100k": ("fte_rate_per_100k", "fte_count", "population_10_17"),
    "fte_count": ("fte_count", None, None),
    "binary_rate_pct": ("binary_rate_pct", "reoffenders", "cohort"),
    "frequency_rate": ("frequency_rate", "reoffences", "cohort"),
    "reoffences_per_reoffender": ("reoffences_per_reoffender", "reoffences", "reoffenders"),
    "reoffending_cohort": ("cohort", None, None),
    "custody_rate_per_1000": ("custody_rate_per_1000", "custody_count", "population_10_17"),
    "custody_count": ("custody_count", None, None),
    "cautioned_sentenced_rate_per_10k": (
        "cautioned_sentenced_rate_per_10k",
        "cautioned_sentenced_count",
        "population_10_17",
    ),
}
REOFFENDING = {
    "binary_rate_pct",
    "frequency_rate",
    "reoffences_per_reoffender",
    "reoffending_cohort",
}
PRIMARY_GROUPS = ("london", "statistical-neighbours", "surrounding", "england-wales")


def ensure_measures() -> dict[str, Measure]:
    """The youth justice measures in the catalogue (created if missing)."""
    from saferboard.measures.standard import ensure_standard_rules

    rules = ensure_standard_rules()
    measures = {}
    for spec in MEASURES:
        measure, _ = Measure.objects.update_or_create(
            source_kind=SourceKind.YOUTH_JUSTICE,
            slug=spec.slug,
            defaults={
                "label": spec.label,
                "description": spec.description,
                "unit": spec.unit,
                "direction": Direction.LOWER_IS_BETTER
                if spec.slug != "reoffending_cohort"
                else Direction.NEUTRAL,
                "rag_rule": rules["lower-is-better"] if spec.comparable else None,
                "display_order": spec.display_order,
                "definition": {"engine": "saferboard.youthjustice.engine", "cohort_kind": "3m"}
                if spec.slug in REOFFENDING
                else {"engine": "saferboard.youthjustice.engine"},
            },
        )
        measures[spec.slug] = measure
    return measures


def reporting_periods(records_from: date, data_to: date) -> tuple[list[Period], list[Period]]:
    """Complete financial years and quarters inside the records (oldest first)."""
    years, quarters = [], []
    first_year = records_from.year if records_from.month >= 4 else records_from.year - 1
    for fy in range(first_year, data_to.year + 1):
        year = Period.financial_year(fy)
        if year.start >= records_from and year.end <= data_to:
            years.append(year)
        for q in (1, 2, 3, 4):
            quarter = Period.financial_quarter(fy, q)
            if quarter.start >= records_from and quarter.end <= data_to:
                quarters.append(quarter)
    return years, quarters


def refresh_observations(service_names: Sequence[str]) -> int:
    """Recompute and store the observations of these services; returns how many."""
    services = [
        s
        for s in Service.objects.filter(name__in=service_names, data_to__isnull=False)
        .select_related("area", "last_import")
        .order_by("name")
    ]
    if not services:
        return 0
    measures = ensure_measures()
    groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    stored = 0
    for service in services:
        if service.data_to is None:  # excluded by the query above
            raise ValueError(f"service {service.name!r} has no data_to date")
        records_from = (
            service.last_import.period_start if service.last_import else None
        ) or service.data_to
        years, quarters = reporting_periods(records_from, service.data_to)
        data = case_data([service.name])
        for periods in (years, quarters):
            if not periods:
                continue
            table = kpi_table(data, [(p.start, p.end) for p in periods], "3m", [service.name])
            rows = [r for r in table.to_pylist() if r["service"] == service.name]
            by_end = {r["period_to"]: r for r in rows}
            for slug, (value_col, num_col, den_col) in MEASURE_COLUMNS.items():
                values = []
                for period, row in zip(periods, rows, strict=True):
                    previous = by_end.get(period.year_earlier().end)
                    comparators: dict[str, float | None] = {
                        "previous_period": previous[value_col] if previous else None
                    }
                    rank_info: dict[str, Any] = {}
                    if slug in BENCHMARK_MEASURES and row[value_col] is not None:
                        rank_info = _comparators(
                            service, slug, period, row[value_col], groups, comparators
                        )
                    values.append(
                        ObservationValue(
                            area_code=service.area.code,
                            period_start=period.start,
                            period_end=period.end,
                            value=_number(row[value_col]),
                            numerator=_number(row[num_col]) if num_col else None,
                            denominator=_number(row[den_col]) if den_col else None,
                            comparators=comparators,
                            provisional=bool(row["provisional"]) if slug in REOFFENDING else False,
                            **rank_info,
                        )
                    )
                stored += store_observations(
                    measures[slug],
                    values,
                    source=service.last_import,
                    data_as_at=service.data_to,
                )
    return stored


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _comparators(
    service: Service,
    measure: str,
    period: Period,
    own_value: float,
    groups: list[PeerGroup],
    comparators: dict[str, float | None],
) -> dict[str, Any]:
    """Fill each group's comparator value; return the rank in the service's main group."""
    found = comparisons(service, measure, period.start, period.end, own_value, groups)
    for comparison in found:
        comparators[comparison.group_slug.replace("-", "_")] = comparison.value
    ranked = {c.group_slug: c for c in found if c.rank is not None}
    if not ranked:
        return {}
    primary = next((g for g in PRIMARY_GROUPS if g in ranked), next(iter(ranked)))
    chosen = ranked[primary]
    return {
        "rank": chosen.rank,
        "peer_group": chosen.group_name[:80],
        "peer_group_size": chosen.size,
    }
