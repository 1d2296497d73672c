"""Property tests: any valid set-up survives the workbook unchanged, both through the file
(write → read) and through the database (import → export)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from saferboard.core.models import AuditEvent, Organisation, Partnership, Person
from saferboard.setup.workbook_apply import WorkbookRejected, import_workbook
from saferboard.setup.workbook_export import current_setup, write_workbook
from saferboard.setup.workbook_reader import WorkbookUnreadable, read_workbook
from saferboard.setup.workbook_schema import ORGANISATION_TYPE_WORDS, ROLE_WORDS, sheets
from tests.fuzz.hostile import ODD_DATES, hostile_text_under, mangled
from tests.fuzz.isolation import fresh_example

pytestmark = pytest.mark.django_db

# Letters, digits and the punctuation names carry, including characters a spreadsheet
# would run as a formula at the start of a cell (=, +, -, @).
NAME_CHARS = st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF) | st.sampled_from(
    list(" -'&=+@.()é")
)
text = (
    st.text(NAME_CHARS, min_size=1, max_size=24)
    .map(str.strip)
    .filter(lambda t: t and not t.startswith("'"))
)
emails = st.from_regex(r"[a-z][a-z0-9]{0,6}@[a-z]{2,6}\.(org|gov\.uk)", fullmatch=True)
ROLES = list(ROLE_WORDS.values())
TOP_KINDS = ["strategic board", "youth justice management board"]


def unique(values: st.SearchStrategy[str], min_size: int, max_size: int) -> Any:
    return st.lists(values, min_size=min_size, max_size=max_size, unique_by=str.lower)


@st.composite
def setups(draw: Any) -> dict[str, list[dict[str, Any]]]:
    organisations: list[dict[str, Any]] = []
    for name in draw(unique(text, 1, 5)):
        parents = [o["name"] for o in organisations]
        organisations.append(
            {
                "name": name,
                "type": draw(st.sampled_from(list(ORGANISATION_TYPE_WORDS.values()))),
                "parent": draw(st.sampled_from(["", *parents])),
            }
        )
    org_names = [o["name"] for o in organisations]
    people = []
    person_names = draw(unique(text, 0, 5))
    for name, email in zip(
        person_names, draw(unique(emails, len(person_names), len(person_names))), strict=True
    ):
        roles = draw(st.lists(st.sampled_from(ROLES), unique=True))
        people.append(
            {
                "name": name,
                "email": email,
                "organisation": draw(st.sampled_from(org_names)),
                "roles": sorted(roles, key=ROLES.index),
            }
        )
    numbers = sorted(draw(st.sets(st.integers(1, 6), max_size=3)))
    priorities = [
        {
            "number": str(n),
            "title": draw(text),
            "ambition": draw(st.sampled_from(["", "Less harm."])),
        }
        for n in numbers
    ]
    commitments = []
    for n in numbers:
        for c in range(1, draw(st.integers(0, 2)) + 1):
            rows = [(f"{n}.{c}", "")] + [
                (f"{n}.{c}.{s}", f"{n}.{c}") for s in range(1, draw(st.integers(0, 2)) + 1)
            ]
            for number, parent in rows:
                commitments.append(
                    {
                        "priority": str(n),
                        "number": number,
                        "text": draw(text),
                        "lead_organisation": draw(st.sampled_from(["", *org_names])),
                        "contributing_organisations": sorted(
                            draw(st.lists(st.sampled_from(org_names), unique=True, max_size=3))
                        ),
                        "parent": parent,
                    }
                )
    boards: list[dict[str, Any]] = []
    emails_by_name = {p["email"]: p["name"] for p in people}
    for name in draw(unique(text, 0, 3)):
        earlier = [b["name"] for b in boards]
        parent = draw(st.sampled_from(["", *earlier])) if earlier else ""
        chair = draw(st.sampled_from(["", *emails_by_name]))
        members = draw(
            st.lists(
                st.sampled_from([e for e in emails_by_name if e != chair] or [""]), unique=True
            )
        )
        boards.append(
            {
                "name": name,
                "kind": "sub-group" if parent else draw(st.sampled_from(TOP_KINDS)),
                "parent": parent,
                "chair": chair,
                "members": sorted((m for m in members if m), key=emails_by_name.__getitem__),
            }
        )
    return {
        "partnership": [
            {
                "name": "Property Partnership",
                "strategy": "Strategy",
                "strategy_start": "2025-04-01",
                "strategy_end": "2028-03-31",
            }
        ],
        "organisations": organisations,
        "people": people,
        "priorities": priorities,
        "commitments": commitments,
        "boards": boards,
    }


def comparable(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[Any]]:
    """Rows with every list sorted, and each sheet's rows sorted, so database ordering
    (collation) does not matter."""
    out: dict[str, list[Any]] = {}
    for key, sheet_rows in rows.items():
        out[key] = sorted(
            (sorted((k, sorted(v) if isinstance(v, list) else v) for k, v in r.items()))
            for r in sheet_rows
        )
    return out


@settings(max_examples=40)
@given(setups())
def test_any_valid_set_up_survives_the_file(setup: dict[str, list[dict[str, Any]]]) -> None:
    read = read_workbook(write_workbook(setup))
    assert read.problems == []
    assert {k: [row for _, row in v] for k, v in read.rows.items()} == setup


@settings(max_examples=25)
@given(setups())
def test_any_valid_set_up_survives_import_and_export(
    setup: dict[str, list[dict[str, Any]]],
) -> None:
    with transaction.atomic():
        partnership = Partnership.objects.create(name="Property Partnership", slug="property")
        report = import_workbook(read_workbook(write_workbook(setup)))
        assert report.counts()["Organisations"]["created"] == len(setup["organisations"])
        assert comparable(current_setup(partnership)) == comparable(setup)
        again = import_workbook(read_workbook(write_workbook(current_setup(partnership))))
        assert not again.changed
        transaction.set_rollback(True)


# -- hostile workbooks ----------------------------------------------------------------

PLAUSIBLE = [
    "Example Council",
    "Police",
    "council",
    "partner lead, administrator",
    "coordinator,,overlord",
    "a@b.org",
    "a@b.org; not-an-email",
    "3.1",
    "3.1.2",
    "1",
    "0",
    "strategic board",
    "sub-group",
    "2025-04-01",
    "31/02/2024",
]
hostile_cell = st.one_of(
    hostile_text_under(300),
    st.sampled_from(PLAUSIBLE),
    st.sampled_from(ODD_DATES),
    st.integers(-5, 10),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def hostile_workbooks(draw: Any) -> bytes:
    """Some of the workbook's sheets, their headers shuffled and cut short, hostile rows,
    sometimes the file's bytes mangled."""
    book = Workbook()
    book.remove(book.active)
    for sheet in draw(st.lists(st.sampled_from(list(sheets())), unique=True, max_size=6)):
        page = book.create_sheet(draw(st.sampled_from([sheet.title, sheet.title.upper()])))
        headers = [c.header for c in sheet.columns]
        headers = draw(st.permutations(headers))[: draw(st.integers(0, len(headers)))]
        extra = draw(st.lists(hostile_text_under(20), max_size=2))
        page.append(_cells([*headers, *extra]))
        for _ in range(draw(st.integers(0, 4))):
            page.append(_cells([draw(hostile_cell) for _ in headers]))
    if not book.sheetnames:
        book.create_sheet("Something else")
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    return draw(mangled(data)) if draw(st.integers(0, 4)) == 0 else data


def _cells(values: list[Any]) -> list[Any]:
    """Cells as openpyxl can hold them (it refuses control characters)."""
    return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]


@pytest.mark.fuzz
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile_workbooks())
def test_a_hostile_workbook_is_applied_whole_or_refused_with_located_problems(
    data: bytes,
) -> None:
    titles = {s.title for s in sheets()}
    with fresh_example():
        Partnership.objects.create(name="Fuzz Partnership", slug="fuzz")
        before = (Organisation.objects.count(), Person.objects.count(), AuditEvent.objects.count())
        try:
            read = read_workbook(data, "hostile.xlsx")
        except WorkbookUnreadable as error:
            assert error.problem.file == "hostile.xlsx"
            return
        try:
            import_workbook(read, dry_run=True)
        except WorkbookRejected as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file in titles, problem
                assert problem.row is None or problem.row >= 1, problem
        after = (Organisation.objects.count(), Person.objects.count(), AuditEvent.objects.count())
        assert after == before  # a dry run changes nothing, refused or not
