"""Youth justice's line and bar charts, drawn by the one chart module
(:mod:`saferboard.core.charts`); each gets an id unique within the process, so two on
one page never share the ids of their <title>/<desc>."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.safestring import SafeString

from saferboard.core import charts

_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]


def line_chart(title: str, labels: list[str], series: list[Series], unit: str) -> SafeString:
    """A line chart of one or more series over the same x labels."""
    pairs = [(s.label, s.values) for s in series]
    return charts.line_chart(title, labels, pairs, unit, ident=f"yj-chart-{next(_ids)}").svg


def bar_chart(
    title: str,
    bars: list[tuple[str, float | None]],
    unit: str,
    reference: float | None = None,
) -> SafeString:
    """A horizontal bar chart (one bar per group); ``reference`` draws a dashed line."""
    ident = f"yj-chart-{next(_ids)}"
    return charts.bar_chart(title, bars, unit, ident=ident, reference=reference).svg
