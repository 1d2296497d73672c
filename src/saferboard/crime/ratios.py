"""Measures that are a ratio of two counts, e.g. domestic abuse positive outcomes as a
percentage of domestic abuse offences.

A ratio measure's definition is ``{"ratio": {"numerator": DEF, "denominator": DEF},
"per": 100}``, each part an ordinary count definition. The engine counts the two parts as
hidden measures (``<slug>:numerator`` and ``<slug>:denominator``); this module turns their
counts into the ratio for each area, window and month, so ranks, RAG and the financial
year to date work on the ratio itself. A window is complete only when both parts are
(the fewer months of the two), and a zero denominator gives no ratio, never 0%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from saferboard.crime.engine import AreaCounts

PARTS = ("numerator", "denominator")


def is_ratio(definition: Mapping[str, Any] | None) -> bool:
    """True for a definition of the ratio form."""
    return isinstance((definition or {}).get("ratio"), dict)


def part_key(slug: str, part: str) -> str:
    """The hidden measure key the engine counts one part of a ratio under."""
    return f"{slug}:{part}"


def scale(definition: Mapping[str, Any]) -> float:
    """What the ratio is multiplied by: 100 for a percentage (the default)."""
    return float(definition.get("per", 100))


def ratio(numerator: float | None, denominator: float | None, per: float = 100) -> float | None:
    """``per × numerator / denominator``; None without a positive denominator."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return per * numerator / denominator


def with_ratios(rows: Iterable[AreaCounts], ratios: Mapping[str, float]) -> list[AreaCounts]:
    """``rows`` with each ratio measure's row (slug in ``ratios``, its scale the value)
    replaced by the ratio of its parts' rows, area by area.

    The replaced row keeps the fewer months of its two parts; an area whose denominator
    is zero in a window has that window counted as having no months (it is not compared,
    rated or ranked)."""
    rows = list(rows)
    parts: dict[tuple[str, str, str], AreaCounts] = {}
    for r in rows:
        slug, _, part = r.measure.rpartition(":")
        if slug in ratios and part in PARTS:
            parts[(r.area, slug, part)] = r
    out = []
    for r in rows:
        if r.measure not in ratios:
            out.append(r)
            continue
        num = parts.get((r.area, r.measure, "numerator"))
        den = parts.get((r.area, r.measure, "denominator"))
        if num is None or den is None:
            continue
        per = ratios[r.measure]
        current = ratio(num.current, den.current, per)
        previous = ratio(num.previous, den.previous, per)
        out.append(
            AreaCounts(
                area=r.area,
                measure=r.measure,
                current=current or 0.0,
                previous=previous or 0.0,
                current_months=min(num.current_months, den.current_months)
                if current is not None
                else 0,
                previous_months=min(num.previous_months, den.previous_months)
                if previous is not None
                else 0,
            )
        )
    return out


def monthly_ratios(
    series: Mapping[str, Mapping[str, float]], slug: str, per: float
) -> dict[str, float]:
    """{month: ratio} of a ratio measure from the engine's monthly counts of its parts."""
    num = series.get(part_key(slug, "numerator"), {})
    den = series.get(part_key(slug, "denominator"), {})
    out = {}
    for month, d in den.items():
        value = ratio(num.get(month, 0), d, per)
        if value is not None:
            out[month] = value
    return out
