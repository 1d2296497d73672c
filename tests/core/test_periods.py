"""Period arithmetic, computed by hand on known cases and checked with hypothesis."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.core.periods import Period, PeriodKind


def test_financial_quarters_run_april_to_march() -> None:
    assert Period.financial_quarter(2020, 1) == Period(
        date(2020, 4, 1), date(2020, 6, 30), PeriodKind.FINANCIAL_QUARTER
    )
    q3 = Period.financial_quarter(2020, 3)
    assert (q3.start, q3.end, q3.label) == (date(2020, 10, 1), date(2020, 12, 31), "Q3 2020-21")
    q4 = Period.financial_quarter(2020, 4)
    assert (q4.start, q4.end) == (date(2021, 1, 1), date(2021, 3, 31))


def test_financial_year_and_labels() -> None:
    fy = Period.financial_year(2020)
    assert (fy.start, fy.end, fy.label, fy.key) == (
        date(2020, 4, 1),
        date(2021, 3, 31),
        "2020-21",
        "FY2020-21",
    )
    assert Period.financial_year(1999).label == "1999-00"


def test_rolling_year_to_january_2021() -> None:
    window = Period.rolling_months(2021, 1)
    assert (window.start, window.end, window.months) == (date(2020, 2, 1), date(2021, 1, 31), 12)
    previous = window.year_earlier()
    assert (previous.start, previous.end) == (date(2019, 2, 1), date(2020, 1, 31))


def test_quarter_next_and_previous_cross_the_year() -> None:
    q4 = Period.financial_quarter(2020, 4)
    assert q4.next() == Period.financial_quarter(2021, 1)
    assert Period.financial_quarter(2021, 1).previous() == q4


def test_month_shift_handles_month_lengths() -> None:
    jan = Period.month(2024, 1)
    assert jan.shift(1) == Period.month(2024, 2)
    assert jan.shift(1).end == date(2024, 2, 29)
    assert jan.shift(-13) == Period.month(2022, 12)


def test_containing() -> None:
    day = date(2021, 2, 14)
    assert Period.containing(day, PeriodKind.FINANCIAL_QUARTER) == Period.financial_quarter(2020, 4)
    assert Period.containing(day, PeriodKind.FINANCIAL_YEAR) == Period.financial_year(2020)
    assert Period.containing(day, PeriodKind.MONTH) == Period.month(2021, 2)
    assert Period.containing(day, PeriodKind.CALENDAR_YEAR) == Period.calendar_year(2021)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01", Period.month(2025, 1)),
        ("2011-12", Period.month(2011, 12)),
        ("FY2011-12", Period.financial_year(2011)),
        ("2020-21", Period.financial_year(2020)),
        ("2020/21", Period.financial_year(2020)),
        ("FY2020-21 Q3", Period.financial_quarter(2020, 3)),
        ("2021", Period.calendar_year(2021)),
        ("2020-04-01/2020-04-15", Period(date(2020, 4, 1), date(2020, 4, 15))),
    ],
)
def test_parse(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["2020-22", "2020-13x", "Q3", "", "2020-04-15/2020-04-01"])
def test_parse_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)


def test_arbitrary_range_shifts_by_its_length_in_days() -> None:
    fortnight = Period(date(2020, 4, 1), date(2020, 4, 14))
    assert fortnight.next() == Period(date(2020, 4, 15), date(2020, 4, 28))


years = st.integers(min_value=1990, max_value=2090)
months = st.integers(min_value=1, max_value=12)
quarters = st.integers(min_value=1, max_value=4)
steps = st.integers(min_value=-200, max_value=200)


@given(years, quarters, steps)
def test_quarter_shift_is_invertible_and_contiguous(year: int, q: int, n: int) -> None:
    period = Period.financial_quarter(year, q)
    moved = period.shift(n)
    assert moved.shift(-n) == period
    assert moved.months == 3
    assert (moved.next().start - moved.end).days == 1


@given(years, months, st.integers(min_value=1, max_value=60))
def test_rolling_window_has_n_months_ending_in_the_month(year: int, month: int, n: int) -> None:
    window = Period.rolling_months(year, month, n)
    assert window.months == n
    assert window.end == Period.month(year, month).end
    assert len(window.month_list()) == n
    assert window.year_earlier().months == n


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_every_day_is_in_exactly_one_quarter_and_its_key_round_trips(day: date) -> None:
    for kind in (
        PeriodKind.MONTH,
        PeriodKind.FINANCIAL_QUARTER,
        PeriodKind.FINANCIAL_YEAR,
        PeriodKind.CALENDAR_YEAR,
    ):
        period = Period.containing(day, kind)
        assert period.contains(day)
        assert Period.parse(period.key) == period
    quarter = Period.containing(day, PeriodKind.FINANCIAL_QUARTER)
    assert not quarter.previous().contains(day)
    assert not quarter.next().contains(day)


def test_month_arithmetic_lives_in_one_module() -> None:
    """add_months clamps to the month's end; YYYY-MM keys round-trip through indexes."""
    from saferboard.core.periods import add_months, month_index, month_key, parse_month

    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)
    assert parse_month("2025-03") == month_index(date(2025, 3, 9)) == 2025 * 12 + 2
    assert month_key(parse_month("1999-12")) == "1999-12"
