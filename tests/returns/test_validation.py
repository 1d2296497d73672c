"""The checks on a return's values: pure, hand-worked cases and properties."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from saferboard.returns.validation import (
    MeasureRule,
    RawEntry,
    change_pct,
    parse_value,
    validate_return,
)

REFERRALS = MeasureRule("referrals", "Victim referrals", change_threshold_pct=Decimal(50))
KG = MeasureRule("kg", "Fly-tipping removed (kg)", required=False, integer=False)
NET = MeasureRule("net", "Net change", allow_negative=True)


def check(entries, previous=None, rules=(REFERRALS, KG, NET)):
    return validate_return(list(rules), entries, previous or {})


def test_clean_values_pass_and_are_numbers() -> None:
    clean, problems = check(
        {"referrals": RawEntry("1,204"), "kg": RawEntry("12.5"), "net": RawEntry("-3")}
    )
    assert problems == []
    assert clean["referrals"].value == 1204
    assert clean["kg"].value == 12.5
    assert clean["net"].value == -3


def test_required_value_missing() -> None:
    _, problems = check({"kg": RawEntry(""), "net": RawEntry("0")})
    assert [(p.slug, p.field, p.message) for p in problems] == [
        ("referrals", "value", "Enter Victim referrals")
    ]


def test_optional_value_may_be_blank() -> None:
    clean, problems = check({"referrals": RawEntry("4"), "net": RawEntry("0")})
    assert problems == []
    assert clean["kg"].value is None


def test_whole_numbers_non_negative_and_numbers() -> None:
    _, problems = check(
        {"referrals": RawEntry("2.5"), "kg": RawEntry("-1"), "net": RawEntry("twelve")}
    )
    assert [p.message for p in problems] == [
        "Victim referrals must be a whole number",
        "Fly-tipping removed (kg) must be 0 or more",
        "Net change must be a number",
    ]
    assert problems[2].value == "twelve"


def test_absurd_values_are_refused() -> None:
    _, problems = check({"referrals": RawEntry("1e300"), "net": RawEntry(math.inf)})
    assert [p.message for p in problems] == [
        "Victim referrals must be a number",  # exponent notation is not a figure
        "Net change is too large",
    ]


def test_big_change_needs_a_comment() -> None:
    # 100 → 151 is a 51% rise: beyond the 50% threshold.
    _, problems = check({"referrals": RawEntry("151"), "net": RawEntry("0")}, {"referrals": 100})
    assert len(problems) == 1
    assert problems[0].field == "comment"
    assert problems[0].message == (
        "Explain why Victim referrals rose by more than 50% since last period (from 100 to 151)"
    )
    # Exactly 50% is within the threshold; a comment clears a bigger change.
    assert check({"referrals": RawEntry("150"), "net": RawEntry("0")}, {"referrals": 100})[1] == []
    clean, problems = check(
        {"referrals": RawEntry("40", "New referral route opened"), "net": RawEntry("0")},
        {"referrals": 100},
    )
    assert problems == []
    assert clean["referrals"].comment == "New referral route opened"


def test_change_from_zero_is_unbounded() -> None:
    assert change_pct(0, 0) == 0
    assert change_pct(0, 3) == math.inf
    assert change_pct(80, 60) == -25
    _, problems = check({"referrals": RawEntry("3"), "net": RawEntry("0")}, {"referrals": 0})
    assert "rose by more than 50%" in problems[0].message


def test_long_comment_refused() -> None:
    _, problems = check({"referrals": RawEntry("3", "x" * 2001), "net": RawEntry("0")})
    assert problems[0].field == "comment"


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_typed_with_or_without_separators_parses(n: int) -> None:
    assert parse_value(str(n)) == n
    assert parse_value(f"{n:,}") == n
    assert parse_value(n) == n
    clean, problems = check({"referrals": RawEntry(f" {n:,} "), "net": RawEntry(n)})
    assert problems == []
    assert clean["referrals"].value == n


@given(st.text(max_size=20))
def test_any_text_either_parses_or_gives_a_message(text: str) -> None:
    result = parse_value(text)
    assert result is None or isinstance(result, float | str)
    if isinstance(result, float):
        assert math.isfinite(result)
