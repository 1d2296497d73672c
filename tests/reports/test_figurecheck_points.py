"""A rate's change in percentage points (issue 20), worked by hand.

The stored reoffending rate (tests/reports/test_figurecheck_data.py) is 34.4% against
36.0% the year before: a difference of 34.4 - 36.0 = -1.6 percentage points, and a
relative change of -1.6 / 36.0 = -4.4%.
"""

from __future__ import annotations

import pytest

from saferboard.reports.figurecheck import Narrative, StoredFigure, _sentences, claims_in
from tests.reports.test_figurecheck_data import FIGURES, NAMES, findings

RATE = next(f for f in FIGURES if f.unit == "percent")


def test_the_stored_rate_changes_by_hand() -> None:
    assert RATE.points_change == pytest.approx(-1.6)
    assert RATE.change == pytest.approx(-4.444, abs=0.001)
    count = next(f for f in FIGURES if f.unit == "count")
    assert count.points_change is None  # points belong to rates only


@pytest.mark.parametrize(
    "text",
    [
        "The reoffending rate fell by 1.6 percentage points.",
        "The reoffending rate fell by 2 percentage points.",  # -1.6 rounds to 2
        "The reoffending rate was down 1.6 points.",
        "The reoffending rate: -1.6pp on last year.",
        "The reoffending rate fell by 1.6 % points.",
        "The reoffending rate fell by about 2 percentage points.",
    ],
)
def test_points_that_agree_raise_nothing(text: str) -> None:
    assert findings(text) == []
    assert [c.kind for c in claims_in(text, NAMES)] == ["points"]


def test_points_that_differ_are_flagged_with_both_figures() -> None:
    (found,) = findings("The reoffending rate fell by 3 percentage points.")
    assert found.detail["text_figure"] == "-3 percentage points"
    assert found.detail["stored_figure"] == "a fall of 1.6 percentage points"
    assert "from 36.0% to 34.4%" in found.message
    (up,) = findings("The reoffending rate was up 2.5 points.")  # wrong way and size
    assert up.detail["text_figure"] == "+2.5 percentage points"
    # One decimal place written: right within 0.05 (1.6 is; 1.5 is not).
    assert len(findings("The reoffending rate fell by 1.5 percentage points.")) == 1


def test_a_percent_claim_about_a_rate_stays_relative() -> None:
    # -4.4% relative: "fell by 4%" and "fell by 5%" are within a point; "fell by 1.6%"
    # (the points change written as per cent) is not, and the finding gives both.
    assert findings("The reoffending rate fell by 4%.") == []
    assert findings("The reoffending rate fell by 5%.") == []
    (found,) = findings("The reoffending rate fell by 1.6%.")
    assert found.detail["stored_figure"] == "a fall of 4.4%"
    assert "a relative change; in percentage points it is a fall of 1.6" in found.message


def test_a_level_the_rate_moved_to_is_its_value_not_a_change() -> None:
    claims = claims_in("The reoffending rate fell by 2 percentage points to 34%.", NAMES)
    assert sorted((c.kind, c.value) for c in claims) == [("points", -2.0), ("value", 34.0)]
    # "fell by 10% to 34%": a relative change (wrong: -4.4%) and the level (right).
    (found,) = findings("The reoffending rate fell by 10% to 34%.")
    assert found.detail["text_figure"] == "-10%"
    # "from 36% to 34%": two levels, which is which is read no further.
    assert claims_in("The reoffending rate fell from 36% to 34%.", NAMES) == []


def test_points_are_not_read_for_counts_or_without_a_direction() -> None:
    assert claims_in("Knife crime fell by 3 percentage points.", NAMES) == []
    assert claims_in("The reoffending rate has a gap of 3 points.", NAMES) == []
    # Compared with a comparator: not read at all.
    assert findings("The reoffending rate is 3 points below the national average.") == []
    # "3 percentage points" is not "3 per cent" (a relative change) either.
    assert [c.kind for c in claims_in("Reoffending rate down 3 percentage points.", NAMES)] == [
        "points"
    ]


def test_a_decimal_point_does_not_end_a_sentence() -> None:
    assert _sentences("The rate fell 2.5 points. Knife crime rose 3.5%.") == [
        "The rate fell 2.5 points.",
        "Knife crime rose 3.5%.",
    ]


def test_no_previous_rate_no_comparison() -> None:
    alone = StoredFigure("3", "Bromley", RATE.start, RATE.end, 34.4, None, "", "", unit="percent")
    assert alone.points_change is None


def test_a_breakdown_followed_by_a_bracket_is_summed_whole() -> None:
    """The plan roll-up's own sentence, with a Blue awaiting the board: 2 + 5 + 5 + 2
    = 14, so nothing to report; with 3 Blue the parts make 15."""
    from saferboard.reports.figurecheck import check_text

    text = "of 14 actions: 2 Red, 5 Amber, 5 Green, {} Blue (1 Blue proposed, awaiting the board)"
    assert check_text(Narrative("Item 8", text.format(2))) == []
    (wrong,) = check_text(Narrative("Item 8", text.format(3)))
    assert wrong.message == "The parts add up to 15, not the 14 stated."
