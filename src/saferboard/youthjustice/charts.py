"""Youth justice's line and bar charts, drawn by the one chart module
(:mod:`saferboard.core.charts`); each gets an id unique within the process, so two on
one page never share the ids of their <title>/<desc>.

:func:`line` and :func:`bars` give the whole :class:`~saferboard.core.charts.Chart`
(SVG, table, summary) for a page's ``components/chart.html``; :func:`line_chart` and
:func:`bar_chart` give only its SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.safestring import SafeString

from saferboard.core import charts
from saferboard.core.charts import Chart

_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]


def line(title: str, labels: list[str], series: list[Series], unit: str) -> Chart:
    """A line chart of one or more series over the same x labels."""
    pairs = [(s.label, s.values) for s in series]
    return charts.line_chart(title, labels, pairs, unit, ident=f"yj-chart-{next(_ids)}")


def bars(
    title: str,
    values: list[tuple[str, float | None]],
    unit: str,
    reference: float | None = None,
) -> Chart:
    """A horizontal bar chart (one bar per group); ``reference`` draws a dashed line."""
    ident = f"yj-chart-{next(_ids)}"
    return charts.bar_chart(title, values, unit, ident=ident, reference=reference)


def line_chart(title: str, labels: list[str], series: list[Series], unit: str) -> SafeString:
    """The SVG of :func:`line`."""
    return line(title, labels, series, unit).svg


def bar_chart(
    title: str,
    values: list[tuple[str, float | None]],
    unit: str,
    reference: float | None = None,
) -> SafeString:
    """The SVG of :func:`bars`."""
    return bars(title, values, unit, reference).svg
