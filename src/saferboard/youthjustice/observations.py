"""Youth justice figures as Observations: computed once by the engine, stored and rated,
then read by every rendering (the performance page, ``saferboard yj``, the downloads,
the dashboards, the board pack and the API).

For each service with case records, an import (or a benchmark import) stores every
complete financial year and quarter from the first full one the records cover, by the
MoJ 3m method for reoffending, with comparators (previous period, each peer group's
figure and the service's rank in it), the rank in the service's main peer group and the
provisional flag. Any other window (the 12m method, or dates someone picks) is computed
and stored the first time it is asked for (:func:`stored_figures`), and recomputed with
the rest on the next import. Storing rates each figure by its measure's rule
(:func:`saferboard.measures.services.store_observations`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from saferboard.core.periods import Period
from saferboard.measures.models import Measure, Observation, SourceKind
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.youthjustice.comparators import (
    comparisons,
    local_values_by_period,
    synthetic_figures,
)
from saferboard.youthjustice.definitions import (
    COHORT_KINDS,
    MEASURES,
    MEASURES_BY_SLUG,
    MeasureSpec,
    measures_for,
)
from saferboard.youthjustice.engine import kpi_table
from saferboard.youthjustice.models import PeerGroup, Service
from saferboard.youthjustice.services import case_data

PRIMARY_GROUPS = ("london", "statistical-neighbours", "surrounding", "england-wales")

# Stored figures by period, then by the measure's base slug (its cohort method dropped).
Figures = dict[tuple[date, date], dict[str, Observation]]


def ensure_measures() -> dict[str, Measure]:
    """The youth justice measures in the catalogue, created from the registry in
    :mod:`saferboard.youthjustice.definitions` if missing.

    A measure already in the catalogue keeps its label, direction and rule (people
    edit those in the catalogue, and a rule change applies only by re-rating); only
    what the engine owns, its definition, is brought up to date.
    """
    from saferboard.measures.standard import ensure_standard_rules

    rules = ensure_standard_rules()
    existing = {m.slug: m for m in Measure.objects.filter(source_kind=SourceKind.YOUTH_JUSTICE)}
    measures = {}
    for spec in MEASURES:
        measure = existing.get(spec.slug)
        if measure is None:
            measure = Measure.objects.create(
                source_kind=SourceKind.YOUTH_JUSTICE,
                slug=spec.slug,
                label=spec.label,
                description=spec.description,
                unit=spec.unit,
                direction=spec.direction,
                rag_rule=rules["lower-is-better"] if spec.comparable else None,
                display_order=spec.display_order,
                definition=_definition(spec),
            )
        elif measure.definition != _definition(spec):
            measure.definition = _definition(spec)
            measure.save(update_fields=["definition"])
        measures[spec.slug] = measure
    return measures


def _definition(spec: MeasureSpec) -> dict[str, Any]:
    found: dict[str, Any] = {"engine": "saferboard.youthjustice.engine", "column": spec.column}
    if spec.cohort_kind:
        found["cohort_kind"] = spec.cohort_kind
    return found


def _measures(specs: Iterable[MeasureSpec]) -> dict[str, Measure]:
    """The catalogue rows of these measures (created on first use)."""
    slugs = [s.slug for s in specs]
    found = {
        m.slug: m
        for m in Measure.objects.filter(source_kind=SourceKind.YOUTH_JUSTICE, slug__in=slugs)
    }
    if len(found) < len(slugs):
        found = ensure_measures()
    return {slug: found[slug] for slug in slugs}


def records_from(service: Service) -> date | None:
    """The first day the service's case records cover (None without records)."""
    if service.data_to is None:
        return None
    return (service.last_import.period_start if service.last_import else None) or service.data_to


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


# --------------------------------------------------------------------------------------
# Reading: what is stored, and storing on demand what is not
# --------------------------------------------------------------------------------------


