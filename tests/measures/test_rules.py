"""RAG rules, computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.measures.rules import RuleConfig, apply_rule, change_pct

LOWER = RuleConfig(ref="lower-is-better@1", kind="lower_is_better")
HIGHER = RuleConfig(ref="higher-is-better@1", kind="higher_is_better")


@pytest.mark.parametrize(
    ("current", "previous", "status"),
    [
        (1280, 1451, "green"),  # -11.8%: a fall is good
        (100, 100, "green"),  # level
        (110, 100, "amber"),  # +10% exactly: still Amber
        (111, 100, "red"),  # +11%
        (105, 100, "amber"),
        (0, 0, "green"),  # none before, none now
        (3, 0, "red"),  # from none to some: an unbounded rise
    ],
)
def test_lower_is_better_bands(current: float, previous: float, status: str) -> None:
    result = apply_rule(LOWER, current, previous)
    assert result is not None
    assert result.status == status
    assert result.rule == "lower-is-better@1"


@pytest.mark.parametrize(
    ("current", "previous", "status"),
    [(120, 100, "green"), (95, 100, "amber"), (89, 100, "red"), (0, 0, "green")],
)
def test_higher_is_better_bands(current: float, previous: float, status: str) -> None:
    result = apply_rule(HIGHER, current, previous)
    assert result is not None and result.status == status


def test_custom_bands() -> None:
    lenient = RuleConfig(
        ref="lenient@2", kind="lower_is_better", green_max_pct=Decimal(5), amber_max_pct=Decimal(20)
    )
    assert apply_rule(lenient, 104, 100).status == "green"  # type: ignore[union-attr]
    assert apply_rule(lenient, 120, 100).status == "amber"  # type: ignore[union-attr]
    assert apply_rule(lenient, 121, 100).status == "red"  # type: ignore[union-attr]


def test_manual_and_missing_values_give_no_rating() -> None:
    assert apply_rule(RuleConfig(ref="manual@1", kind="manual"), 1, 2) is None
    assert apply_rule(LOWER, None, 2) is None
    assert apply_rule(LOWER, 2, None) is None


def test_change_pct_by_hand() -> None:
    assert change_pct(1280, 1451) == pytest.approx(-11.785, abs=1e-3)
    assert change_pct(5, 0) is None


counts = st.integers(min_value=0, max_value=10**7)


@given(counts, counts)
def test_lower_and_higher_agree_on_improvement(current: int, previous: int) -> None:
    low = apply_rule(LOWER, current, previous)
    high = apply_rule(HIGHER, current, previous)
    assert low is not None and high is not None
    if current < previous:
        assert low.status == "green"
        assert high.status in {"amber", "red"}
    if current > previous:
        assert high.status == "green"
        assert low.status in {"amber", "red"}
