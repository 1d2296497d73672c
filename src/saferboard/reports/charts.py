"""The pack's charts: grouped bars from the one chart module
(:mod:`saferboard.core.charts`), the same markup on the web pack and in the PDF.

Text in a chart is set in the page's font (WeasyPrint draws SVG text in its default
face, DejaVu Sans, unless the SVG names one): ``FONT``, the print stylesheet's face.
"""

from __future__ import annotations

from collections.abc import Sequence

from saferboard.core import charts
from saferboard.core.charts import FONT, OUTLIER_RATIO, Series, outlier_rows

__all__ = ["FONT", "OUTLIER_RATIO", "Series", "grouped_bar_chart", "outlier_rows"]


def grouped_bar_chart(
    title: str, labels: Sequence[str], series: Series, *, ident: str, width: int = 640
) -> str:
    """The SVG of :func:`saferboard.core.charts.grouped_bar_chart` (one <svg>, or the
    main one, a note and one <svg> per label drawn apart)."""
    return str(charts.grouped_bar_chart(title, labels, series, ident=ident, width=width).svg)
