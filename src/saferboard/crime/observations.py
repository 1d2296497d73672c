"""Dashboard figures kept as Observations, so the board pack and the measure pages can
show them with their provenance, rule and rank."""

from __future__ import annotations

from typing import Any

from saferboard.core.periods import Period
from saferboard.crime.dashboard import (
    Dashboard,
    build_dashboard,
    default_source,
    measure_categories,
    resolve_area,
)
from saferboard.crime.engine import engine
from saferboard.crime.geography import ensure_authorities
from saferboard.crime.mps_dashboard import FORMAT as DASHBOARD_FORMAT
from saferboard.crime.store import CrimeStore
from saferboard.crime.windows import month_key, parse_month
from saferboard.measures.models import DataImport, Measure
from saferboard.measures.services import ObservationValue, store_observations


def latest_complete_month(
    source: str, area_text: str, measure: Measure | None = None
) -> str | None:
    """The latest month whose two rolling years both have every month of data (of the
    source, or of one measure's own data when ``measure`` is given)."""
    eng = engine()
    area = resolve_area(area_text, source, eng)
    if measure is None:
        months = set(eng.months(source, area.kind, area.code))
    else:
        cats = measure_categories(eng, source, [measure])[measure.slug]
        months = set(eng.measure_months(source, area.kind, area.code, cats)) if cats else set()
    for key in sorted(months, reverse=True):
        end = parse_month(key)
        if all(month_key(end - i) in months for i in range(24)):
            return key
    return None


def source_import(source: str, measure: Measure) -> DataImport | None:
    """The latest import of the data a measure is computed from: the Met's crime
    dashboard extract for dashboard measures, recorded crime for the others."""
    imports = DataImport.objects.filter(source_kind=source)
    if "dashboard" in (measure.definition or {}):
        imports = imports.filter(format=DASHBOARD_FORMAT)
    else:
        imports = imports.exclude(format=DASHBOARD_FORMAT)
    return imports.order_by("-imported_at").first()


def window_imports(
    board: Dashboard, categories: list[str], store: CrimeStore | None = None
) -> list[DataImport]:
    """Every import whose partitions supplied rows to a measure's current rolling year
    for the board's area (oldest first): a year may be made of several imports (two
    editions of an extract, a month re-imported, two forces' files)."""
    store = store or CrimeStore()
    eng = engine()
    prefixes = eng.supplying_partitions(board.source, board.area.code, board.area.kind, categories)
    months = set(board.comparison.current.months)
    ids = {
        meta.get("import_id")
        for rel, meta in store.partitions().items()
        if any(rel.startswith(p) for p in prefixes) and rel.rsplit("/", 1)[-1][:7] in months
    }
    return list(DataImport.objects.filter(pk__in=[i for i in ids if i]).order_by("pk"))


def store_dashboard(area_text: str, source: str | None = None, to: str | None = None) -> int:
    """Store the area's rolling-year figures (latest complete month unless ``to``) as
    observations, each with its previous year, change, RAG and rule, significance,
    rate and rank. Returns how many were stored.

    Without ``to``, a measure whose own data end earlier than the source's (the Met
    dashboard's crime types) is stored for its own latest complete rolling year, so
    the board pack shows its latest figure rather than none."""
    source = source or default_source(area_text)
    given = to
    to = to or latest_complete_month(source, area_text)
    if to is None:
        return 0
    board = build_dashboard(area_text, to, source, details=True)
    measures = {m.slug: m for m in Measure.objects.filter(source_kind=source)}
    stored = _store(board, measures, source)
    if given is None:
        earlier: dict[str, set[str]] = {}
        for result in board.measures:
            if result.complete or not result.in_data or result.measure not in measures:
                continue
            month = latest_complete_month(source, area_text, measures[result.measure])
            if month is not None and month < to:
                earlier.setdefault(month, set()).add(result.measure)
        for month, slugs in sorted(earlier.items()):
            older = build_dashboard(area_text, month, source, details=True)
            stored += _store(older, measures, source, only=slugs)
    return stored


def _store(
    board: Dashboard, measures: dict[str, Measure], source: str, only: set[str] | None = None
) -> int:
    """Store the complete figures of one dashboard (of the ``only`` measures, if given)."""
    window = Period.parse(f"{board.comparison.current.first}-01/{board.comparison.current.last}-01")
    start, end = window.start, Period.parse(board.comparison.current.last).end
    stored = 0
    cats = measure_categories(engine(), source, list(measures.values()))
    if board.area.kind == "lad":
        ensure_authorities([board.area.code])
    for result in board.measures:
        # Only what is known: a complete year of a measure the data hold (never a zero
        # for a measure with no data).
        if not result.complete or not result.in_data or result.measure not in measures:
            continue
        if only is not None and result.measure not in only:
            continue
        measure = measures[result.measure]
        # A ratio's key holds both parts' categories: the imports of either supplied it.
        supplied = window_imports(board, cats.get(result.measure, []))
        origin = supplied[-1] if supplied else source_import(source, measure)
        as_at = max((i.data_as_at for i in supplied if i.data_as_at), default=None)
        value = ObservationValue(
            area_code=board.area.code,
            period_start=start,
            period_end=end,
            value=float(result.current or 0),
            # A ratio's own parts; a count's rate is per resident.
            numerator=float(
                result.numerator if result.numerator is not None else result.current or 0
            ),
            denominator=float(result.denominator)
            if result.denominator is not None
            else float(board.population[0])
            if board.population
            else None,
            comparators={
                "previous_period": result.previous,
                "change": result.change,
                "change_pct": result.change_pct,
                "rag": result.rag,
                "rag_rule": result.rule,
                "rag_reason": result.rag_reason,
                "significant": result.significant,
                "p_value": result.p_value,
                "rate_per_1000": result.rate_per_1000,
                "rank_rate": result.rank.get("rate"),
                "rank_change": result.rank.get("change"),
                "source": source,
                # Financial year to date against the same months a year earlier (issue
                # 17), as the dashboard's JSON 'fytd' (months as YYYY-MM).
                **_fytd_comparators(result.fytd),
                # Every import that supplied the year (ids and labels, oldest first).
                "imports": ",".join(str(i.pk) for i in supplied),
                "import_labels": "; ".join(i.label for i in supplied),
            },
            rank=result.rank.get("count"),
            peer_group=board.peer_group if result.rank else "",
            peer_group_size=result.peers_ranked or None,
        )
        stored += store_observations(
            measure,
            [value],
            source=origin,
            data_as_at=as_at or (origin.data_as_at or origin.period_end if origin else None),
        )
    return stored


def _fytd_comparators(fytd: dict[str, Any] | None) -> dict[str, Any]:
    """The dashboard's financial year to date, flattened into comparators."""
    if not fytd:
        return {}
    return {
        "fytd_from": fytd["from"],
        "fytd_to": fytd["to"],
        "fytd": fytd["current_count"],
        "fytd_previous": fytd["previous_count"],
        "fytd_change_pct": fytd["change_pct"],
        "fytd_complete": fytd["complete"],
    }
