"""Window arithmetic: property tests and hand-worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.crime.windows import Comparison, Window, month_key, month_label, parse_month

months = st.integers(min_value=2000 * 12, max_value=2100 * 12).map(month_key)


def test_hand_worked_rolling_year() -> None:
    c = Comparison.to("2026-02")
    assert c.current == Window("2025-03", "2026-02")
    assert c.previous == Window("2024-03", "2025-02")
    assert c.current.label == "Mar 2025 to Feb 2026"
    c = Comparison.to("2024-01")  # across a year end
    assert (c.current.first, c.previous.first, c.previous.last) == ("2023-02", "2022-02", "2023-01")


@given(months, st.integers(min_value=1, max_value=36))
def test_windows_are_adjacent_equal_and_end_at_the_month(month: str, length: int) -> None:
    c = Comparison.to(month, length)
    assert c.current.last == month
    assert len(c.current.months) == len(c.previous.months) == length
    assert parse_month(c.current.first) - parse_month(c.previous.last) == 1
    assert not set(c.current.months) & set(c.previous.months)
    both = c.previous.months + c.current.months
    assert both == sorted(both)  # keys sort as months do


@given(months)
def test_month_keys_round_trip(month: str) -> None:
    assert month_key(parse_month(month)) == month
    assert month_label(month).endswith(month[:4])


@given(months, st.sets(st.integers(min_value=0, max_value=23)))
def test_missing_months_are_exactly_those_not_available(month: str, gaps: set[int]) -> None:
    c = Comparison.to(month)
    every = c.previous.months + c.current.months
    available = {m for i, m in enumerate(every) if i not in gaps}
    missing_current, missing_previous = c.missing(available)
    assert set(missing_current) | set(missing_previous) == {every[i] for i in gaps}
    assert set(missing_current) <= set(c.current.months)


@pytest.mark.parametrize("bad", ["2025-13", "2025-1", "25-01", "2025/01", "", "2025-00"])
def test_bad_months_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Comparison.to(bad)


def test_financial_year_to_date() -> None:
    from saferboard.crime.windows import Comparison

    feb = Comparison.financial_year_to_date("2025-02")
    assert (feb.current.first, feb.current.last) == ("2024-04", "2025-02")
    assert (feb.previous.first, feb.previous.last) == ("2023-04", "2024-02")
    april = Comparison.financial_year_to_date("2025-04")
    assert (april.current.first, april.current.last, april.previous.first) == (
        "2025-04",
        "2025-04",
        "2024-04",
    )
    march = Comparison.financial_year_to_date("2025-03")
    assert (march.current.first, march.current.last) == ("2024-04", "2025-03")
