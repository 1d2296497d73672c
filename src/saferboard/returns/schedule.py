"""When returns are due: the periods a template covers and each period's due date.

Pure functions over :class:`~saferboard.core.periods.Period`, so the chasing list and
the pages agree on what "late" means and the rules can be tested alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from saferboard.core.periods import Period, PeriodKind


def periods_ended_by(first_start: date, kind: PeriodKind, on_date: date) -> list[Period]:
    """Every period from the one containing ``first_start`` that ended before ``on_date``."""
    period = Period.containing(first_start, kind)
    periods: list[Period] = []
    while period.end < on_date:
        periods.append(period)
        period = period.next()
    return periods


def due_date(period: Period, due_days: int) -> date:
    """The day a period's return is due: ``due_days`` after the period ends."""
    return period.end + timedelta(days=due_days)


def parse_period(text: str, kind: PeriodKind) -> Period:
    """Read a period key ('2025-01', 'FY2024-25 Q3') and insist on the template's kind.

    Raises ``ValueError`` with a sentence a person can act on.
    """
    period = Period.parse(text)
    if period.kind is not kind:
        wanted = (
            "a month, like 2025-01"
            if kind is PeriodKind.MONTH
            else ("a financial quarter, like FY2024-25 Q3")
        )
        raise ValueError(f"{text!r} is not {wanted}")
    return period


def period_slug(period: Period) -> str:
    """A period as a URL segment: '2025-01' for a month, 'fy2024-25-q3' for a quarter."""
    if period.kind is PeriodKind.FINANCIAL_QUARTER:
        fy, q = period.key.split(" ")
        return f"{fy.lower()}-{q.lower()}"
    return period.key


def period_from_slug(text: str, kind: PeriodKind) -> Period:
    """The inverse of :func:`period_slug`; ``ValueError`` if it is not of ``kind``."""
    if kind is PeriodKind.FINANCIAL_QUARTER and text.lower().startswith("fy"):
        head, _, quarter = text.rpartition("-")
        text = f"{head.upper()} {quarter.upper()}"
    return parse_period(text, kind)