def read_stored(service: Service, periods: Sequence[Period], kind: str) -> Figures:
    """The stored figures of ``service`` for these periods and cohort method, computed
    from its current case records (figures of replaced records are not returned)."""
    if not periods:
        return {}
    measures = {m.pk: m for m in _measures(measures_for(kind)).values()}
    wanted = {(p.start, p.end) for p in periods}
    found: Figures = defaultdict(dict)
    rows = Observation.objects.filter(
        measure_id__in=list(measures),
        area_id=service.area_id,
        period_start__in={p.start for p in periods},
        period_end__in={p.end for p in periods},
        source_id=service.last_import_id,
        data_as_at=service.data_to,
    )
    for obs in rows:
        key = (obs.period_start, obs.period_end)
        if key in wanted:
            obs.measure = measures[obs.measure_id]  # one catalogue row per measure, shared
            found[key][MEASURES_BY_SLUG[obs.measure.slug].base] = obs
    return dict(found)


def stored_figures(service: Service, periods: Sequence[Period], kind: str) -> Figures:
    """The figures of these periods as stored; any period not stored yet (or stored from
    older records) is computed by the engine and stored first, then read back.

    A warm call is one query: no engine run and no write.
    """
    found = read_stored(service, periods, kind)
    complete = len(measures_for(kind))
    missing = [p for p in periods if len(found.get((p.start, p.end), {})) < complete]
    if not missing:
        return found
    compute_and_store(service, missing, kind)
    return read_stored(service, periods, kind)


# --------------------------------------------------------------------------------------
# Writing: one engine run per service, method and set of periods
# --------------------------------------------------------------------------------------


def compute_and_store(
    service: Service,
    periods: Sequence[Period],
    kind: str,
    groups: list[PeerGroup] | None = None,
) -> int:
    """Compute the measures of cohort method ``kind`` for these periods with the engine,
    with their comparators and ranks, and store (and so rate) them; returns how many.

    Each figure is compared with the same period a year earlier, computed in the same
    engine run when the records cover it. Raises ``ValueError`` (storing nothing) for a
    period the engine cannot compute by this method.
    """
    first = records_from(service)
    if first is None or not periods:
        return 0
    periods = sorted({(p.start, p.end): p for p in periods}.values())
    asked = {(p.start, p.end) for p in periods}
    earlier = sorted(
        {
            p.year_earlier()
            for p in periods
            if (p.year_earlier().start, p.year_earlier().end) not in asked
            and p.year_earlier().start >= first
        }
    )
    every = [*periods, *earlier]
    table = kpi_table(
        case_data([service.name]), [(p.start, p.end) for p in every], kind, [service.name]
    )
    by_period = {
        (r["period_from"], r["period_to"]): r
        for r in table.to_pylist()
        if r["service"] == service.name
    }
    if groups is None:
        groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    specs = measures_for(kind)
    measures = _measures(specs)
    synthetic = synthetic_figures()  # read once for every figure stored here
    stored = 0
    for spec in specs:
        values = []
        local = (
            local_values_by_period(spec.benchmark, [(p.start, p.end) for p in periods])
            if spec.benchmark
            else {}
        )
        for period in periods:
            row = by_period[(period.start, period.end)]
            before = period.year_earlier()
            previous = by_period.get((before.start, before.end))
            value = _number(row[spec.column])
            comparators: dict[str, float | str | bool | None] = {
                "previous_period": _number(previous[spec.column]) if previous else None
            }
            rank_info: dict[str, Any] = {}
            if spec.benchmark and value is not None:
                rank_info = _comparators(
                    service,
                    spec.benchmark,
                    period,
                    value,
                    groups,
                    comparators,
                    local.get((period.start, period.end), {}),
                    synthetic,
                )
            values.append(
                ObservationValue(
                    area_code=service.area.code,
                    period_start=period.start,
                    period_end=period.end,
                    value=value,
                    numerator=_number(row[spec.numerator]) if spec.numerator else None,
                    denominator=_number(row[spec.denominator]) if spec.denominator else None,
                    comparators=comparators,
                    provisional=bool(row["provisional"]) if spec.cohort_kind else False,
                    **rank_info,
                )
            )
        stored += store_observations(
            measures[spec.slug], values, source=service.last_import, data_as_at=service.data_to
        )
    return stored


