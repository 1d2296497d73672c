"""Trend charts as accessible inline SVG: the rolling months against a year earlier.

A month with no data is a gap in the line (never a fall to zero). The two series differ
by line style as well as colour, and the chart is always followed by its data table.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saferboard.crime.dashboard import TrendPoint
from saferboard.crime.windows import month_label

WIDTH, HEIGHT = 680, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


def _nice_max(value: int) -> int:
    if value <= 0:
        return 4
    power: int = 10 ** math.floor(math.log10(value))  # value >= 1: a whole power
    for step in (1, 2, 2.5, 5, 10):
        top = step * power
        if top >= value:
            return math.ceil(top)
    return 10 * power


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points with values: each becomes one polyline."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for x, y in points:
        if y is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        runs.append(current)
    return runs


def trend_svg(points: list[TrendPoint], title: str, chart_id: str) -> SafeString:
    """The SVG of one measure's trend."""
    values = [v for p in points for v in (p.value, p.year_before) if v is not None]
    top = _nice_max(math.ceil(max(values, default=0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    parts = [
        f'<svg class="sabo-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Monthly figures, {escape(month_label(points[0].month))} to '
        f"{escape(month_label(points[-1].month))} (solid line), against the same months a "
        "year earlier (dashed line). Gaps are months with no data. The table after the chart "
        "gives every value.</desc>",
    ]
    for i in range(5):
        value = top * i / 4
        yy = y(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{yy + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{int(value):,}</text>'
        )
    last = len(points) - 1
    for i, p in enumerate(points):
        if (last - i) % 3 == 0:  # every third month, counted back from the latest
            anchor = "end" if i == last else "middle"
            parts.append(
                f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                f'text-anchor="{anchor}" font-size="12" fill="#0b0c0c">'
                f"{escape(month_label(p.month))}</text>"
            )
    for attr, colour, width, dash in (
        ("year_before", "#505a5f", 2, ' stroke-dasharray="6 4"'),
        ("value", "#1d70b8", 3, ""),
    ):
        series = [(LEFT + i * step, getattr(p, attr)) for i, p in enumerate(points)]
        for run in _segments(series):
            if len(run) == 1:
                x0, v0 = run[0]
                parts.append(f'<circle cx="{x0:.1f}" cy="{y(v0):.1f}" r="3" fill="{colour}"/>')
                continue
            coords = " ".join(f"{x0:.1f},{y(v0):.1f}" for x0, v0 in run)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}"{dash}/>'
            )
    legend_y = HEIGHT - 14
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        'stroke="#1d70b8" stroke-width="3"/>'
        f'<text x="{LEFT + 34}" y="{legend_y}" font-size="12" fill="#0b0c0c">Monthly count</text>'
        f'<line x1="{LEFT + 140}" x2="{LEFT + 168}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        'stroke="#505a5f" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 174}" y="{legend_y}" font-size="12" fill="#0b0c0c">'
        "Same month a year earlier</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped  # nosec B308 B703
