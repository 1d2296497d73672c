"""Charts as inline SVG (pure): the same markup on the web pack and in the PDF.

Every chart has ``role="img"``, a <title> and a <desc>, and is always followed by the
table of the figures it draws, so no one depends on reading the picture. Colours are
from the GOV.UK palette and the two series differ in pattern as well as colour. Text
in a chart is set in the page's font (WeasyPrint draws SVG text in its default face,
DejaVu Sans, unless the SVG names one).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from statistics import median

SERIES_COLOURS = ("#1d70b8", "#b1b4b6")  # GOV.UK blue and mid-grey
TEXT = "#0b0c0c"
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"  # the print stylesheet's face
# A label whose largest bar is at least this many times the median of the others'
# largest bars is drawn apart: on one scale with it, the others would be slivers.
OUTLIER_RATIO = 5.0

Series = Sequence[tuple[str, Sequence[float | None]]]


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
) -> str:
    """A horizontal grouped bar chart: one group per label, one bar per series.

    When one label dwarfs the others (see :func:`outlier_rows`, e.g. total notifiable
    offences beside knife crime), it is drawn apart: the others share one chart on
    their own scale, and each outlier follows in a small chart of its own, with a
    sentence saying so. Small multiples (one panel per label) were the other choice;
    drawing only the outlier apart keeps the comparison between the ordinary measures
    on one scale, which is what a board reads the chart for, and keeps the chart short.

    ``ident`` makes the ids of <title>/<desc> unique within the page. The result is
    one <svg>, or (split) the main <svg>, a note and one <svg> per outlier.
    """
    apart = outlier_rows(series, len(labels))
    if not apart:
        return _panel(title, labels, series, ident=ident, width=width, desc="")
    kept = [row for row in range(len(labels)) if row not in apart]
    main = _panel(
        title,
        [labels[row] for row in kept],
        [(name, [vs[row] for row in kept]) for name, vs in series],
        ident=ident,
        width=width,
        desc=" "
        + " and ".join(labels[row] for row in apart)
        + " is drawn in its own chart below, on its own scale.",
    )
    parts = [main]
    middle = median(_label_peak(series, row) for row in kept)
    for n, row in enumerate(apart, 1):
        times = _label_peak(series, row) / middle
        parts.append(
            f'<p class="govuk-body-s sabo-chart-note">{escape(labels[row])} is drawn on its own '
            f"scale: its largest figure is {times:,.0f} times the median of the others.</p>"
        )
        parts.append(
            _panel(
                f"{title}: {labels[row]}",
                [labels[row]],
                [(name, [vs[row]]) for name, vs in series],
                ident=f"{ident}-apart-{n}",
                width=width,
                desc=" Drawn apart, on its own scale.",
            )
        )
    return "".join(parts)


def _panel(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    ident: str,
    width: int,
    desc: str,
) -> str:
    """One chart on one scale (its own largest figure spans the plotting width)."""
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
        f'font-family="{FONT}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">Bar chart; the same figures are in the table that '
        f"follows.{escape(desc)}</desc>",
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
