"""Charts as inline SVG (pure): the same markup on the web pack and in the PDF.

Every chart has ``role="img"``, a <title> and a <desc>, and is always followed by the
table of the figures it draws, so no one depends on reading the picture. Colours are
from the GOV.UK palette and the two series differ in pattern as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

SERIES_COLOURS = ("#1d70b8", "#b1b4b6")  # GOV.UK blue and mid-grey
TEXT = "#0b0c0c"


def grouped_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    ident: str,
    width: int = 640,
) -> str:
    """A horizontal grouped bar chart: one group per label, one bar per series.

    ``ident`` makes the ids of <title>/<desc> unique within the page.
    """
    bar = 12
    gap = 10
    label_width = 210
    value_width = 60
    group = bar * len(series) + gap
    legend = 24
    height = legend + group * len(labels) + 10
    values = [v for _, vs in series for v in vs if v is not None]
    top = max(values) if values else 1.0
    scale = (width - label_width - value_width) / (top or 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sabo-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">Bar chart; the same figures are in the table that '
        "follows.</desc>",
    ]
    x = label_width
    for i, (name, _) in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
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
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
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
                f'fill="{TEXT}">{value:,.0f}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
