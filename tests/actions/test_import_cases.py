"""Action plan import, the cases real plans throw at it (issue 20): a split RAG, a lead
with names in brackets, a dated review and a "Progress" column."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from saferboard.actions.importing import (
    commit_plan,
    guess_mapping,
    parse_plan,
    parse_rag_cell,
    read_table,
    split_leads,
)
from saferboard.actions.models import PlanKind
from saferboard.actions.rollup import ActionDates, next_review_due
from saferboard.actions.timescale import parse_timescale
from saferboard.core.models import Role
from tests.factories import OrganisationFactory, PartnershipFactory, make_user

HEADERS = ["Rec No.", "Recommendation", "Action", "Lead", "Timescale", "RAG", "Progress"]
ROWS = [
    [
        "1",
        "Improve the quality of assessment",
        "Audit twenty assessments a quarter",
        "YOS Management Team (Name; Name)",
        "Commence: September 2015 Completion: March 2016 Review: June 2016",
        "Amber/Green",
        "Done: audit tool agreed\nFirst audit of 20 cases\nReport to the board",
    ],
    ["", "", "Train case managers", "Police; Council", "Completion: Ongoing", "A/G", ""],
]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_split_rag_cells_are_read_as_two_statuses() -> None:
    assert parse_rag_cell("Amber/Green") == ("amber", "green")
    assert parse_rag_cell("A/G") == ("amber", "green")
    assert parse_rag_cell("Red - Amber") == ("red", "amber")
    assert parse_rag_cell("Green") == ("green", "")
    assert parse_rag_cell("Amber/Amber") == ("amber", "")
    for bad in ("Purple", "Amber/Purple", "Red/Amber/Green", ""):
        assert parse_rag_cell(bad) is None, bad


def test_a_lead_with_names_in_brackets_is_kept_whole() -> None:
    assert split_leads("YOS Management Team (Name; Name)") == ["YOS Management Team (Name; Name)"]
    assert split_leads("Police; Council") == ["Police", "Council"]
    assert split_leads("Head of YOS\nYOS Management Team (A; B); Police") == [
        "Head of YOS",
        "YOS Management Team (A; B)",
        "Police",
    ]


def test_a_dated_review_is_a_review_date_not_a_bad_cadence() -> None:
    parsed = parse_timescale("Review: June 2016")
    assert parsed.review is None and parsed.problems == ()
    assert parsed.review_date == date(2016, 6, 1)
    assert parse_timescale("Review: Quarterly").review_date is None


def test_a_dated_review_is_due_on_its_date_until_reviewed() -> None:
    action = ActionDates("1a", True, review_date=date(2016, 6, 1))
    assert next_review_due(action) == date(2016, 6, 1)
    reviewed = ActionDates("1a", True, review_date=date(2016, 6, 1), last_reviewed=date(2016, 6, 3))
    assert next_review_due(reviewed) is None
    before = ActionDates("1a", True, review_date=date(2016, 6, 1), last_reviewed=date(2016, 5, 1))
    assert next_review_due(before) == date(2016, 6, 1)


def test_a_progress_column_maps_to_progress_steps() -> None:
    assert guess_mapping(HEADERS)[-1] == "steps"
    assert guess_mapping(["Action", "Progress update"])[-1] == "notes"


@pytest.mark.django_db
def test_the_cases_import_and_are_stored() -> None:
    partnership = PartnershipFactory()
    owner = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    OrganisationFactory(partnership=partnership, name="Police", slug="police")
    user = make_user(Role.COORDINATOR, organisation=owner)
    table = read_table("plan.csv", _csv(ROWS))
    parsed = parse_plan(table, guess_mapping(table.headers), partnership)
    assert parsed.errors == []
    first, second = parsed.recommendations[0].actions
    assert (first.rag, first.rag_second, first.rag_label) == ("amber", "green", "Amber/Green")
    assert first.lead_lines == ["YOS Management Team (Name; Name)"]
    assert first.review_date == date(2016, 6, 1) and first.review_label == "June 2016"
    assert first.steps == [
        ("audit tool agreed", True),
        ("First audit of 20 cases", False),
        ("Report to the board", False),
    ]
    assert second.lead_lines == ["Police", "Council"] and len(second.lead_organisations) == 2
    plan = commit_plan(
        parsed,
        partnership=partnership,
        title="YOS plan",
        kind=PlanKind.INSPECTION,
        owner=owner,
        user=user,
        file_name="plan.csv",
    )
    stored = plan.actions.get(reference="1a")
    assert (stored.rag_status, stored.rag_second_status) == ("amber", "green")
    assert stored.lead_text == "YOS Management Team (Name; Name)"
    assert stored.leads_display() == ["YOS Management Team (Name; Name)"]
    assert stored.review_date == date(2016, 6, 1)
    assert [(s.text, s.done) for s in stored.steps.all()] == [
        ("audit tool agreed", True),
        ("First audit of 20 cases", False),
        ("Report to the board", False),
    ]


@pytest.mark.django_db
def test_a_review_column_takes_a_date_or_a_cadence_and_names_a_bad_cell() -> None:
    partnership = PartnershipFactory()
    data = b"Action,Review\nFirst,Review: June 2016\nSecond,Quarterly\nThird,whenever\n"
    table = read_table("r.csv", data)
    parsed = parse_plan(table, ["action", "review"], partnership)
    assert [str(e) for e in parsed.errors] == [
        "r.csv, row 4, column B (Review): Review must be a cadence (monthly, quarterly, "
        "six-monthly, annually) or a date like June 2016 (found ‘whenever’)"
    ]
    first, second = parsed.loose_actions
    assert (first.review_date, first.review) == (date(2016, 6, 1), "")
    assert (second.review_date, second.review) == (None, "quarterly")
