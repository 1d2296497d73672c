"""Monthly series of a crime measure by area, as the API serves them: which source,
areas and months a request covers, then each area's months (issue 23: the service that
used to live inside the API's route)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saferboard.core.errors import FieldError
from saferboard.crime.dashboard import measure_categories, source_measures
from saferboard.crime.engine import Engine, engine
from saferboard.crime.ratios import is_ratio, monthly_ratios, scale
from saferboard.crime.sources import area_source, preferred_source
from saferboard.crime.windows import month_key, month_range, parse_month
from saferboard.measures.models import Measure

DEFAULT_MONTHS = 24
MAX_MONTHS = 600


class SeriesNotFound(LookupError):
    """No such measure, area or data in the source; ``str(error)`` says which."""


@dataclass(frozen=True)
class SeriesWindow:
    """What a series request covers: the source, the measure, the areas (code, name)
    with data, the months from ``first`` to ``last`` and the categories to count."""

    source: str
    measure: Measure
    areas: list[tuple[str, str]]
    first: str
    last: str
    span: list[str]
    categories: dict[str, list[str]]


def series_window(
    measure_slug: str,
    *,
    source: str | None = None,
    area: str | None = None,
    since: str | None = None,
    until: str | None = None,
    eng: Engine | None = None,
) -> SeriesWindow:
    """The window of a request: the partnership's preferred source unless ``source`` is
    given (else the area's own, else police.uk), every area with data or ``area`` alone,
    and ``since``–``until`` (default the 24 months to the latest with data).

    Raises ``SeriesNotFound`` for an unknown measure or area or a source with no data,
    ``FieldError`` (on ``since``) for a window backwards or longer than 600 months."""
    eng = eng or engine()
    source = source or preferred_source() or (area_source(area) if area else "police-uk")
    measure = next((m for m in source_measures(source) if m.slug == measure_slug), None)
    if measure is None:
        raise SeriesNotFound(f"No {source} crime measure {measure_slug!r}")
    areas = eng.areas(source)
    if area:
        areas = [(c, n) for c, n in areas if c.upper() == area.upper()]
        if not areas:
            raise SeriesNotFound(f"No {source} data for area {area!r}")
    months = eng.months(source)
    last = until or (months[-1] if months else None)
    if last is None:
        raise SeriesNotFound(f"There is no {source} crime data yet")
    first = since or month_key(parse_month(last) - (DEFAULT_MONTHS - 1))
    if first > last:
        raise FieldError("since", "'since' is after 'until'")
    span = month_range(parse_month(first), parse_month(last))
    if len(span) > MAX_MONTHS:
        raise FieldError("since", f"At most {MAX_MONTHS} months at a time")
    return SeriesWindow(
        source=source,
        measure=measure,
        areas=areas,
        first=first,
        last=last,
        span=span,
        categories=measure_categories(eng, source, [measure]),
    )


def area_series(
    window: SeriesWindow, code: str, name: str, eng: Engine | None = None
) -> dict[str, Any]:
    """One area's series over the window, read from the engine (see :func:`series_out`)."""
    eng = eng or engine()
    monthly = eng.monthly(window.source, code, window.first, window.last, window.categories)
    return series_out(window, code, name, monthly)


def series_out(
    window: SeriesWindow, code: str, name: str, monthly: Mapping[str, Mapping[str, float]]
) -> dict[str, Any]:
    """An area's series from the engine's monthly counts ``{key: {month: count}}``.

    A month without data has no count and is listed in ``missing`` (never a zero). A
    ratio measure's value is its parts' ratio, never their summed counts, and it has no
    count. Pure."""
    measure = window.measure
    per = scale(measure.definition) if is_ratio(measure.definition) else None
    series: dict[str, float] = (
        monthly_ratios(monthly, measure.slug, per)
        if per is not None
        else dict(monthly.get(measure.slug, {}))
    )
    return {
        "area": code,
        "area_name": name,
        "source": window.source,
        "measure": measure.slug,
        "since": window.first,
        "until": window.last,
        "unit": measure.unit,
        "months": [
            {
                "month": m,
                "count": None if per is not None else series.get(m),
                "value": series.get(m),
            }
            for m in window.span
        ],
        "missing": [m for m in window.span if m not in series],
    }
