"""The one chart module (issue 23): accessible SVG charts drawn on the server, pure.

Every chart comes back as a :class:`Chart`: the ``<svg>`` (``role="img"``, a <title>
and a <desc>, no script and no inline style, which the CSP forbids), the table of the
figures it draws, and a one-sentence summary. Pages render all three with
``templates/components/chart.html`` (or, where the page's own table holds more than
the chart's, the SVG and summary followed by that table), so no one depends on reading
the picture; series differ in line style, marker
or pattern as well as colour, so colour is never the only cue. Colours are from the
GOV.UK palette.

Kinds: :func:`trend_chart` (a monthly line against the same months a year earlier),
:func:`line_chart` (several series over the same labels), :func:`bar_chart` (one bar a
label, with an optional reference line) and :func:`grouped_bar_chart` (one bar a
series in each label's group; a label that dwarfs the others is drawn apart, on its
own scale). The app modules (crime, youth justice, reports) are thin adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from math import ceil
from statistics import median
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from saferboard.core.formats import chart_figure, thousands

TEXT = "#0b0c0c"  # GOV.UK text black
GRID = "#b1b4b6"  # mid-grey
SECONDARY = "#505a5f"  # secondary text grey
BLUE = "#1d70b8"
ARIAL = ' font-family="Arial, sans-serif"'

Values = Sequence[float | None]


@dataclass(frozen=True)
class DataTable:
    """The figures a chart draws, as text cells: what the page shows beside it."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class Chart(NamedTuple):
    """One chart: its SVG, the table of its figures and a text summary. In a template
    it renders as its SVG."""

    svg: SafeString
    table: DataTable
    summary: str

    def __str__(self) -> str:
        return str(self.svg)

    def __html__(self) -> str:
        return str(self.svg)


# ---------------------------------------------------------------- shared drawing parts


def nice_max(value: float, *, empty: float = 1.0) -> float:
    """The top of a value axis: the first of 1, 2, 2.5, 5, 10 × a power of ten at or
    above ``value`` (1234 → 2000, 12 → 20, 0.5 → 1); ``empty`` when nothing is above 0."""
    if value <= 0:
        return empty
    magnitude: float = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def runs(values: Values) -> list[list[tuple[int, float]]]:
    """Runs of consecutive values that are there, as (index, value): a missing value
    is a gap in a line, never a fall to zero."""
    found: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                found.append(current)
            current = []
        else:
            current.append((i, value))
    if current:
        found.append(current)
    return found


def svg_open(ident: str, title: str, desc: str, *, width: int, height: int, attrs: str = "") -> str:
    """The opening ``<svg>`` with its <title> and <desc>, which name the image."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sabo-chart" role="img" '
        f'viewBox="0 0 {width} {height}"{attrs} aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def finish(parts: list[str]) -> SafeString:
    """The chart's parts as one safe string (every text in them was escaped)."""
    return mark_safe("".join(parts))  # noqa: S308 - all text escaped  # nosec B308 B703


def gridlines(
    top: float,
    y: Callable[[float], float],
    *,
    x1: float,
    x2: float,
    label_x: float,
    label: Callable[[float], str],
    font: str = "",
) -> list[str]:
    """Five horizontal lines from 0 to ``top``, each labelled at its left."""
    parts = []
    for i in range(5):
        value = top * i / 4
        yy = y(value)
        parts.append(
            f'<line x1="{x1}" x2="{x2}" y1="{yy:.1f}" y2="{yy:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{label_x}" y="{yy + 4:.1f}" text-anchor="end" font-size="12"{font} '
            f'fill="{TEXT}">{escape(label(value))}</text>'
        )
    return parts


def polyline(coords: list[tuple[float, float]], colour: str, width: int, dash: str = "") -> str:
    """One line through ``coords``; ``dash`` a stroke-dasharray."""
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" '
        f'stroke-width="{width}"{dash_attr}/>'
    )


