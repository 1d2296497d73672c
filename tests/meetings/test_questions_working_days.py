"""Working days and question deadlines, worked by hand around Christmas and Easter."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from saferboard.meetings.working_days import (
    DATA_FILE,
    Calendar,
    UnknownYear,
    clear_working_days_between,
    england_and_wales,
    question_deadline,
    received_in_time,
    working_days_before,
)


def _easter(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _by_the_rules(year: int) -> set[date]:
    """England and Wales bank holidays as the standing rules set them (no one-offs)."""
    new_year = date(year, 1, 1)
    days = {_monday_on_or_after(new_year) if new_year.weekday() >= 5 else new_year}
    easter = _easter(year)
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days |= {_monday_on_or_after(date(year, 5, 1)), _last_monday(year, 5), _last_monday(year, 8)}
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    # A substitute for a weekend Christmas or Boxing Day is the next weekday not taken.
    taken: set[date] = set()
    for day in (christmas, boxing):
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
    return days | taken


def test_the_shipped_list_is_the_rules_for_2024_to_2028_and_names_its_source() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert "gov.uk/bank-holidays.json" in data["provenance"]["source"]
    assert data["division"] == "england-and-wales"
    calendar = england_and_wales()
    assert calendar.years == frozenset(range(2024, 2029))
    for year in range(2024, 2029):
        listed = {d for d in calendar.holidays if d.year == year}
        assert listed == _by_the_rules(year), year
    # Spot checks typed from GOV.UK, not derived: the computus above could be wrong too.
    assert date(2026, 12, 28) in calendar.holidays  # Boxing Day (substitute day)
    assert date(2027, 3, 26) in calendar.holidays  # Good Friday 2027
    assert date(2028, 1, 3) in calendar.holidays  # New Year's Day (substitute day)
    assert date(2026, 12, 26) not in calendar.holidays  # a Saturday


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    calendar = england_and_wales()
    assert calendar.is_working_day(date(2026, 12, 24))  # Thursday
    assert not calendar.is_working_day(date(2026, 12, 25))  # Christmas Day, Friday
    assert not calendar.is_working_day(date(2026, 12, 26))  # Saturday
    assert not calendar.is_working_day(date(2026, 12, 28))  # Boxing Day substitute, Monday
    assert calendar.is_working_day(date(2026, 12, 29))


def test_an_ordinary_week() -> None:
    # Meeting Thursday 15 October 2026, three clear working days: Mon 12, Tue 13 and
    # Wed 14 must be clear, so the deadline is Friday 9 October.
    meeting = date(2026, 10, 15)
    assert question_deadline(meeting, 3) == date(2026, 10, 9)
    assert clear_working_days_between(date(2026, 10, 9), meeting) == 3
    assert clear_working_days_between(date(2026, 10, 12), meeting) == 2
    assert question_deadline(meeting, 0) == date(2026, 10, 14)


def test_over_christmas_and_new_year() -> None:
    # Meeting Tuesday 5 January 2027. Back from it: Mon 4 Jan (1); Fri 1 Jan New Year's
    # Day; Thu 31 Dec (2); Wed 30 Dec (3); so the deadline is Tue 29 Dec 2026
    # (Mon 28 Dec is the Boxing Day substitute, Fri 25 Dec Christmas Day).
    meeting = date(2027, 1, 5)
    assert working_days_before(meeting, 3) == date(2026, 12, 30)
    assert question_deadline(meeting, 3) == date(2026, 12, 29)
    # Five clear days: 4, 31, 30, 29 Dec, 24 Dec (28 and 25 are holidays); deadline 23 Dec.
    assert question_deadline(meeting, 5) == date(2026, 12, 23)
    assert clear_working_days_between(date(2026, 12, 23), meeting) == 5


def test_over_easter() -> None:
    # Meeting Wednesday 31 March 2027; Easter Monday 29 and Good Friday 26 March.
    # Back from it: Tue 30 (1), Thu 25 (2), Wed 24 (3): the deadline is Tue 23 March.
    meeting = date(2027, 3, 31)
    assert question_deadline(meeting, 3) == date(2027, 3, 23)
    assert clear_working_days_between(date(2027, 3, 23), meeting) == 3
    assert clear_working_days_between(date(2027, 3, 24), meeting) == 2


def test_in_time_is_on_or_before_the_deadline() -> None:
    deadline = date(2027, 3, 23)
    assert received_in_time(date(2027, 3, 23), deadline)
    assert received_in_time(date(2027, 3, 1), deadline)
    assert not received_in_time(date(2027, 3, 24), deadline)


def test_a_year_not_listed_is_refused_not_guessed() -> None:
    with pytest.raises(UnknownYear, match="2029"):
        question_deadline(date(2029, 1, 10), 3)
    with pytest.raises(UnknownYear):
        question_deadline(date(2024, 1, 3), 3)  # steps back into 2023
    bare = Calendar(holidays=frozenset(), years=frozenset({2030}))
    assert working_days_before(date(2030, 1, 7), 1, bare) == date(2030, 1, 4)  # Monday → Friday
    with pytest.raises(ValueError):
        working_days_before(date(2030, 1, 7), 0, bare)
    with pytest.raises(ValueError):
        question_deadline(date(2030, 1, 7), -1, bare)
