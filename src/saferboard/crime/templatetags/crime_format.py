"""Display of crime figures: whole-number percentages and ordinal ranks."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def whole_pct(value: float | None) -> str:
    """-15.6 → '-16%', 4.4 → '+4%', None → 'n/a' (the exact value stays in the data)."""
    if value is None:
        return "n/a"
    rounded = round(value)
    return "0%" if rounded == 0 else f"{rounded:+d}%"


@register.filter
def ordinal(value: int | None) -> str:
    if value is None:
        return ""
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


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
    if value is None:
        return "No data"
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{round(value):,}"
