"""The set-up workbook's shape: its sheets, their columns and the words each column allows.

One table drives the template, the reader, the Notes sheet, the export and the JSON keys,
so they cannot drift apart. A row is a dict keyed by column key (the header in lower case
with spaces as underscores: "Lead organisation" is ``lead_organisation``); list columns
hold lists. Values are in the workbook's own words ("partner lead", "strategic board"),
which :func:`role_value`, :func:`board_kind_value` and :func:`organisation_type_value`
turn into what the models store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saferboard.core.models import OrganisationType, Role
from saferboard.meetings.models import BoardKind


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, JSON key and what a cell may hold."""

    header: str
    note: str
    required: bool = False
    separator: str = ""  # "," or ";" for a list column; "" for a single value
    max_length: int = 200  # what the model's field holds (each item, for a list)

    @property
    def key(self) -> str:
        """The row dict's (and the JSON's) key for this column."""
        return normalise_header(self.header).replace(" ", "_")

    @property
    def is_list(self) -> bool:
        return bool(self.separator)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook; ``key`` is its key in the JSON export."""

    title: str
    key: str
    note: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        """The column whose key is ``key``."""
        return next(c for c in self.columns if c.key == key)


def normalise_header(text: str) -> str:
    """A header as compared: lower case, underscores as spaces, single spaces."""
    return " ".join(text.replace("_", " ").lower().split())


def _word(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


# The workbook's word for each organisation type is its label in lower case; values and
# the short names are accepted too.
ORGANISATION_TYPE_WORDS: dict[str, str] = {
    value: label.lower() for value, label in OrganisationType.choices
}
_TYPE_SYNONYMS = {
    "fire": OrganisationType.FIRE,
    "ambulance": OrganisationType.AMBULANCE,
    "voluntary": OrganisationType.VOLUNTARY,
    "council department": OrganisationType.COUNCIL,
    "local authority": OrganisationType.COUNCIL,
    "youth justice": OrganisationType.YOUTH_JUSTICE,
    "youth offending service": OrganisationType.YOUTH_JUSTICE,
}

ROLE_WORDS: dict[str, str] = {value: label.lower() for value, label in Role.choices}

# The names for board kinds; a kind this installation does not have is left out.
_BOARD_KIND_NAMES = {
    "partnership": "strategic board",
    "yos": "youth justice management board",
    "sub_group": "sub-group",
    "improvement": "improvement board",
}


def board_kind_words() -> dict[str, str]:
    """Each board kind's value and the workbook's word for it."""
    return {
        value: _BOARD_KIND_NAMES.get(value, label.lower()) for value, label in BoardKind.choices
    }


def _lookup(
    choices: list[tuple[str, str]], words: Mapping[str, str], synonyms: Mapping[str, str], text: str
) -> str | None:
    """The stored value ``text`` names: by value, workbook word, label or synonym."""
    wanted = _word(text)
    for value, label in choices:
        if wanted in (_word(value), _word(words.get(value, "")), _word(str(label))):
            return value
    found = synonyms.get(wanted)
    return str(found) if found is not None else None


def organisation_type_value(text: str) -> str | None:
    """The stored organisation type a cell names (value, label or short name), or None."""
    return _lookup(OrganisationType.choices, ORGANISATION_TYPE_WORDS, _TYPE_SYNONYMS, text)


def role_value(text: str) -> str | None:
    """The stored role a cell names ("partner lead", "Partner_lead"), or None."""
    return _lookup(Role.choices, ROLE_WORDS, {}, text)


def board_kind_value(text: str) -> str | None:
    """The stored board kind a cell names ("strategic board", "sub-group"), or None."""
    synonyms = {
        "partnership board": "partnership",
        "yos management board": "yos",
        "subgroup": "sub_group",
    }
    synonyms = {k: v for k, v in synonyms.items() if v in BoardKind.values}
    return _lookup(BoardKind.choices, board_kind_words(), synonyms, text)


def _allowed(words: dict[str, str]) -> str:
    return "; ".join(words.values())


def sheets() -> tuple[Sheet, ...]:
    """The workbook's sheets in the order they are read and applied."""
    return (
        Sheet(
            "Partnership",
            "partnership",
            "One row: the partnership's name and its current strategy. Leave the strategy "
            "cells empty to keep the strategy as it is.",
            (
                Column("Name", "The partnership's name.", required=True),
                Column("Strategy", "The strategy's title, e.g. Community Safety Strategy."),
                Column("Strategy start", "The day the strategy starts (YYYY-MM-DD)."),
                Column("Strategy end", "The day the strategy ends (YYYY-MM-DD)."),
            ),
        ),
        Sheet(
            "Organisations",
            "organisations",
            "One row per partner organisation, found by name: a new name adds one.",
            (
                Column("Name", "The organisation's name, as people know it.", required=True),
                Column(
                    "Type",
                    "What kind of organisation: " + _allowed(ORGANISATION_TYPE_WORDS) + ".",
                    required=True,
                ),
                Column(
                    "Parent",
                    "The organisation this one is part of (a council department's council), "
                    "by name; empty if none.",
                ),
            ),
        ),
        Sheet(
            "People",
            "people",
            "One row per person, found by email. The workbook never makes sign-in "
            "accounts (invite people from the people page) and never changes your own "
            "roles. A role left out of Roles ends that role (its history is kept).",
            (
                Column("Name", "The person's full name.", required=True),
                Column(
                    "Email",
                    "Their work email address (how they are found).",
                    required=True,
                    max_length=254,
                ),
                Column("Organisation", "The organisation that employs them, by name.", True),
                Column(
                    "Roles",
                    "Their roles, separated by commas: " + _allowed(ROLE_WORDS) + ".",
                    separator=",",
                ),
            ),
        ),
        Sheet(
            "Priorities",
            "priorities",
            "One row per priority of the current strategy, found by number.",
            (
                Column("Number", "The priority's number: 1, 2, 3…", required=True),
                Column("Title", "The priority's title.", required=True),
                Column("Ambition", "The priority's ambition, in a sentence.", max_length=5000),
            ),
        ),
        Sheet(
            "Commitments",
            "commitments",
            "One row per commitment or sub-commitment, found by its number under its "
            "priority (and parent). Numbers may be written in full (3.1, 3.1.2) or as the "
            "last part only (1, 2).",
            (
                Column("Priority", "The priority's number.", required=True),
                Column(
                    "Number",
                    "The commitment's number, e.g. 3.1 (3.1.2 for a sub-commitment).",
                    True,
                ),
                Column(
                    "Text", "What the partnership commits to do.", required=True, max_length=300
                ),
                Column("Lead organisation", "The organisation that leads it, by name."),
                Column(
                    "Contributing organisations",
                    "The organisations that report on it, separated by semicolons.",
                    separator=";",
                ),
                Column(
                    "Parent",
                    "For a sub-commitment: its parent commitment's number (e.g. 3.1); empty "
                    "for a commitment.",
                ),
            ),
        ),
        Sheet(
            "Boards",
            "boards",
            "One row per board, found by name. A member left out of Members (and not the "
            "chair) leaves the board (their past seat is kept).",
            (
                Column("Name", "The board's name.", required=True),
                Column(
                    "Kind",
                    "What kind of board: " + _allowed(board_kind_words()) + ".",
                    required=True,
                ),
                Column("Parent", "For a sub-group: the board it reports to, by name."),
                Column("Chair", "The chair's email address (a person on the People sheet)."),
                Column(
                    "Members",
                    "The other members' email addresses, separated by semicolons.",
                    separator=";",
                ),
            ),
        ),
    )


def sheet_by_key(key: str) -> Sheet:
    """The sheet whose JSON key is ``key``."""
    return next(s for s in sheets() if s.key == key)


SetupRows = dict[str, list[dict[str, Any]]]
"""A whole set-up: sheet key → rows (each a dict keyed by column key). The partnership's
sheet holds at most one row."""


def empty_row(sheet: Sheet) -> dict[str, Any]:
    """A row of ``sheet`` with every cell empty."""
    return {c.key: [] if c.is_list else "" for c in sheet.columns}
