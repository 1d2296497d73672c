"""Small, accessible SVG charts drawn on the server (no script, no inline style).

Each chart has ``role="img"``, a <title> and a <desc>, and the page always follows it
with the table of the same figures. Series differ by line style and marker shape as
well as colour, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import count

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 20, 64
COLOURS = ("#1d70b8", "#0b0c0c", "#b58840", "#4c2c92")  # GOV.UK blue, black, brown, purple
DASHES = ("", "6 4", "2 3", "8 3 2 3")

_ids = count(1)


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude: float = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def line_chart(title: str, labels: list[str], series: list[Series], unit: str) -> SafeString:
    """A line chart of one or more series over the same x labels."""
    chart_id = f"yj-chart-{next(_ids)}"
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_max(max(values) if values else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sabo-chart" viewBox="0 0 {WIDTH} '
        f'{HEIGHT + 24 * len(series)}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(labels, series, unit))}</desc>',
    ]
    for i in range(5):
        value = top * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(_fmt(value))}</text>'
        )
    step = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
                f'font-size="12" font-family="Arial, sans-serif" fill="#0b0c0c">'
                f"{escape(label)}</text>"
            )
    for k, s in enumerate(series):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        segments: list[list[str]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                segments.append([])
            else:
                segments[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for seg in segments:
            if len(seg) > 1:
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="3"{dash_attr}/>'
                )
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(_marker(k, x(i), y(v), colour))
        legend_y = HEIGHT + 24 * k + 4
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 32}" y1="{legend_y}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="3"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
            + _marker(k, LEFT + 16, legend_y, colour)
            + f'<text x="{LEFT + 42}" y="{legend_y + 5}" font-size="14" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - all text escaped above  # nosec B308 B703


def bar_chart(
    title: str,
    bars: list[tuple[str, float | None]],
    unit: str,
    reference: float | None = None,
) -> SafeString:
    """A horizontal bar chart (one bar per group); a missing value draws no bar.

    ``reference`` draws a labelled dashed line (e.g. 1 for a ratio "in proportion").
    """
    chart_id = f"yj-chart-{next(_ids)}"
    values = [v for _, v in bars if v is not None]
    top = _nice_max(max([*values, reference or 0]) if values else (reference or 0))
    row_h, label_w = 30, 200
    height = TOP + row_h * len(bars) + 30
    plot_w = WIDTH - label_w - RIGHT - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sabo-chart" viewBox="0 0 {WIDTH} '
        f'{height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">'
        + escape(
            "; ".join(f"{label}: {'not available' if v is None else _fmt(v)}" for label, v in bars)
            + f" ({unit})"
        )
        + "</desc>",
    ]
    for i, (label, value) in enumerate(bars):
        y = TOP + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="14" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 19}" font-size="14" '
                'font-family="Arial, sans-serif" fill="#505a5f">not available</text>'
            )
            continue
        w = plot_w * value / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" font-size="14" '
            f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(_fmt(value))}</text>'
        )
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{TOP}" y2="{TOP + row_h * len(bars)}" '
        'stroke="#0b0c0c" stroke-width="1"/>'
    )
    if reference is not None:
        x = label_w + plot_w * reference / top
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{TOP + row_h * len(bars)}" '
            'stroke="#0b0c0c" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{TOP + row_h * len(bars) + 18}" text-anchor="middle" '
            f'font-size="12" font-family="Arial, sans-serif" fill="#0b0c0c">'
            f"{escape(_fmt(reference))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - all text escaped above  # nosec B308 B703


def _marker(k: int, cx: float, cy: float, colour: str) -> str:
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


def _describe(labels: list[str], series: list[Series], unit: str) -> str:
    parts = []
    for s in series:
        points = [
            f"{label} {_fmt(v)}" for label, v in zip(labels, s.values, strict=True) if v is not None
        ]
        if points:
            parts.append(f"{s.label}: from {points[0]} to {points[-1]}")
    return "; ".join(parts) + f" ({unit}). The table below gives every value."
