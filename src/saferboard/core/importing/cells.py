"""A spreadsheet cell's value as the text an importer reads (issue 23: the action-plan
and published-figures importers each wrote this function)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime


def cell_text(value: object, tidy: Callable[[str], str] = str.strip) -> str:
    """``value`` from a read-only worksheet as text: empty for an empty cell, an ISO
    date for a date or date-time (the time dropped), a whole number without ``.0``
    (spreadsheets store every number as a float), other text passed through ``tidy``
    (by default trimmed)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return tidy(str(value))
