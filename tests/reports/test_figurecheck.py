"""The figure check catches planted contradictions and passes consistent text."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from saferboard.reports.figurecheck import (
    Narrative,
    ObservedFigure,
    check_all,
    check_text,
    percent_change,
)


def issues(text: str) -> list[str]:
    return [i.message for i in check_text(Narrative("Item 7: Knife crime", text, link="#item-7"))]


@pytest.mark.parametrize(
    "text",
    [
        "Knife crime saw a 50% reduction (from 14 to 7).",
        "Rolling year Jan 21: 1,280 -12% (1,451).",
        "Burglary fell from 1,451 to 1,280, a 12% fall.",
        "234 young people four years ago, 105 now: a 55% reduction.",
        "12 of 40 (30%) were in education, training or employment.",
        "The board reviewed the plan: of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue.",
        "Victim referrals rose by 10% from 100 to 110 in 2020.",
        "From 2019 to 2021 we ran 3 operations.",
        "Hate crime: 512 +8% (474) on the year before.",
        "The call blocker scheme has been installed for 140 residents.",
    ],
)
def test_consistent_text_passes(text: str) -> None:
    assert issues(text) == []


def test_the_papers_example_27_percent_of_14_to_7() -> None:
    found = check_text(
        Narrative(
            "Item 7: Knife crime", "Knife crime saw a 27% reduction (from 14 to 7).", "#item-7"
        )
    )
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "error"
    assert "27%" in issue.message and "50%" in issue.message
    assert "50%" in issue.suggestion
    assert issue.location == "Item 7: Knife crime" and issue.link == "#item-7"
    assert (
        issue.key
        == check_text(
            Narrative(
                "Item 7: Knife crime", "Knife crime saw a 27% reduction (from 14 to 7).", "#item-7"
            )
        )[0].key
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rolling year Jan 21: 1,280 -20% (1,451).", "12%"),
        ("Burglary rose from 1,451 to 1,280, a 12% increase.", "reduction"),
        ("12 out of 40 young people (35%) were in education.", "30%"),
        ("Of the plan: of 90 actions: 2 Red, 31 Amber, 46 Green and 9 Blue.", "88"),
    ],
)
def test_planted_contradictions_are_caught(text: str, expected: str) -> None:
    found = issues(text)
    assert len(found) == 1
    assert expected in found[0]


def test_a_loose_reading_is_a_warning() -> None:
    found = check_text(Narrative("x", "234 young people four years ago, 105 now: a 35% reduction."))
    assert [i.severity for i in found] == ["warning"]


def test_text_is_compared_with_the_observation_for_its_measure_and_period() -> None:
    narrative = Narrative(
        "Item 7: Burglary",
        "Burglary fell from 1,451 to 1,280, a 12% fall.",
        measure="burglary",
        period="p",
    )
    agree = ObservedFigure("burglary", "p", 1280, 1451)
    differ = ObservedFigure("burglary", "p", 1290, 1451)
    assert check_all([narrative], [agree]) == []
    found = check_all([narrative], [differ])
    assert len(found) == 1 and "1,290" in found[0].message
    # Another period's figure is not compared.
    assert check_all([narrative], [ObservedFigure("burglary", "q", 1290, 1451)]) == []


@given(
    before=st.integers(min_value=1, max_value=100_000),
    after=st.integers(min_value=0, max_value=100_000),
)
def test_a_correctly_computed_change_always_passes(before: int, after: int) -> None:
    change = percent_change(before, after)
    assert change is not None
    word = "reduction" if change < 0 else "increase"
    text = f"There was a {abs(change):.0f}% {word} (from {before:,} to {after:,})."
    assert issues(text) == []
    dashboard = (
        f"Rolling year: {after:,} {'-' if change < 0 else '+'}{abs(change):.0f}% ({before:,})."
    )
    assert issues(dashboard) == []


@given(
    before=st.integers(min_value=1, max_value=100_000),
    after=st.integers(min_value=0, max_value=100_000),
    error=st.integers(min_value=2, max_value=60),
)
def test_a_planted_wrong_percentage_is_always_caught(before: int, after: int, error: int) -> None:
    change = percent_change(before, after)
    assert change is not None
    claimed = abs(change) + error
    word = "reduction" if change < 0 else "increase"
    assume(claimed < 1000)
    text = f"There was a {claimed:.0f}% {word} (from {before:,} to {after:,})."
    assert len(issues(text)) == 1


@given(part=st.integers(0, 500), extra=st.integers(1, 500))
def test_shares_are_checked(part: int, extra: int) -> None:
    whole = part + extra
    right = round(part / whole * 100)
    assert issues(f"{part} of {whole} ({right}%) had a plan.") == []
    assert len(issues(f"{part} of {whole} ({right + 3}%) had a plan.")) == 1
