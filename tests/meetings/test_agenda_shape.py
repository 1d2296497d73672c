"""Agenda numbering (7, 7a, 7b, 8), moves and content previews: pure functions, by hand."""

from __future__ import annotations

import pytest

from saferboard.meetings.agenda import ContentFacts, Slot, letter, moved, numbers, preview

# 1, 2, 2a, 2b, 3: item 20 has sub-items 21 and 22.
AGENDA = [Slot(10), Slot(20), Slot(21, 20), Slot(22, 20), Slot(30)]


def test_letters_run_a_to_z_then_aa() -> None:
    assert [letter(n) for n in (1, 2, 26, 27, 28)] == ["a", "b", "z", "aa", "ab"]
    with pytest.raises(ValueError):
        letter(0)


def test_sub_items_take_their_parents_number_and_a_letter() -> None:
    assert numbers(AGENDA) == {10: "1", 20: "2", 21: "2a", 22: "2b", 30: "3"}


def test_a_main_item_moves_with_its_sub_items() -> None:
    down = moved(AGENDA, 20, "down")
    assert [s.pk for s in down] == [10, 30, 20, 21, 22]
    assert numbers(down) == {10: "1", 30: "2", 20: "3", 21: "3a", 22: "3b"}
    up = moved(AGENDA, 30, "up")
    assert [s.pk for s in up] == [10, 30, 20, 21, 22]


def test_a_sub_item_moves_only_among_its_siblings() -> None:
    assert [s.pk for s in moved(AGENDA, 22, "up")] == [10, 20, 22, 21, 30]
    assert moved(AGENDA, 21, "up") == AGENDA  # already first under its parent
    assert moved(AGENDA, 22, "down") == AGENDA  # already last under its parent


def test_first_up_and_last_down_change_nothing() -> None:
    assert moved(AGENDA, 10, "up") == AGENDA
    assert moved(AGENDA, 30, "down") == AGENDA
    with pytest.raises(KeyError):
        moved(AGENDA, 99, "up")


def test_previews_say_what_the_pack_will_print() -> None:
    assert preview(ContentFacts("paper", papers=2)) == "Paper: 2 linked papers"
    assert preview(ContentFacts("paper", papers=1, appendices=1)) == (
        "Paper: 1 linked paper, and 1 appended PDF"
    )
    assert preview(ContentFacts("paper")) == "Paper: no papers linked yet, so nothing is printed"
    assert preview(ContentFacts("crime_dashboard", area="Lambeth")) == (
        "Crime dashboard: rolling-year figures for Lambeth"
    )
    assert preview(ContentFacts("priority_report", title="Priority 2: VAWG")) == (
        "Report of a priority: the quarter's progress report of priority 2"
    )
    assert preview(ContentFacts("verbal", papers=3)) == "Verbal: nothing printed"
    assert preview(ContentFacts("action_plans")).startswith("Action plans:")
