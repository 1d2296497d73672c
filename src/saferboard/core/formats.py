"""How numbers read on pages, in Word and in command output: the one set of formatters
(issue 23). RAG statuses are presented by :mod:`saferboard.core.presenters`.

Pure functions of their arguments; the exact values stay in the data.
"""

from __future__ import annotations

PERCENT_UNITS = ("percent", "percentage")


def thousands(value: float, decimals: int = 0) -> str:
    """With thousands separators: 1234 → '1,234'; 1234.56 with 1 decimal → '1,234.6'."""
    return f"{value:,.{decimals}f}"


def signed_pct(value: float | None, decimals: int = 1, none: str = "n/a") -> str:
    """A change in per cent, always signed: 4.44 → '+4.4%', -15.6 (0 decimals) → '-16%'."""
    return none if value is None else f"{value:+.{decimals}f}%"


def whole_pct_change(value: float | None) -> str:
    """A change rounded to a whole per cent, no sign on nought: -15.6 → '-16%',
    4.4 → '+4%', 0.3 → '0%', None → 'n/a'."""
    if value is None:
        return "n/a"
    rounded = round(value)
    return "0%" if rounded == 0 else f"{rounded:+d}%"


def unit_figure(value: float | None, unit: str = "count", none: str = "No data") -> str:
    """A measure's value as its unit reads: 1234 → '1,234'; a percentage 34.56 → '34.6%'."""
    if value is None:
        return none
    if unit in PERCENT_UNITS:
        return f"{value:.1f}%"
    return f"{round(value):,}"


def plain_figure(value: float, unit: str = "count") -> str:
    """A value as a report sentence gives it: whole numbers without decimals ('1,234'),
    others to one place ('12.5'), a percentage with '%' ('34.6%')."""
    text = thousands(value) if float(value).is_integer() else thousands(value, 1)
    return f"{text}%" if unit in PERCENT_UNITS else text


def ordinal(value: int | None) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'; None → ''."""
    if value is None:
        return ""
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def chart_figure(value: float) -> str:
    """A figure as a chart writes it: whole from 100 up ('1,234'), else to at most two
    places without trailing noughts (2.25 → '2.25', 2.5 → '2.5', 3.0 → '3')."""
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
