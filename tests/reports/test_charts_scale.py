"""A measure that dwarfs the others is drawn apart, on its own scale (issue 20)."""

from __future__ import annotations

import re

from saferboard.reports.charts import FONT, grouped_bar_chart, outlier_rows


def _labels(svg: str) -> list[str]:
    """The group labels drawn in one <svg> (right-aligned, left of the bars)."""
    return re.findall(r'text-anchor="end" fill="#0b0c0c">([^<]+)</text>', svg)


def _bar_widths(svg: str) -> list[float]:
    """The widths of the bars (not the legend's 12-wide swatches) in one <svg>."""
    return [float(w) for w in re.findall(r'<rect x="210" y="(?!4")\d+" width="([\d.]+)"', svg)]


def test_the_total_is_taken_out_when_five_times_the_median_of_the_rest() -> None:
    # 5000 ≥ 5 × median(250, 120, 60) = 600: out. Then 250 < 5 × median(120, 60) = 450.
    assert outlier_rows([("Count", [5000, 250, 120, 60])], 4) == [0]
    # Order does not matter; the peak of a label is its largest series value.
    assert outlier_rows([("A", [250, 60, 120, 10]), ("B", [260, 70, 130, 4000])], 4) == [3]


def test_no_split_below_the_ratio_or_with_too_few_others() -> None:
    # 590 < 5 × 120 = 600: one chart.
    assert outlier_rows([("Count", [590, 250, 120, 60])], 4) == []
    # 600 = 5 × 120: drawn apart (the rule is "at least five times").
    assert outlier_rows([("Count", [600, 250, 120, 60])], 4) == [0]
    # Two labels: no median of "the rest" worth the name.
    assert outlier_rows([("Count", [5000, 10])], 2) == []
    # Missing figures count as nothing; all-missing others give no split.
    assert outlier_rows([("Count", [5000, None, None, None])], 4) == []


def test_two_outliers_each_taken_out_in_turn() -> None:
    # 9000 ≥ 5 × median(3000, 40, 30, 20) = 175; 3000 ≥ 5 × median(40, 30, 20) = 150.
    assert outlier_rows([("Count", [40, 9000, 30, 3000, 20])], 5) == [1, 3]


def test_split_chart_draws_the_total_in_its_own_panel_on_its_own_scale() -> None:
    labels = ["Total notifiable offences", "Knife crime", "Gun crime", "Robbery"]
    svg = grouped_bar_chart("Crime", labels, [("Rolling year", [5000, 250, 120, 60])], ident="c")
    panels = re.findall(r"<svg.*?</svg>", svg)
    assert len(panels) == 2
    main, apart = panels
    assert _labels(main) == ["Knife crime", "Gun crime", "Robbery"]
    assert _labels(apart) == ["Total notifiable offences"]
    # Each panel's largest bar spans the plotting width (640 - 210 - 60 = 370):
    # 120 / 250 × 370 = 177.6, 60 / 250 × 370 = 88.8.
    assert _bar_widths(main) == [370.0, 177.6, 88.8]
    assert _bar_widths(apart) == [370.0]
    # The reader is told, in text: 5000 / median(250, 120, 60) = 41.7 → "42 times".
    assert "is drawn on its own scale: its largest figure is 42 times" in svg
    assert 'id="c-apart-1-title"' in apart and 'id="c-title"' in main  # ids unique


def test_unsplit_chart_is_one_panel_and_uses_the_page_font() -> None:
    svg = grouped_bar_chart(
        "Crime", ["Burglary", "Gun crime"], [("Rolling year", [1280, 3])], ident="c"
    )
    assert svg.count("<svg") == 1
    assert [round(w, 1) for w in _bar_widths(svg)] == [370.0, round(3 * 370 / 1280, 1)]
    assert f'font-family="{FONT}"' in svg and FONT.startswith("Liberation Sans")


def test_narrative_and_chart_text_are_set_in_the_page_font() -> None:
    """The print stylesheet gives narrative HTML (and tables in it) no other family, and
    a chart's SVG text names the page's face (else WeasyPrint uses DejaVu Sans)."""
    import io

    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from saferboard.reports.render import PRINT_CSS

    chart = grouped_bar_chart("Crime", ["Burglary"], [("Rolling year", [10])], ident="c")
    html = (
        '<html lang="en-GB"><body><div class="sabo-narrative"><p>Plain <strong>bold</strong> '
        "<em>em</em></p><ul><li>item</li></ul><table><tr><th>h</th><td>cell</td></tr>"
        f"</table></div>{chart}</body></html>"
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic"}