def refresh_observations(service_names: Sequence[str]) -> int:
    """Recompute and store the observations of these services; returns how many.

    The standard years and quarters (3m method), and every other window already stored
    for the service (so a figure stored on demand never outlives the records it came
    from, nor the published comparators it was ranked against).
    """
    services = list(
        Service.objects.filter(name__in=service_names, data_to__isnull=False)
        .select_related("area", "last_import")
        .order_by("name")
    )
    if not services:
        return 0
    ensure_measures()
    groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    stored = 0
    for service in services:
        first = records_from(service)
        if first is None or service.data_to is None:  # excluded by the query above
            raise ValueError(f"service {service.name!r} has no data_to date")
        years, quarters = reporting_periods(first, service.data_to)
        windows = _stored_windows(service)
        windows["3m"] |= set(years) | set(quarters)
        for kind in COHORT_KINDS:
            # Whole quarters by the 3m method; anything else stored by it was refused.
            if windows[kind]:
                stored += compute_and_store(service, sorted(windows[kind]), kind, groups)
    return stored


def _stored_windows(service: Service) -> dict[str, set[Period]]:
    """The periods already stored for a service, by the cohort method they were
    computed with (known from their reoffending measures)."""
    windows: dict[str, set[Period]] = {kind: set() for kind in COHORT_KINDS}
    kinds = {s.slug: s.cohort_kind for s in MEASURES if s.cohort_kind}
    rows = (
        Observation.objects.filter(
            measure__source_kind=SourceKind.YOUTH_JUSTICE,
            measure__slug__in=list(kinds),
            area_id=service.area_id,
        )
        .values_list("measure__slug", "period_start", "period_end")
        .distinct()
    )
    for slug, start, end in rows:
        windows[kinds[slug]].add(as_period(start, end))
    return windows


def as_period(start: date, end: date) -> Period:
    """A stored window as a Period: a financial year or quarter when it is one (so it
    labels itself), else a range."""
    fy = start.year if start.month >= 4 else start.year - 1
    for candidate in (
        Period.financial_year(fy),
        *(Period.financial_quarter(fy, q) for q in (1, 2, 3, 4)),
    ):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def comparator_key(group_slug: str) -> str:
    """The key of a peer group's figure in an observation's comparators."""
    return group_slug.replace("-", "_")


def _comparators(
    service: Service,
    measure: str,
    period: Period,
    own_value: float,
    groups: list[PeerGroup],
    comparators: dict[str, float | str | bool | None],
    local: dict[int, float] | None = None,
    synthetic: set[tuple[str, date, date]] | None = None,
) -> dict[str, Any]:
    """Fill each group's comparator value, what it is, and the service's rank in it
    (``<group>``, ``<group>_label``, ``<group>_rank``, ``<group>_size``); return the
    rank in the service's main group."""
    found = comparisons(service, measure, period.start, period.end, own_value, groups, local=local)
    for comparison in found:
        key = comparator_key(comparison.group_slug)
        comparators[key] = comparison.value
        comparators[f"{key}_label"] = comparison.label
        # Ranks of one source each: the local figure among local ones (``_rank``), the
        # service's published figure among published ones (``_published_rank``).
        if comparison.rank is not None:
            comparators[f"{key}_rank"] = comparison.rank
            comparators[f"{key}_size"] = comparison.size
        if comparison.published_rank is not None:
            comparators[f"{key}_published_rank"] = comparison.published_rank
            comparators[f"{key}_published_size"] = comparison.published_size
    if found:
        synthetic = synthetic_figures() if synthetic is None else synthetic
        comparators["comparators_synthetic"] = (measure, period.start, period.end) in synthetic
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
