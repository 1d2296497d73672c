"""Display of crime figures: whole-number percentages and ordinal ranks."""

from __future__ import annotations

from django import template

from saferboard.core import formats

register = template.Library()


@register.filter
def whole_pct(value: float | None) -> str:
    """-15.6 → '-16%', 4.4 → '+4%', None → 'n/a' (the exact value stays in the data)."""
    return formats.whole_pct_change(value)


@register.filter
def ordinal(value: int | None) -> str:
    """1 → '1st', 12 → '12th', 23 → '23rd'."""
    return formats.ordinal(value)


@register.filter
def month_name(key: str) -> str:
    from saferboard.crime.windows import month_label

    try:
        return month_label(key)
    except ValueError:
        return key


@register.filter
def figure(value: float | None, unit: str = "count") -> str:
    """A measure's value as its unit reads: 1234 → '1,234'; a percentage 34.56 → '34.6%'."""
    return formats.unit_figure(value, unit)
