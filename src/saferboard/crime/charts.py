"""Crime's trend chart: the rolling months against a year earlier, drawn by the one
chart module (:func:`saferboard.core.charts.trend_chart`), months labelled as crime
labels them and the table's figures written as the measure's unit reads."""

from __future__ import annotations

from saferboard.core.charts import Chart, trend_chart
from saferboard.core.formats import PERCENT_UNITS, unit_figure
from saferboard.crime.dashboard import TrendPoint
from saferboard.crime.windows import month_label


def trend(points: list[TrendPoint], label: str, unit: str, chart_id: str) -> Chart:
    """One measure's trend as a chart with its table ('No data' for a missing month)
    and summary; a percentage measure's months are figures, not counts."""
    noun = "figure" if unit in PERCENT_UNITS else "count"
    return trend_chart(
        f"{label}: monthly {noun}s",
        [month_label(p.month) for p in points],
        [p.value for p in points],
        [p.year_before for p in points],
        ident=chart_id,
        name=f"Monthly {noun}",
        cell=lambda value: unit_figure(value, unit),
    )
