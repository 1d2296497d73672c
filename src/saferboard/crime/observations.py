"""Dashboard figures kept as Observations, so the board pack and the measure pages can
show them with their provenance, rule and rank."""

from __future__ import annotations

from saferboard.core.periods import Period
from saferboard.crime.dashboard import build_dashboard, resolve_area
from saferboard.crime.engine import engine
from saferboard.crime.windows import month_key, parse_month
from saferboard.measures.models import DataImport, Measure
from saferboard.measures.services import ObservationValue, store_observations


def latest_complete_month(source: str, area_text: str) -> str | None:
    """The latest month whose two rolling years both have every month of data."""
    eng = engine()
    area = resolve_area(area_text, source, eng)
    months = set(eng.months(source, area.kind, area.code))
    for key in sorted(months, reverse=True):
        end = parse_month(key)
        if all(month_key(end - i) in months for i in range(24)):
            return key
    return None


def store_dashboard(area_text: str, source: str, to: str | None = None) -> int:
    """Store the area's rolling-year figures (latest complete month unless ``to``) as
    observations, each with its previous year, change, RAG and rule, significance,
    rate and rank. Returns how many were stored."""
    to = to or latest_complete_month(source, area_text)
    if to is None:
        return 0
    board = build_dashboard(area_text, to, source, details=True)
    window = Period.parse(f"{board.comparison.current.first}-01/{board.comparison.current.last}-01")
    start, end = window.start, Period.parse(board.comparison.current.last).end
    source_import = DataImport.objects.filter(source_kind=source).order_by("-imported_at").first()
    measures = {m.slug: m for m in Measure.objects.filter(source_kind=source)}
    stored = 0
    for result in board.measures:
        if not result.complete or result.measure not in measures:
            continue
        value = ObservationValue(
            area_code=board.area.code,
            period_start=start,
            period_end=end,
            value=float(result.current or 0),
            numerator=float(result.current or 0),
            denominator=float(board.population[0]) if board.population else None,
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
            },
            rank=result.rank.get("count"),
            peer_group=board.peer_group if result.rank else "",
            peer_group_size=result.peers_ranked or None,
        )
        stored += store_observations(
            measures[result.measure],
            [value],
            source=source_import,
            data_as_at=source_import.period_end if source_import else None,
        )
    return stored
