"""The one chart module (issue 23): each chart gives its SVG, its table and a summary,
with figures worked by hand on small cases."""

from __future__ import annotations

import re

from saferboard.core.charts import (
    bar_chart,
    grouped_bar_chart,
    line_chart,
    nice_max,
    runs,
    trend_chart,
)
from saferboard.core.formats import chart_figure


def test_axis_top_and_gaps() -> None:
    assert [nice_max(v) for v in (1234, 12, 0.5, 250, 2500.5)] == [2000, 20, 1, 250, 5000]
    assert nice_max(0, empty=4) == 4 and nice_max(-3) == 1.0
    assert runs([1, None, 2, 3, None]) == [[(0, 1)], [(2, 2), (3, 3)]]
    assert runs([None, None]) == []


def test_chart_figure() -> None:
    assert [chart_figure(v) for v in (1234.4, 100, 2.25, 2.5, 3.0, 0.845)] == [
        "1,234",
        "100",
        "2.25",
        "2.5",
        "3",
        "0.84",  # 0.845 is stored as just under, so it rounds down
    ]


def test_every_chart_is_named_and_has_its_table() -> None:
    charts = [
        trend_chart("T", ["Jan", "Feb"], [1, None], [None, 2], ident="a"),
        line_chart("L", ["2021", "2022"], [("A", [1.5, 3.0])], "rate", ident="b"),
        bar_chart("B", [("X", 0.84), ("Y", None)], "ratio", ident="c", reference=1.0),
        grouped_bar_chart("G", ["P", "Q"], [("S", [5, 10])], ident="d"),
    ]
    for chart, ident in zip(charts, "abcd", strict=True):
        svg = str(chart)
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="sabo-chart"')
        assert 'role="img"' in svg and f'aria-labelledby="{ident}-title {ident}-desc"' in svg
        assert f'<title id="{ident}-title">' in svg and f'<desc id="{ident}-desc">' in svg
        assert "style=" not in svg  # the CSP forbids inline styles
        assert chart.summary and chart.table.rows
    trend, line, bars, grouped = charts
    assert trend.table.headers == ("Month", "Monthly count", "Same month a year earlier")
    assert trend.table.rows == (("Jan", "1", "no figure"), ("Feb", "no figure", "2"))
    assert line.summary == "A: from 2021 1.5 to 2022 3 (rate). The table below gives every value."
    assert bars.summary == "X: 0.84; Y: not available (ratio)"
    assert bars.table.rows == (("X", "0.84"), ("Y", "not available"))
    assert grouped.table.rows == (("P", "5"), ("Q", "10"))


def test_trend_scale_and_gaps_by_hand() -> None:
    # Largest figure 9 → axis top 10; plot height 260 - 16 - 56 = 188, so 5 sits at
    # 16 + 188 - 94 = 110. Feb alone between gaps is a dot; Apr-May a line.
    chart = trend_chart(
        "T", ["Jan", "Feb", "Mar", "Apr", "May"], [None, 5, None, 9, 0], [None] * 5, ident="t"
    )
    svg = str(chart)
    step = (680 - 56 - 16) / 4  # 152
    assert f'<circle cx="{56 + step:.1f}" cy="110.0" r="3"' in svg
    assert (
        f'points="{56 + 3 * step:.1f},{16 + 188 - 9 / 10 * 188:.1f} {56 + 4 * step:.1f},204.0"'
        in svg
    )
    assert ">10</text>" in svg and "Jan to May" in chart.summary


def test_bar_lengths_by_hand() -> None:
    # Top of 0.84 and reference 1 → 1; plot width 720 - 200 - 16 - 60 = 444.
    svg = str(bar_chart("B", [("X", 0.84), ("Y", 0.5)], "ratio", ident="b", reference=1.0))
    widths = [float(w) for w in re.findall(r'<rect x="200" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [round(0.84 * 444, 1), 222.0]
    assert '<line x1="644.0" x2="644.0"' in svg  # the reference line at 200 + 444
