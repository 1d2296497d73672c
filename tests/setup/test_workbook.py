"""The set-up workbook: template, import (located problems, all-or-nothing, dry run,
self-role refusal, audit) and export (round trip, JSON keys)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from saferboard.core.models import (
    AuditAction,
    AuditEvent,
    Membership,
    Organisation,
    Partnership,
    Person,
    Role,
)
from saferboard.meetings.models import Board
from saferboard.setup.workbook_apply import WorkbookRejected, import_workbook
from saferboard.setup.workbook_export import current_setup, write_workbook
from saferboard.setup.workbook_reader import read_workbook
from saferboard.setup.workbook_schema import sheets
from saferboard.strategy.models import Commitment, Contribution, Priority
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = [
    {"name": "Example Council", "type": "council", "parent": ""},
    {"name": "Community Safety Team", "type": "council department", "parent": "Example Council"},
    {"name": "Metropolitan Police Service", "type": "Police", "parent": ""},
    {"name": "Victim Support", "type": "voluntary", "parent": ""},
]
PEOPLE = [
    {
        "name": "Ada Coordinator",
        "email": "ada@example.gov.uk",
        "organisation": "Community Safety Team",
        "roles": ["coordinator", "Board Member"],
    },
    {
        "name": "Ben Police",
        "email": "ben@met.police.uk",
        "organisation": "Metropolitan Police Service",
        "roles": ["partner lead"],
    },
    {"name": "Cal Chair", "email": "cal@example.gov.uk", "organisation": "Example Council"},
]
STRATEGY = {
    "name": "Example Safer Partnership",
    "strategy": "Community Safety Strategy 2025-2028",
    "strategy_start": "2025-04-01",
    "strategy_end": "2028-03-31",
}
PRIORITIES = [
    {"number": 1, "title": "Safer neighbourhoods", "ambition": "Fewer burglaries."},
    {"number": 3, "title": "Keeping young people safe", "ambition": ""},
]
COMMITMENTS = [
    {
        "priority": 3,
        "number": "3.1",
        "text": "Disrupt gangs",
        "lead_organisation": "Metropolitan Police Service",
        "contributing_organisations": ["Metropolitan Police Service", "Victim Support"],
        "parent": "",
    },
    {
        "priority": 3,
        "number": "2",
        "text": "Joint patrols",
        "lead_organisation": "",
        "contributing_organisations": ["Community Safety Team"],
        "parent": "3.1",
    },
]
BOARDS = [
    {
        "name": "Safer Partnership Board",
        "kind": "strategic board",
        "parent": "",
        "chair": "cal@example.gov.uk",
        "members": ["ada@example.gov.uk", "ben@met.police.uk"],
    },
    {
        "name": "Violence Sub-group",
        "kind": "sub-group",
        "parent": "Safer Partnership Board",
        "chair": "ada@example.gov.uk",
        "members": [],
    },
]


def full_setup() -> dict[str, list[dict[str, Any]]]:
    return {
        "partnership": [dict(STRATEGY)],
        "organisations": [dict(r) for r in ORGANISATIONS],
        "people": [dict(r) for r in PEOPLE],
        "priorities": [dict(r) for r in PRIORITIES],
        "commitments": [dict(r) for r in COMMITMENTS],
        "boards": [dict(r) for r in BOARDS],
    }


def workbook(rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """A workbook holding ``rows`` (cells as typed: numbers, text, lists joined)."""
    return write_workbook({k: [_typed(r) for r in v] for k, v in rows.items()})


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, int) else v for k, v in row.items()}


def apply(data: bytes, **kwargs: Any):  # type: ignore[no-untyped-def]
    return import_workbook(read_workbook(data, "setup.xlsx"), **kwargs)


@pytest.fixture
def partnership() -> Partnership:
    return PartnershipFactory(name="Example Safer Partnership")


def problems_of(data: bytes, **kwargs: Any) -> list[Any]:
    with pytest.raises(WorkbookRejected) as refused:
        apply(data, **kwargs)
    return refused.value.problems


def counts() -> tuple[int, int, int, int, int, int]:
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        Priority.objects.count(),
        Commitment.objects.count(),
        Board.objects.count(),
    )


# -- the template ---------------------------------------------------------------------


def test_template_has_a_sheet_per_kind_with_headers_and_notes(tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    call_command("setup", "template", "--out", str(out), stdout=StringIO())
    book = load_workbook(out)
    assert book.sheetnames == [
        "Notes",
        "Partnership",
        "Organisations",
        "People",
        "Priorities",
        "Commitments",
        "Boards",
    ]
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames[1:]}
    assert headers["People"] == ["Name", "Email", "Organisation", "Roles"]
    assert headers["Commitments"] == [
        "Priority",
        "Number",
        "Text",
        "Lead organisation",
        "Contributing organisations",
        "Parent",
    ]
    assert headers["Boards"] == ["Name", "Kind", "Parent", "Chair", "Members"]
    notes = "\n".join(str(c.value) for row in book["Notes"].iter_rows() for c in row)
    for word in ("coordinator", "partner lead", "panel member", "administrator"):
        assert word in notes
    for word in ("strategic board", "sub-group", "youth justice service", "ambulance service"):
        assert word in notes
    # Every column of every sheet is explained.
    explained = {(r[0].value, r[1].value) for r in book["Notes"].iter_rows(min_row=2)}
    for sheet in sheets():
        for column in sheet.columns:
            assert (sheet.title, column.header) in explained


# -- importing ------------------------------------------------------------------------


def test_import_creates_everything_by_natural_key(partnership: Partnership) -> None:
    report = apply(workbook(full_setup()))
    assert report.counts()["Organisations"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert report.counts()["Commitments"]["created"] == 2
    team = Organisation.objects.get(name="Community Safety Team")
    assert team.parent.name == "Example Council" and team.type == "council"
    ada = Person.objects.get(email="ada@example.gov.uk")
    assert ada.user is None  # the workbook never makes sign-in accounts
    assert set(ada.memberships.values_list("role", flat=True)) == {"coordinator", "board_member"}
    assert Priority.objects.get(number=1).ambition == "Fewer burglaries."
    gangs = Commitment.objects.get(number=1, parent__isnull=True)
    assert gangs.priority.number == 3 and gangs.lead_organisation.name.startswith("Metropolitan")
    patrols = Commitment.objects.get(parent=gangs)
    assert patrols.number == 2 and patrols.priority == gangs.priority
    assert set(
        Contribution.objects.filter(commitment=gangs).values_list("organisation__name", flat=True)
    ) == {"Metropolitan Police Service", "Victim Support"}
    board = Board.objects.get(name="Safer Partnership Board")
    assert board.kind == "partnership"
    seats = {m.person.email: m.role for m in board.members.all()}
    assert seats == {
        "cal@example.gov.uk": "Chair",
        "ada@example.gov.uk": "Member",
        "ben@met.police.uk": "Member",
    }
    assert Board.objects.get(name="Violence Sub-group").parent == board
    # Importing the same workbook again changes nothing.
    again = apply(workbook(full_setup()))
    assert not again.changed


def test_import_updates_and_a_removed_role_ends_the_membership(partnership: Partnership) -> None:
    apply(workbook(full_setup()))
    ada_role = Membership.objects.get(person__email="ada@example.gov.uk", role="board_member")
    ada_role.start_date = timezone.localdate() - timedelta(days=30)
    ada_role.save()
    changed = full_setup()
    changed["people"][0]["roles"] = ["coordinator"]
    changed["priorities"][0]["title"] = "Safer streets"
    report = apply(workbook(changed))
    assert report.counts()["People"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert report.counts()["Priorities"] == {"created": 0, "updated": 1, "unchanged": 1}
    ada_role.refresh_from_db()  # ended, never deleted
    assert ada_role.end_date == timezone.localdate() - timedelta(days=1)
    ended = (
        AuditEvent.objects.filter(
            action=AuditAction.PERMISSION_CHANGE,
            object_type="core.Membership",
            object_id=str(ada_role.pk),
        )
        .order_by("-pk")
        .first()
    )
    assert ended.detail["after"] == {"end_date": ada_role.end_date.isoformat()}
    person_change = next(
        c for c in report.changes if c.sheet == "People" and c.outcome == "updated"
    )
    assert person_change.before == {"roles": ["coordinator", "board member"]}
    assert person_change.after == {"roles": ["coordinator"]}


def test_problems_name_sheet_row_column_and_value(partnership: Partnership) -> None:
    rows = full_setup()
    rows["people"].append(
        {"name": "Dee", "email": "dee@example.org", "organisation": "Met Police", "roles": []}
    )
    problems = problems_of(workbook(rows))
    assert len(problems) == 1
    found = problems[0]
    assert (found.file, found.row, found.column, found.value) == (
        "People",
        5,
        "Organisation",
        "Met Police",
    )
    assert "did you mean 'Metropolitan Police Service'?" in found.message
    assert str(found).startswith("People, row 5, column 'Organisation': 'Met Police' is not an")


@pytest.mark.parametrize(
    ("sheet", "change", "where"),
    [
        ("organisations", {"type": "space agency"}, ("Organisations", 2, "Type", "space agency")),
        ("organisations", {"name": ""}, ("Organisations", 2, "Name", "")),
        (
            "organisations",
            {"parent": "Example Cuncil"},
            ("Organisations", 2, "Parent", "Example Cuncil"),
        ),
        ("people", {"email": "not-an-email"}, ("People", 2, "Email", "not-an-email")),
        ("people", {"roles": ["coordinator", "overlord"]}, ("People", 2, "Roles", "overlord")),
        ("priorities", {"number": "first"}, ("Priorities", 2, "Number", "first")),
        ("priorities", {"number": "40000"}, ("Priorities", 2, "Number", "40000")),
        ("priorities", {"number": "\u00b2"}, ("Priorities", 2, "Number", "\u00b2")),
        ("organisations", {"name": "x" * 201}, ("Organisations", 2, "Name", "x" * 80)),
        ("commitments", {"text": "y" * 301}, ("Commitments", 2, "Text", "y" * 80)),
        ("commitments", {"priority": 7, "number": "1"}, ("Commitments", 2, "Priority", "7")),
        ("commitments", {"number": "3.x"}, ("Commitments", 2, "Number", "3.x")),
        ("commitments", {"number": "2.1"}, ("Commitments", 2, "Number", "2.1")),
        (
            "commitments",
            {"lead_organisation": "Victim Suport"},
            ("Commitments", 2, "Lead organisation", "Victim Suport"),
        ),
        (
            "commitments",
            {"contributing_organisations": ["Nobody Ltd"]},
            ("Commitments", 2, "Contributing organisations", "Nobody Ltd"),
        ),
        ("boards", {"kind": "book club"}, ("Boards", 2, "Kind", "book club")),
        ("boards", {"chair": "zed@example.gov.uk"}, ("Boards", 2, "Chair", "zed@example.gov.uk")),
        (
            "boards",
            {"members": ["ada@example.gov.uk", "x@y.uk"]},
            ("Boards", 2, "Members", "x@y.uk"),
        ),
        ("boards", {"parent": "No Such Board"}, ("Boards", 2, "Parent", "No Such Board")),
    ],
)
def test_each_kind_of_problem_is_located(
    partnership: Partnership, sheet: str, change: dict[str, Any], where: tuple[Any, ...]
) -> None:
    rows = full_setup()
    rows[sheet][0].update(change)
    problems = problems_of(workbook(rows))
    located = [(p.file, p.row, p.column, p.value) for p in problems]
    assert tuple(map(str, where)) in [tuple(map(str, p)) for p in located], problems
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_parent_commitment_that_does_not_exist_is_located(partnership: Partnership) -> None:
    rows = full_setup()
    rows["commitments"][1]["parent"] = "3.4"
    rows["commitments"][1]["number"] = "3.4.2"
    (problem,) = problems_of(workbook(rows))
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "Commitments",
        3,
        "Parent",
        "3.4",
    )


def test_a_repeated_key_is_located_on_its_second_row(partnership: Partnership) -> None:
    rows = full_setup()
    rows["people"].append(dict(PEOPLE[1], name="Ben Again"))
    (problem,) = problems_of(workbook(rows))
    assert (problem.file, problem.row, problem.column) == ("People", 5, "Email")
    assert "row 3" in problem.message


def test_a_missing_column_is_located_on_the_header_row(partnership: Partnership) -> None:
    data = workbook(full_setup())
    book = load_workbook(io.BytesIO(data))
    book["People"]["B1"] = "E-mail address"
    out = io.BytesIO()
    book.save(out)
    (problem,) = problems_of(out.getvalue())
    assert (problem.file, problem.row) == ("People", 1)
    assert "'Email'" in problem.message


def test_headers_any_case_and_extra_columns_are_allowed(partnership: Partnership) -> None:
    book = load_workbook(io.BytesIO(workbook(full_setup())))
    people = book["People"]
    people.title = "renamed"
    people.title = "PEOPLE"  # (openpyxl refuses a new title equal to the old one but for case)
    for cell in people[1]:
        cell.value = str(cell.value).upper()
    people.cell(row=1, column=9, value="Phone")
    people.cell(row=2, column=9, value="020 7946 0000")
    out = io.BytesIO()
    book.save(out)
    report = apply(out.getvalue())
    assert report.counts()["People"]["created"] == 3


def test_a_bad_last_row_leaves_the_database_unchanged(partnership: Partnership) -> None:
    apply(workbook(full_setup()))
    before = counts()
    events = AuditEvent.objects.count()
    rows = full_setup()
    rows["organisations"].append({"name": "Fire Brigade", "type": "fire", "parent": ""})
    rows["people"][1]["name"] = "Benjamin Police"
    rows["boards"].append(
        {"name": "Late board", "kind": "strategic board", "parent": "", "chair": "nobody@x.uk"}
    )
    problems = problems_of(workbook(rows))
    assert [(p.file, p.row, p.column) for p in problems] == [("Boards", 4, "Chair")]
    assert counts() == before
    assert not Organisation.objects.filter(name="Fire Brigade").exists()
    assert Person.objects.get(email="ben@met.police.uk").full_name == "Ben Police"
    assert AuditEvent.objects.count() == events


def test_dry_run_reports_and_changes_nothing(partnership: Partnership, tmp_path: Path) -> None:
    path = tmp_path / "setup.xlsx"
    path.write_bytes(workbook(full_setup()))
    out = StringIO()
    call_command("setup", "import", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Organisations: 4 created, 0 updated, 0 unchanged" in text
    assert "People: 3 created, 0 updated, 0 unchanged" in text
    assert "Dry run: nothing was changed." in text
    assert counts() == (0, 0, 0, 0, 0, 0)
    assert not AuditEvent.objects.exists()
    call_command("setup", "import", str(path), stdout=StringIO())
    assert counts()[0] == 4


def test_the_command_prints_located_problems_and_fails(
    partnership: Partnership, tmp_path: Path
) -> None:
    rows = full_setup()
    rows["people"][2]["organisation"] = "Met Police"
    path = tmp_path / "setup.xlsx"
    path.write_bytes(workbook(rows))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("setup", "import", str(path), stdout=StringIO(), stderr=err)
    assert "People, row 4, column 'Organisation'" in err.getvalue()
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_file_that_is_not_a_workbook_is_refused(partnership: Partnership, tmp_path: Path) -> None:
    path = tmp_path / "setup.xlsx"
    path.write_bytes(b"name,type\nA,council\n")
    with pytest.raises(CommandError, match=r"not an Excel \.xlsx workbook"):
        call_command("setup", "import", str(path), stdout=StringIO())


def test_import_is_audited(partnership: Partnership, make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR, organisation=OrganisationFactory(partnership=partnership))
    apply(workbook(full_setup()), actor=admin)
    events = AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE, actor=admin)
    summary = events.get(detail__what="set-up workbook import")
    assert summary.detail["counts"]["People"] == {"created": 3, "updated": 0, "unchanged": 0}
    person = Person.objects.get(email="ben@met.police.uk")
    created = events.get(object_type="core.Person", object_id=str(person.pk))
    assert created.detail["after"]["roles"] == ["partner lead"]


def test_nobody_changes_their_own_roles(partnership: Partnership, make_user) -> None:  # type: ignore[no-untyped-def]
    apply(workbook(full_setup()))
    ada = Person.objects.get(email="ada@example.gov.uk")
    admin = make_user(Role.ADMINISTRATOR, organisation=ada.organisation)
    own = Person.objects.get(user=admin)
    own.email = admin.email = "own@example.gov.uk"
    own.save()
    admin.save()
    rows = full_setup()
    rows["people"].append(
        {
            "name": own.full_name,
            "email": "OWN@example.gov.uk",
            "organisation": "Community Safety Team",
            "roles": ["administrator", "panel member"],
        }
    )
    (problem,) = problems_of(workbook(rows), actor=admin)
    assert (problem.file, problem.row, problem.column) == ("People", 5, "Roles")
    assert "nobody grants themselves access" in problem.message
    assert set(own.memberships.values_list("role", flat=True)) == {"administrator"}
    # The same row with the roles unchanged is accepted.
    rows["people"][-1]["roles"] = ["administrator"]
    apply(workbook(rows), actor=admin)


def test_a_workbook_cannot_give_the_importer_roles_by_email(
    partnership: Partnership, make_user
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.ADMINISTRATOR, organisation=OrganisationFactory(partnership=partnership))
    admin.email = "me@example.gov.uk"
    admin.save()
    Person.objects.filter(user=admin).update(email="")
    rows = full_setup()
    rows["people"][0]["email"] = "me@example.gov.uk"
    rows["boards"][0]["members"] = ["ben@met.police.uk"]
    rows["boards"][1]["chair"] = "cal@example.gov.uk"
    (problem,) = problems_of(workbook(rows), actor=admin)
    assert (problem.file, problem.column) == ("People", "Roles")


def test_a_workbook_without_a_partnership_is_refused() -> None:
    (problem,) = problems_of(workbook(full_setup()))
    assert "saferboard init" in problem.message


def test_priorities_need_a_strategy(partnership: Partnership) -> None:
    rows = full_setup()
    rows["partnership"] = []
    problems = problems_of(workbook(rows))
    assert ("Priorities", 2, "Number") in [(p.file, p.row, p.column) for p in problems]
    assert "Partnership sheet" in problems[0].message


# -- exporting ------------------------------------------------------------------------


def test_export_then_import_changes_nothing_on_the_demo(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = current_setup(Partnership.objects.get())
    path = tmp_path / "export.xlsx"
    call_command("setup", "export", "--out", str(path), stdout=StringIO())
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("setup", "import", str(path), stdout=out)
    assert " 0 created, 0 updated" in out.getvalue()
    assert "created, 0 updated" in out.getvalue()
    for line in out.getvalue().splitlines():
        assert ": 0 created, 0 updated," in line
    assert current_setup(Partnership.objects.get()) == before
    # Only the import's own summary event is written.
    assert AuditEvent.objects.count() == events + 1


def test_export_json_has_every_sheet_and_column(demo) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("setup", "export", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == [
        "partnership",
        "organisations",
        "people",
        "priorities",
        "commitments",
        "boards",
    ]
    assert {"name", "strategy", "strategy_start", "strategy_end"} <= set(data["partnership"])
    expected = {
        "organisations": {"name", "type", "parent"},
        "people": {"name", "email", "organisation", "roles"},
        "priorities": {"number", "title", "ambition"},
        "commitments": {
            "priority",
            "number",
            "text",
            "lead_organisation",
            "contributing_organisations",
            "parent",
        },
        "boards": {"name", "kind", "parent", "chair", "members"},
    }
    for key, columns in expected.items():
        assert data[key], key
        for row in data[key]:
            assert columns <= set(row), (key, row)
    assert all(isinstance(p["roles"], list) for p in data["people"])
    assert all(isinstance(c["contributing_organisations"], list) for c in data["commitments"])
    assert all(isinstance(b["members"], list) for b in data["boards"])
    assert {b["kind"] for b in data["boards"]} <= {
        "strategic board",
        "youth justice management board",
        "sub-group",
        "improvement board",
    }


def test_export_of_an_imported_set_up_matches_it(partnership: Partnership) -> None:
    apply(workbook(full_setup()))
    exported = current_setup(partnership)
    numbers = [(c["number"], c["parent"]) for c in exported["commitments"]]
    assert numbers == [("3.1", ""), ("3.1.2", "3.1")]
    roles = {p["email"]: p["roles"] for p in exported["people"]}
    assert roles["ada@example.gov.uk"] == ["coordinator", "board member"]
    assert exported["organisations"][0]["type"] == "council"
    assert not apply(write_workbook(exported)).changed


def test_parents_in_a_circle_are_refused(partnership: Partnership) -> None:
    rows = full_setup()
    rows["organisations"][0]["parent"] = "Community Safety Team"
    problems = problems_of(workbook(rows))
    # Located on the row that closes the circle.
    assert [(p.file, p.row, p.column) for p in problems] == [("Organisations", 3, "Parent")]
    assert "circle" in problems[0].message
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_member_left_out_leaves_the_board_and_the_chair_can_change(
    partnership: Partnership,
) -> None:
    apply(workbook(full_setup()))
    board = Board.objects.get(name="Safer Partnership Board")
    board.members.update(start_date=timezone.localdate() - timedelta(days=60))
    rows = full_setup()
    rows["boards"][0]["chair"] = "ada@example.gov.uk"
    rows["boards"][0]["members"] = ["cal@example.gov.uk"]
    report = apply(workbook(rows))
    change = next(c for c in report.changes if c.key == "Safer Partnership Board")
    assert change.outcome == "updated"
    assert change.before == {
        "chair": "cal@example.gov.uk",
        "members": ["ada@example.gov.uk", "ben@met.police.uk"],
    }
    assert change.after == {"chair": "ada@example.gov.uk", "members": ["cal@example.gov.uk"]}
    seats = {m.person.email: (m.role, m.end_date) for m in board.members.all()}
    yesterday = timezone.localdate() - timedelta(days=1)
    assert seats == {
        "ada@example.gov.uk": ("Chair", None),
        "cal@example.gov.uk": ("Member", None),
        "ben@met.police.uk": ("Member", yesterday),  # ended, kept
    }


def test_export_without_a_partnership_says_what_to_do() -> None:
    with pytest.raises(CommandError, match="saferboard init"):
        call_command("setup", "export", "--json", stdout=StringIO())


def test_a_contributor_left_out_keeps_its_contribution_ended(partnership: Partnership) -> None:
    apply(workbook(full_setup()))
    rows = full_setup()
    rows["commitments"][0]["contributing_organisations"] = ["Metropolitan Police Service"]
    report = apply(workbook(rows))
    assert report.counts()["Commitments"] == {"created": 0, "updated": 1, "unchanged": 1}
    gangs = Commitment.objects.get(number=1, parent__isnull=True)
    assert [o.name for o in gangs.contributors.all()] == ["Metropolitan Police Service"]
    victim_support = Contribution.objects.get(commitment=gangs, organisation__name="Victim Support")
    assert victim_support.ended_on == timezone.localdate()


def test_the_board_rules_are_the_settings_pages_rules(partnership: Partnership) -> None:
    rows = full_setup()
    rows["boards"][1]["parent"] = ""  # a sub-group must name the board it reports to
    (problem,) = problems_of(workbook(rows))
    assert (problem.file, problem.row, problem.column) == ("Boards", 3, "Parent")
    assert "reports to" in problem.message
