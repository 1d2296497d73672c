"""Reporting periods as value objects with arithmetic, and the one module of month
arithmetic (month indexes, ``YYYY-MM`` keys, adding months to a date) every app uses.

A :class:`Period` is an inclusive date range with a kind. Financial years run April to
March and are named by their first calendar year ("2020-21"); financial quarter 1 is
April–June. Months, quarters and years step with :meth:`Period.shift`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    FINANCIAL_QUARTER = "financial_quarter"
    FINANCIAL_YEAR = "financial_year"
    CALENDAR_YEAR = "calendar_year"
    RANGE = "range"


def month_index(day: date) -> int:
    """Months since year 0, so month arithmetic is integer arithmetic."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day
    (31 Aug + 6 → 28 Feb; the same as DuckDB's date + INTERVAL)."""
    year, month = divmod(month_index(day) + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_MONTH_KEY = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def parse_month(text: str) -> int:
    """Month index (months since year 0) of a ``YYYY-MM`` string, or ``ValueError``."""
    m = _MONTH_KEY.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return int(m[1]) * 12 + int(m[2]) - 1


def month_key(index: int) -> str:
    """The ``YYYY-MM`` key of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: PeriodKind = PeriodKind.RANGE

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Period ends ({self.end}) before it starts ({self.start})")

    # Constructors ------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        i = year * 12 + month - 1
        return cls(month_start(i), month_end(i), PeriodKind.MONTH)

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        return cls(date(first_year, 4, 1), date(first_year + 1, 3, 31), PeriodKind.FINANCIAL_YEAR)

    @classmethod
    def financial_quarter(cls, first_year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"Quarter must be 1 to 4, not {quarter}")
        start = first_year * 12 + 3 + (quarter - 1) * 3  # April of first_year is index +3
        return cls(month_start(start), month_end(start + 2), PeriodKind.FINANCIAL_QUARTER)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), PeriodKind.CALENDAR_YEAR)

    @classmethod
    def rolling_months(cls, end_year: int, end_month: int, months: int = 12) -> Period:
        """The ``months`` calendar months ending with (and including) the given month."""
        if months < 1:
            raise ValueError("A rolling window needs at least one month")
        last = end_year * 12 + end_month - 1
        return cls(month_start(last - months + 1), month_end(last), PeriodKind.RANGE)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        """The month, financial quarter or year (financial or calendar) containing ``day``."""
        if kind is PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        fy = day.year if day.month >= 4 else day.year - 1
        if kind is PeriodKind.FINANCIAL_YEAR:
            return cls.financial_year(fy)
        if kind is PeriodKind.FINANCIAL_QUARTER:
            return cls.financial_quarter(fy, ((day.month - 4) % 12) // 3 + 1)
        if kind is PeriodKind.CALENDAR_YEAR:
            return cls.calendar_year(day.year)
        raise ValueError(f"No natural {kind} contains a day")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse a period written as its :attr:`key` or in the usual local forms.

        '2025-01' is a month (YYYY-MM always means a month); 'FY2020-21', '2020/21' and
        '2020-21' (where the second part cannot be a month) are financial years;
        'FY2020-21 Q3' or '2020/21 Q3' a financial quarter; '2021' a calendar year;
        '2020-04-01/2021-03-31' an arbitrary range.
        """
        text = text.strip()
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", text):
            return cls(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        month = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if month and 1 <= int(month[2]) <= 12:
            return cls.month(int(month[1]), int(month[2]))
        if m := re.fullmatch(r"(FY\s*)?(\d{4})([-/])(\d{2})(?:\s*Q([1-4]))?", text, re.I):
            year, second = int(m[2]), int(m[4])
            if second != (year + 1) % 100:
                raise ValueError(
                    f"{text!r} is not a financial year (expected {year}-{(year + 1) % 100:02d})"
                )
            return cls.financial_quarter(year, int(m[5])) if m[5] else cls.financial_year(year)
        if m := re.fullmatch(r"(\d{4})", text):
            return cls.calendar_year(int(m[1]))
        raise ValueError(f"Cannot read {text!r} as a period")

    # Arithmetic --------------------------------------------------------------------
    @property
    def months(self) -> int:
        """Whole calendar months touched by the period."""
        return month_index(self.end) - month_index(self.start) + 1

    def shift(self, steps: int) -> Period:
        """The period ``steps`` places later (earlier if negative), of the same length.

        Month-aligned periods move by their length in months; other ranges by days.
        """
        if self.is_month_aligned():
            n = self.months
            s = month_index(self.start) + steps * n
            return Period(month_start(s), month_end(s + n - 1), self.kind)
        length = self.end - self.start
        delta = (length.days + 1) * steps
        start = self.start + timedelta(days=delta)
        return Period(start, start + length, self.kind)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def year_earlier(self) -> Period:
        """The same period one year before (for rolling-year comparisons)."""
        if self.is_month_aligned():
            s = month_index(self.start) - 12
            return Period(month_start(s), month_end(s + self.months - 1), self.kind)
        return Period(_minus_year(self.start), _minus_year(self.end), self.kind)

    def is_month_aligned(self) -> bool:
        return self.start.day == 1 and self.end == month_end(month_index(self.end))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def month_list(self) -> list[Period]:
        """Each calendar month the period touches, in order."""
        first = month_index(self.start)
        return [
            Period(month_start(i), month_end(i), PeriodKind.MONTH)
            for i in range(first, month_index(self.end) + 1)
        ]

    # Display -----------------------------------------------------------------------
    @property
    def label(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return self.start.strftime("%b %Y")
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"{self.start.year}-{(self.start.year + 1) % 100:02d}"
        if self.kind is PeriodKind.FINANCIAL_QUARTER:
            fy = self.start.year if self.start.month >= 4 else self.start.year - 1
            q = ((self.start.month - 4) % 12) // 3 + 1
            return f"Q{q} {fy}-{(fy + 1) % 100:02d}"
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return str(self.start.year)
        if self.is_month_aligned():
            return f"{self.start:%b %Y} to {self.end:%b %Y}"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"

    @property
    def key(self) -> str:
        """A stable text key, the inverse of :meth:`parse` for natural periods."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"FY{self.label}"
        if self.kind is PeriodKind.FINANCIAL_QUARTER:
            q, fy = self.label.split(" ")
            return f"FY{fy} {q}"
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
