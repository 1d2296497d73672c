"""Reading a date as people type them (pure): '30/09/2025', '30 September 2025', 'Sept 2025'.

Shared by the forms of every app (``core.form_fields.DayField``) and by the action-plan
importer's timescale parser (``actions.timescale``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    }
}
MONTHS["sept"] = 9


def parse_date(text: str, *, end_of_month: bool = False) -> date | None:
    """Read one date: '1 September 2015', 'September 2015', 'Sept 15', '01/09/2015',
    '2015-09-01' or 'Sep-15'. Month-only dates take the first (or, with
    ``end_of_month``, the last) day. ``None`` where the text is not a date."""
    text = text.strip().strip(".,;").strip()
    if not text:
        return None
    lowered = text.lower()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", lowered):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", lowered):
        return _safe_date(_year(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{4})", lowered):
        return _month_date(int(m[2]), int(m[1]), end_of_month)
    if m := re.fullmatch(
        r"(?:end\s+of\s+|by\s+|beginning\s+of\s+|start\s+of\s+)?"
        r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)[\s,\-']*(\d{2}|\d{4})",
        lowered,
    ):
        month = MONTHS.get(m[2])
        if month is None:
            return None
        if m[1]:
            return _safe_date(_year(m[3]), month, int(m[1]))
        return _month_date(_year(m[3]), month, end_of_month)
    return None


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_date(year: int, month: int, end_of_month: bool) -> date | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return date(year, month, calendar.monthrange(year, month)[1] if end_of_month else 1)
