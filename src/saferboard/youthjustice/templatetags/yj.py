"""Template filters for youth justice figures: small numbers, suppression, rounding.

The numbers themselves are written by the one set of formatters,
:mod:`saferboard.core.formats`.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from saferboard.core import formats
from saferboard.youthjustice.breakdowns import Cell

register = template.Library()


def _number(value: float | int, decimals: int) -> str:
    """A whole number as it is ('1,234'); any other to ``decimals`` places. Rounded
    to a whole number with ``round`` first, so -0.4 reads '0', never '-0'."""
    if isinstance(value, int) or decimals == 0:
        return formats.thousands(round(value))
    return formats.thousands(value, decimals)


@register.filter
def figure(cell: Cell | None, decimals: int = 0) -> SafeString | str:
    """A cell as shown: '[c]' when suppressed, '*' after a small number, dash if missing."""
    if cell is not None and cell.suppressed:
        return mark_safe(  # nosec B308  # a constant: no data in it
            '<span aria-hidden="true">[c]</span><span class="govuk-visually-hidden">'
            "suppressed: small number</span>"
        )
    if cell is None or cell.value is None:
        return mark_safe(  # nosec B308  # a constant: no data in it
            '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">'
            "not available</span>"
        )
    text = _number(cell.value, int(decimals))
    if cell.small:
        return format_html(
            '{}<span aria-hidden="true">*</span><span class="govuk-visually-hidden"> '
            "(small number)</span>",
            text,
        )
    return text


@register.filter
def number(value: float | int | None, decimals: int = 0) -> str:
    """A figure with thousands separators; a dash when there is none."""
    if value is None:
        return "–"
    return _number(value, int(decimals))


@register.filter
def signed_pct(value: float | None) -> str:
    """A change in per cent, signed, to one place ('+4.4%'); a dash when there is none."""
    return formats.signed_pct(value, 1, none="–")
