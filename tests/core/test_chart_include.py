"""components/chart.html: a chart's SVG, its summary and its own table, rendered once
(issue 23), with the table's figures worked by hand."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from saferboard.core.charts import trend_chart
from saferboard.crime.charts import trend
from saferboard.crime.dashboard import TrendPoint


def _chart():  # type: ignore[no-untyped-def]
    return trend_chart("Burglary: monthly counts", ["Jan", "Feb"], [1234, None], [7, 8], ident="b")


def test_include_renders_svg_summary_and_the_table_in_details() -> None:
    chart = _chart()
    html = render_to_string("components/chart.html", {"chart": chart})
    assert html.count('role="img"') == 1 and html.index("<svg") < html.index("sabo-chart-summary")
    assert f'<p class="govuk-body-s sabo-chart-summary">{chart.summary}</p>' in html
    assert '<span class="govuk-details__summary-text">Show the data</span>' in html
    caption = '<caption class="govuk-table__caption govuk-table__caption--s">'
    assert f"{caption}Burglary: monthly counts</caption>" in html
    headers = re.findall(r'<th scope="col" class="([^"]+)">([^<]*)</th>', html)
    assert headers == [
        ("govuk-table__header", "Month"),
        ("govuk-table__header govuk-table__header--numeric", "Monthly count"),
        ("govuk-table__header govuk-table__header--numeric", "Same month a year earlier"),
    ]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>',
        html,
    )
    assert rows == [("Jan", "1,234", "7"), ("Feb", "no figure", "8")]


def test_include_shows_the_table_or_leaves_it_to_the_page() -> None:
    chart = _chart()
    shown = render_to_string("components/chart.html", {"chart": chart, "data": "table"})
    assert "<table" in shown and "govuk-details" not in shown
    labelled = render_to_string(
        "components/chart.html", {"chart": chart, "details_label": "Data for the chart"}
    )
    assert "Data for the chart</span>" in labelled
    # The page's own table holds more (comparators, small-number marks): no second copy.
    none = render_to_string("components/chart.html", {"chart": chart, "data": "none"})
    assert "<table" not in none and "<svg" in none and chart.summary in none


def test_crime_trend_table_reads_as_the_unit() -> None:
    points = [TrendPoint("2025-01", 34.56, None), TrendPoint("2025-02", None, 30.0)]
    rate = trend(points, "Positive outcomes", "percent", "c")
    assert rate.table.caption == "Positive outcomes: monthly figures"
    assert rate.table.headers == ("Month", "Monthly figure", "Same month a year earlier")
    assert rate.table.rows == (("Jan 2025", "34.6%", "No data"), ("Feb 2025", "No data", "30.0%"))
    assert ">Monthly figure</text>" in rate.svg  # the legend names the series as the table
    counts = trend([TrendPoint("2025-01", 1234.0, 1000.0)], "Burglary", "count", "d")
    assert counts.table.rows == (("Jan 2025", "1,234", "1,000"),)
    assert counts.table.caption == "Burglary: monthly counts"
