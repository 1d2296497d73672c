"""The timescale parser (with property tests) and the plan roll-up, worked by hand."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.actions.rollup import (
    ActionDates,
    Change,
    changes_since,
    count_by_area,
    count_rag,
    is_overdue_for_completion,
    is_overdue_for_review,
    next_review_due,
    overdue,
)
from saferboard.actions.services import letter_for
from saferboard.actions.timescale import (
    Cadence,
    format_timescale,
    parse_date,
    parse_timescale,
)
from saferboard.core.periods import add_months


def test_the_plans_own_wording() -> None:
    t = parse_timescale("Commence: September 2015 Completion: Ongoing Review: Quarterly")
    assert (t.commence, t.completion, t.ongoing, t.review, t.problems) == (
        date(2015, 9, 1),
        None,
        True,
        Cadence.QUARTERLY,
        (),
    )
    assert t.original == "Commence: September 2015 Completion: Ongoing Review: Quarterly"


@pytest.mark.parametrize(
    ("text", "commence", "completion", "ongoing", "review"),
    [
        (
            "Commence: Sept 2015\nCompletion: March 2016\nReview: six monthly",
            date(2015, 9, 1),
            date(2016, 3, 31),
            False,
            Cadence.SIX_MONTHLY,
        ),
        ("Start: 01/12/2015 End: 31/03/2016", date(2015, 12, 1), date(2016, 3, 31), False, None),
        (
            "Completion: end of April 2016 Review: monthly",
            None,
            date(2016, 4, 30),
            False,
            Cadence.MONTHLY,
        ),
        (
            "Review: Annually Commence: Immediate Completion: on-going",
            None,
            None,
            True,
            Cadence.ANNUALLY,
        ),
        ("April 2016", None, date(2016, 4, 30), False, None),
        ("Ongoing", None, None, True, None),
        ("Quarterly", None, None, True, Cadence.QUARTERLY),
        ("Commence: Sep-15 Completion: Feb 16", date(2015, 9, 1), date(2016, 2, 29), False, None),
    ],
)
def test_forms_found_in_real_plans(text, commence, completion, ongoing, review) -> None:
    t = parse_timescale(text)
    assert (t.commence, t.completion, t.ongoing, t.review) == (
        commence,
        completion,
        ongoing,
        review,
    )
    assert t.problems == ()


def test_what_cannot_be_read_is_a_problem_and_kept() -> None:
    t = parse_timescale("Commence: TBC Completion: March 2016 Review: when needed")
    assert t.completion == date(2016, 3, 31)
    assert t.problems == (
        "Cannot read the commence date 'TBC'",
        "Cannot read the review cadence 'when needed'",
    )
    assert parse_timescale("Completion: May 2015 Commence: June 2015").problems == (
        "The completion date is before the commence date",
    )
    assert parse_timescale("whenever").problems == ("Cannot read the timescale 'whenever'",)


months = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 1)).map(
    lambda d: d.replace(day=1)
)


@given(
    commence=st.none() | months,
    completion=st.none() | months,
    ongoing=st.booleans(),
    review=st.none() | st.sampled_from(list(Cadence)),
)
def test_format_then_parse_round_trips(commence, completion, ongoing, review) -> None:
    if commence and completion and completion < commence:
        commence, completion = completion, commence
    text = format_timescale(commence, completion, ongoing, review)
    t = parse_timescale(text)
    expected_end = (
        None if ongoing or completion is None else add_months(completion, 1) - timedelta(days=1)
    )
    assert (t.commence, t.completion, t.ongoing, t.review) == (
        commence,
        expected_end,
        ongoing,
        review,
    )
    assert t.original == text and t.problems == ()


@given(st.text(max_size=200))
def test_parser_never_raises_and_keeps_the_text(text) -> None:
    t = parse_timescale(text)
    assert t.original == text
    if t.commence and t.completion:
        assert t.completion >= t.commence or t.problems


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)))
def test_day_month_year_parses(day) -> None:
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day} {day:%B} {day.year}") == day


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)),
    st.integers(min_value=-240, max_value=240),
)
def test_add_months_keeps_the_day_where_it_can(day, n) -> None:
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_roll_up_counts_by_hand() -> None:
    statuses = ["red"] * 2 + ["amber"] * 31 + ["green"] * 46 + ["blue"] * 9
    counts = count_rag(statuses)
    assert counts.sentence() == "of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue"
    with_unrated = count_rag(["green", None, ""])
    assert with_unrated.sentence() == "of 3 actions: 0 Red, 0 Amber, 1 Green, 0 Blue, 2 not rated"
    assert count_rag(["blue"]).sentence() == "of 1 action: 0 Red, 0 Amber, 0 Green, 1 Blue"
    with pytest.raises(ValueError):
        count_rag(["purple"])
    by_area = count_by_area([("Quality", "red"), ("Leadership", "green"), ("Quality", "blue")])
    assert list(by_area) == ["Quality", "Leadership"]
    assert (by_area["Quality"].red, by_area["Quality"].blue, by_area["Quality"].total) == (1, 1, 2)


def test_overdue_for_completion_and_review() -> None:
    today = date(2025, 6, 15)
    late = ActionDates("1a", True, "amber", date(2025, 1, 1), date(2025, 5, 31))
    done = ActionDates("1b", True, "blue", date(2025, 1, 1), date(2025, 5, 31))
    closed = ActionDates("1c", False, "amber", date(2025, 1, 1), date(2025, 5, 31))
    ongoing = ActionDates(
        "2a",
        True,
        "green",
        date(2025, 1, 1),
        None,
        True,
        Cadence.QUARTERLY,
        last_reviewed=date(2025, 3, 14),
    )
    fresh = ActionDates(
        "2b",
        True,
        "green",
        date(2025, 1, 1),
        None,
        True,
        Cadence.QUARTERLY,
        last_reviewed=date(2025, 3, 15),
    )
    never = ActionDates("3a", True, None, date(2025, 2, 10), None, True, Cadence.MONTHLY)
    assert is_overdue_for_completion(late, today)
    assert not is_overdue_for_completion(done, today)  # Blue: complete
    assert not is_overdue_for_completion(closed, today)
    assert not is_overdue_for_completion(ongoing, today)
    assert next_review_due(ongoing) == date(2025, 6, 14)
    assert is_overdue_for_review(ongoing, today)
    assert next_review_due(fresh) == date(2025, 6, 15)
    assert not is_overdue_for_review(fresh, today)  # due today, not yet overdue
    assert next_review_due(never) == date(2025, 3, 10)  # from commencement
    result = overdue([late, done, closed, ongoing, fresh, never], today)
    assert [a.reference for a in result.for_completion] == ["1a"]
    assert [a.reference for a in result.for_review] == ["2a", "3a"]


def test_changes_since_the_last_review() -> None:
    at = datetime(2025, 6, 1, 12, tzinfo=UTC)
    changes = [
        Change("1a", at - timedelta(days=1), "RAG status", "Amber"),
        Change("1b", at + timedelta(hours=1), "Progress update", "x"),
        Change("1a", at + timedelta(days=2), "Closed", "done"),
    ]
    assert [c.reference for c in changes_since(changes, at)] == ["1a", "1b"]
    assert len(changes_since(changes, None)) == 3


def test_action_letters() -> None:
    assert [letter_for(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "zz",
        "aaa",
    ]


def test_day_field_reads_dates_as_people_type_them() -> None:
    from django import forms as django_forms

    from saferboard.actions.forms import DayField

    field = DayField(label="Due date", end_of_month=True)
    assert field.clean("31/01/2030") == date(2030, 1, 31)
    assert field.clean("January 2030") == date(2030, 1, 31)
    assert field.clean("") is None
    with pytest.raises(django_forms.ValidationError, match="Due date must be a real date"):
        field.clean("31/02/2030")
    with pytest.raises(django_forms.ValidationError):
        field.clean("1" * 100)
