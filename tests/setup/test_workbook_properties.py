"""Property tests: any valid set-up survives the workbook unchanged, both through the file
(write → read) and through the database (import → export)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from saferboard.core.models import Partnership
from saferboard.setup.workbook_apply import import_workbook
from saferboard.setup.workbook_export import current_setup, write_workbook
from saferboard.setup.workbook_reader import read_workbook
from saferboard.setup.workbook_schema import ORGANISATION_TYPE_WORDS, ROLE_WORDS

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
