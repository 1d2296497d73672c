"""The exact conditional test of two Poisson counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saferboard.crime.stats import change_p_value, is_significant


def test_hand_worked_values() -> None:
    # 10 against 0: P(X=10 or X=0 | n=10, p=½) = 2 × 2⁻¹⁰.
    assert change_p_value(10, 0) == 2 / 1024
    # 5 against 5 is no change at all.
    assert change_p_value(5, 5) == 1.0
    assert change_p_value(0, 0) == 1.0
    # Bromley's total notifiable offences, Mar 2025-Feb 2026 against the year before.
    assert round(change_p_value(23_796, 24_269), 4) == 0.0313
    assert is_significant(23_796, 24_269)
    assert not is_significant(1_479, 1_418)


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_p_value_is_a_symmetric_probability(a: int, b: int) -> None:
    p = change_p_value(a, b)
    assert 0.0 <= p <= 1.0
    assert abs(p - change_p_value(b, a)) < 1e-9