def marker(k: int, cx: float, cy: float, colour: str) -> str:
    """Series ``k``'s point marker: circle, open square or triangle in turn."""
    shape = k % 3
    if shape == 0:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{colour}"/>'
    if shape == 1:
        return (
            f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    return (
        f'<polygon points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy + 4:.1f} '
        f'{cx - 5:.1f},{cy + 4:.1f}" fill="{colour}"/>'
    )


def _cell(value: float | None, none: str = "") -> str:
    return none if value is None else chart_figure(value)


def _table(
    caption: str,
    first: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Values]],
    cell: Callable[[float | None], str] | None = None,
) -> DataTable:
    """A table with a row a label and a column a series; ``cell`` writes each figure
    (by default as the chart writes it, 'no figure' when missing)."""
    write = cell or (lambda value: _cell(value, "no figure"))
    return DataTable(
        caption,
        (first, *(name for name, _ in series)),
        tuple(
            (label, *(write(values[i]) for _, values in series)) for i, label in enumerate(labels)
        ),
    )


# ---------------------------------------------------------------- trend (crime)


def trend_chart(
    title: str,
    labels: Sequence[str],
    current: Values,
    year_before: Values,
    *,
    ident: str,
    name: str = "Monthly count",
    cell: Callable[[float | None], str] | None = None,
) -> Chart:
    """Monthly figures (solid blue) against the same months a year earlier (dashed
    grey), months labelled every third counted back from the latest. A month alone
    between gaps is drawn as a dot.

    ``name`` names the monthly series in the legend and the table; ``cell`` writes a
    figure (or a missing one) in the table, so a page's table reads as its unit does
    (a percentage with '%'); by default as the chart writes it, 'no figure' if missing."""
    width, height = 680, 260
    left, right, top_pad, bottom = 56, 16, 16, 56
    values = [v for pair in zip(current, year_before, strict=True) for v in pair if v is not None]
    top = nice_max(ceil(max(values, default=0)), empty=4)
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def y(value: float) -> float:
        return top_pad + plot_h - value / top * plot_h

    summary = (
        f"Monthly figures, {labels[0]} to {labels[-1]} (solid line), against the same "
        "months a year earlier (dashed line). Gaps are months with no data. The table "
        "after the chart gives every value."
    )
    parts = [svg_open(ident, title, summary, width=width, height=height)]
    parts += gridlines(
        top, y, x1=left, x2=width - right, label_x=left - 8, label=lambda v: thousands(int(v))
    )
    last = len(labels) - 1
    for i, label in enumerate(labels):
        if (last - i) % 3 == 0:  # every third month, counted back from the latest
            anchor = "end" if i == last else "middle"
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - bottom + 18}" '
                f'text-anchor="{anchor}" font-size="12" fill="{TEXT}">{escape(label)}</text>'
            )
    for series, colour, line_width, dash in (
        (year_before, SECONDARY, 2, "6 4"),
        (current, BLUE, 3, ""),
    ):
        for run in runs(series):
            if len(run) == 1:
                i, v = run[0]
                parts.append(
                    f'<circle cx="{left + i * step:.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                )
                continue
            parts.append(
                polyline([(left + i * step, y(v)) for i, v in run], colour, line_width, dash)
            )
    legend_y = height - 14
    parts.append(
        f'<line x1="{left}" x2="{left + 28}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{BLUE}" stroke-width="3"/>'
        f'<text x="{left + 34}" y="{legend_y}" font-size="12" fill="{TEXT}">{escape(name)}</text>'
        f'<line x1="{left + 140}" x2="{left + 168}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{SECONDARY}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{left + 174}" y="{legend_y}" font-size="12" fill="{TEXT}">'
        "Same month a year earlier</text>"
    )
    parts.append("</svg>")
    table = _table(
        title,
        "Month",
        labels,
        [(name, current), ("Same month a year earlier", year_before)],
        cell,
    )
    return Chart(finish(parts), table, summary)


# ---------------------------------------------------------------- line and bar charts

LINE_COLOURS = ("#1d70b8", "#0b0c0c", "#b58840", "#4c2c92")  # blue, black, brown, purple
DASHES = ("", "6 4", "2 3", "8 3 2 3")
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 20, 64


def line_summary(labels: Sequence[str], series: Sequence[tuple[str, Values]], unit: str) -> str:
    """Each series from its first figure to its last: 'A: from 2021 1.5 to 2024 3 (rate).'"""
    parts = []
    for name, values in series:
        points = [
            f"{label} {chart_figure(v)}"
            for label, v in zip(labels, values, strict=True)
            if v is not None
        ]
        if points:
            parts.append(f"{name}: from {points[0]} to {points[-1]}")
    return "; ".join(parts) + f" ({unit}). The table below gives every value."


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Values]],
    unit: str,
    *,
    ident: str,
) -> Chart:
    """Several series over the same labels, each with its own colour, dash and marker;
    at most twelve labels are written under the axis (and always the last)."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = nice_max(max(values) if values else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    summary = line_summary(labels, series, unit)
    parts = [svg_open(ident, title, summary, width=WIDTH, height=HEIGHT + 24 * len(series))]
    parts += gridlines(
        top, y, x1=LEFT, x2=WIDTH - RIGHT, label_x=LEFT - 6, label=chart_figure, font=ARIAL
    )
    step = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                f'font-size="12"{ARIAL} fill="{TEXT}">{escape(label)}</text>'
            )
    for k, (name, vs) in enumerate(series):
        colour, dash = LINE_COLOURS[k % len(LINE_COLOURS)], DASHES[k % len(DASHES)]
        for run in runs(vs):
            if len(run) > 1:
                parts.append(polyline([(x(i), y(v)) for i, v in run], colour, 3, dash))
        for i, v in enumerate(vs):
            if v is not None:
                parts.append(marker(k, x(i), y(v), colour))
        legend_y = HEIGHT + 24 * k + 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 32}" y1="{legend_y}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="3"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
            + marker(k, LEFT + 16, legend_y, colour)
            + f'<text x="{LEFT + 42}" y="{legend_y + 5}" font-size="14"{ARIAL} '
            f'fill="{TEXT}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Chart(finish(parts), _table(title, "", labels, series), summary)


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | None]],
    unit: str,
    *,
    ident: str,
    reference: float | None = None,
) -> Chart:
    """A horizontal bar a label; a missing value draws no bar but says 'not available'.
    ``reference`` draws a labelled dashed line (e.g. 1 for a ratio "in proportion")."""
    values = [v for _, v in bars if v is not None]
    top = nice_max(max([*values, reference or 0]) if values else (reference or 0))
    row_h, label_w = 30, 200
    height = TOP + row_h * len(bars) + 30
    plot_w = WIDTH - label_w - RIGHT - 60
    summary = (
        "; ".join(
            f"{label}: {'not available' if v is None else chart_figure(v)}" for label, v in bars
        )
        + f" ({unit})"
    )
    parts = [svg_open(ident, title, summary, width=WIDTH, height=height)]
    for i, (label, value) in enumerate(bars):
        y = TOP + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="14"{ARIAL} '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 19}" font-size="14"{ARIAL} '
                f'fill="{SECONDARY}">not available</text>'
            )
            continue
        w = plot_w * value / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
            f'fill="{LINE_COLOURS[0]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" font-size="14"{ARIAL} '
            f'fill="{TEXT}">{escape(chart_figure(value))}</text>'
        )
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{TOP}" y2="{TOP + row_h * len(bars)}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    if reference is not None:
        x = label_w + plot_w * reference / top
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{TOP + row_h * len(bars)}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{TOP + row_h * len(bars) + 18}" text-anchor="middle" '
            f'font-size="12"{ARIAL} fill="{TEXT}">{escape(chart_figure(reference))}</text>'
        )
    parts.append("</svg>")
    table = DataTable(
        title,
        ("", unit),
        tuple((label, _cell(value, "not available")) for label, value in bars),
    )
    return Chart(finish(parts), table, summary)


# ---------------------------------------------------------------- grouped bars (reports)

GROUP_COLOURS = ("#1d70b8", "#b1b4b6")  # GOV.UK blue and mid-grey
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"  # the print stylesheet's face
# A label whose largest bar is at least this many times the median of the others'
# largest bars is drawn apart: on one scale with it, the others would be slivers.
OUTLIER_RATIO = 5.0

Series = Sequence[tuple[str, Values]]


def _label_peak(series: Series, row: int) -> float:
    """The largest figure of one label across the series (0 when it has none)."""
    values = [vs[row] for _, vs in series if vs[row] is not None]
    return max((abs(v) for v in values if v is not None), default=0.0)


def outlier_rows(series: Series, count: int, *, ratio: float = OUTLIER_RATIO) -> list[int]:
    """The rows (label indexes) to draw apart, largest first.

    The largest label is taken out while its peak is at least ``ratio`` times the
    median peak of the labels left (at least two must be left, so a median means
    something); then the next largest is tested against the rest, and so on. With
    peaks [5000, 250, 120, 60], 5000 ≥ 5 × 120 takes the first out; 250 < 5 × 90 stops.
    """
    peaks = {row: _label_peak(series, row) for row in range(count)}
    rest = sorted(peaks, key=lambda row: (-peaks[row], row))
    apart: list[int] = []
    while len(rest) >= 3:
        top, others = rest[0], rest[1:]
        middle = median(peaks[row] for row in others)
        if middle <= 0 or peaks[top] < ratio * middle:
            break
        apart.append(top)
        rest = others
    return apart


def grouped_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    ident: str,
    width: int = 640,
) -> Chart:
    """A horizontal grouped bar chart: one group per label, one bar per series.

    When one label dwarfs the others (see :func:`outlier_rows`, e.g. total notifiable
    offences beside knife crime), it is drawn apart: the others share one chart on
    their own scale, and each outlier follows in a small chart of its own, with a
    sentence saying so. Small multiples (one panel per label) were the other choice;
    drawing only the outlier apart keeps the comparison between the ordinary measures
    on one scale, which is what a board reads the chart for, and keeps the chart short.

    ``ident`` makes the ids of <title>/<desc> unique within the page. The SVG is one
    <svg>, or (split) the main <svg>, a note and one <svg> per outlier.
    """
    table = _table(title, "", labels, series)
    apart = outlier_rows(series, len(labels))
    if not apart:
        summary = "Bar chart; the same figures are in the table that follows."
        svg = _bar_panel(title, labels, series, ident=ident, width=width, desc="")
        return Chart(finish([svg]), table, summary)
    kept = [row for row in range(len(labels)) if row not in apart]
    note = " " + " and ".join(labels[row] for row in apart)
    note += " is drawn in its own chart below, on its own scale."
    parts = [
        _bar_panel(
            title,
            [labels[row] for row in kept],
            [(name, [vs[row] for row in kept]) for name, vs in series],
            ident=ident,
            width=width,
            desc=note,
        )
    ]
    middle = median(_label_peak(series, row) for row in kept)
    for n, row in enumerate(apart, 1):
        times = _label_peak(series, row) / middle
        parts.append(
            f'<p class="govuk-body-s sabo-chart-note">{escape(labels[row])} is drawn on its own '
            f"scale: its largest figure is {thousands(times)} times the median of the others.</p>"
        )
        parts.append(
            _bar_panel(
                f"{title}: {labels[row]}",
                [labels[row]],
                [(name, [vs[row]]) for name, vs in series],
                ident=f"{ident}-apart-{n}",
                width=width,
                desc=" Drawn apart, on its own scale.",
            )
        )
    summary = "Bar chart; the same figures are in the table that follows." + note
    return Chart(finish(parts), table, summary)


def _bar_panel(
    title: str, labels: Sequence[str], series: Series, *, ident: str, width: int, desc: str
) -> str:
    """One grouped bar chart on one scale (its own largest figure spans the width)."""
    bar, gap, label_width, value_width, legend = 12, 10, 210, 60, 24
    group = bar * len(series) + gap
    height = legend + group * len(labels) + 10
    values = [v for _, vs in series for v in vs if v is not None]
    top = max(values) if values else 1.0
    scale = (width - label_width - value_width) / (top or 1.0)
    parts = [
        svg_open(
            ident,
            title,
            "Bar chart; the same figures are in the table that follows." + desc,
            width=width,
            height=height,
            attrs=f' width="{width}" height="{height}" font-family="{FONT}"',
        )
    ]
    x = label_width
    for i, (name, _) in enumerate(series):
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 16}" y="14" font-size="12" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name)
    for row, label in enumerate(labels):
        y0 = legend + row * group
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + bar * len(series) / 2 + 4:.1f}" '
            f'font-size="12" text-anchor="end" fill="{TEXT}">{escape(label)}</text>'
        )
        for i, (_, vs) in enumerate(series):
            value = vs[row]
            y = y0 + i * bar
            colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
            if value is None:
                parts.append(
                    f'<text x="{label_width + 4}" y="{y + bar - 2}" font-size="10" '
                    f'fill="{TEXT}">no figure</text>'
                )
                continue
            length = max(value * scale, 0.5)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 1}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 2}" font-size="10" '
                f'fill="{TEXT}">{thousands(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
