"""Working days in England and Wales, and the deadlines standing orders set with them.

A working day is a weekday that is not a bank holiday. The bank holidays are GOV.UK's
list for England and Wales, shipped as a data file with its provenance
(``meetings/data/bank_holidays_england_and_wales.json``); nothing is fetched. A count
that would step into a year the file does not list raises :class:`UnknownYear`
rather than guessing: a missed bank holiday moves a deadline.

"N clear working days before the meeting" counts whole working days strictly between
two dates: neither the day a question arrives nor the day of the meeting counts. So a
question for a Thursday meeting with three clear working days must arrive by the
Friday before (Monday, Tuesday and Wednesday are then clear).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "bank_holidays_england_and_wales.json"


class UnknownYear(ValueError):
    """A working-day count reached a year whose bank holidays are not in the data file."""


@dataclass(frozen=True)
class Calendar:
    """Bank holidays for the years they are known for."""

    holidays: frozenset[date]
    years: frozenset[int]

    def check(self, day: date) -> None:
        if day.year not in self.years:
            known = f"{min(self.years)} to {max(self.years)}" if self.years else "none"
            raise UnknownYear(
                f"Bank holidays for {day.year} are not known (known: {known}): "
                "add them from GOV.UK before counting working days in that year"
            )

    def is_working_day(self, day: date) -> bool:
        """True for a weekday that is not a bank holiday."""
        self.check(day)
        return day.weekday() < 5 and day not in self.holidays


@lru_cache(maxsize=1)
def england_and_wales() -> Calendar:
    """The England and Wales calendar from the shipped GOV.UK list (read once)."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Calendar(
        holidays=frozenset(date.fromisoformat(e["date"]) for e in data["events"]),
        years=frozenset(int(y) for y in data["years"]),
    )


def working_days_before(day: date, n: int, calendar: Calendar | None = None) -> date:
    """The ``n``th working day before ``day`` (``day`` itself never counts); ``n`` ≥ 1."""
    if n < 1:
        raise ValueError("Count at least one working day back")
    calendar = calendar or england_and_wales()
    found = 0
    current = day
    while found < n:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            found += 1
    return current


def clear_working_days_between(first: date, last: date, calendar: Calendar | None = None) -> int:
    """How many working days lie strictly between ``first`` and ``last`` (0 if none)."""
    calendar = calendar or england_and_wales()
    count = 0
    current = first + timedelta(days=1)
    while current < last:
        if calendar.is_working_day(current):
            count += 1
        current += timedelta(days=1)
    return count


def question_deadline(meeting_day: date, clear_days: int, calendar: Calendar | None = None) -> date:
    """The last working day a question may arrive with ``clear_days`` clear working days
    before the meeting: the working day before the ``clear_days``th working day back.

    With no clear days required it is the working day before the meeting."""
    if clear_days < 0:
        raise ValueError("Clear working days cannot be negative")
    return working_days_before(meeting_day, clear_days + 1, calendar)


def received_in_time(received: date, deadline: date) -> bool:
    """A question is in time if it arrived on or before the deadline."""
    return received <= deadline
