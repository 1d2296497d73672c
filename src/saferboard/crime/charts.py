"""Crime's trend chart: the rolling months against a year earlier, drawn by the one
chart module (:func:`saferboard.core.charts.trend_chart`), months labelled as crime
labels them."""

from __future__ import annotations

from django.utils.safestring import SafeString

from saferboard.core.charts import trend_chart
from saferboard.crime.dashboard import TrendPoint
from saferboard.crime.windows import month_label


def trend_svg(points: list[TrendPoint], title: str, chart_id: str) -> SafeString:
    """The SVG of one measure's trend."""
    chart = trend_chart(
        title,
        [month_label(p.month) for p in points],
        [p.value for p in points],
        [p.year_before for p in points],
        ident=chart_id,
    )
    return chart.svg
