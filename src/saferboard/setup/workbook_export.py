"""The current set-up as workbook rows, written as a workbook or as JSON.

:func:`current_setup` reads the partnership into the same rows the reader produces, so
exporting and importing again changes nothing. :func:`write_workbook` writes rows (none
for the template) with a Notes sheet that explains every column.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from saferboard.core.models import Organisation, Partnership, Person
from saferboard.core.spreadsheet_cells import safe_text
from saferboard.meetings.models import Board
from saferboard.setup.workbook_schema import (
    ORGANISATION_TYPE_WORDS,
    ROLE_WORDS,
    SetupRows,
    board_kind_words,
    sheets,
)
from saferboard.strategy.models import Commitment, Priority, Strategy

CHAIR = "Chair"
"""The board seat role the Chair column sets (meetings.models.BoardMember.role)."""


def current_strategy(partnership: Partnership) -> Strategy | None:
    """The partnership's current strategy: the one that started last."""
    return partnership.strategies.order_by("-start_date", "-pk").first()


def commitment_number(commitment: Commitment) -> str:
    """A commitment's full number: "3.1", or "3.1.2" for a sub-commitment."""
    parent = commitment.parent
    if parent is not None:
        return f"{commitment_number(parent)}.{commitment.number}"
    return f"{commitment.priority.number}.{commitment.number}"


def current_setup(partnership: Partnership) -> SetupRows:
    """The partnership's set-up as workbook rows (sheet key → rows), in the workbook's
    words. Organisations that have left, people without an email address, retired
    priorities, commitments and boards are left out."""
    today = timezone.localdate()
    strategy = current_strategy(partnership)
    rows: SetupRows = {
        "partnership": [
            {
                "name": partnership.name,
                "strategy": strategy.title if strategy else "",
                "strategy_start": strategy.start_date.isoformat() if strategy else "",
                "strategy_end": strategy.end_date.isoformat() if strategy else "",
            }
        ]
    }
    organisations = Organisation.objects.filter(partnership=partnership).active_on(today)
    rows["organisations"] = [
        {
            "name": o.name,
            "type": ORGANISATION_TYPE_WORDS.get(o.type, o.type),
            "parent": o.parent.name if o.parent else "",
        }
        for o in organisations.select_related("parent").order_by("name")
    ]
    role_order = list(ROLE_WORDS)
    people = (
        Person.objects.filter(organisation__partnership=partnership)
        .exclude(email="")
        .select_related("organisation")
        .order_by("full_name", "email")
    )
    rows["people"] = []
    for person in people:
        roles = set(person.memberships.active_on(today).values_list("role", flat=True))
        rows["people"].append(
            {
                "name": person.full_name,
                "email": person.email,
                "organisation": person.organisation.name,
                "roles": [ROLE_WORDS[r] for r in sorted(roles, key=role_order.index)],
            }
        )
    priorities = (
        Priority.objects.filter(strategy=strategy, retired_on__isnull=True).order_by("number")
        if strategy
        else Priority.objects.none()
    )
    rows["priorities"] = [
        {"number": str(p.number), "title": p.title, "ambition": p.ambition} for p in priorities
    ]
    rows["commitments"] = []
    for priority in priorities:
        top = priority.commitments.filter(parent__isnull=True, retired_on__isnull=True)
        for commitment in top.order_by("number"):
            rows["commitments"].append(_commitment_row(commitment, priority))
            subs = commitment.children.filter(retired_on__isnull=True).order_by("number")
            rows["commitments"].extend(_commitment_row(s, priority) for s in subs)
    rows["boards"] = [_board_row(b, today) for b in _current_boards(partnership)]
    return rows


def _commitment_row(commitment: Commitment, priority: Priority) -> dict[str, Any]:
    commitment.priority = priority
    return {
        "priority": str(priority.number),
        "number": commitment_number(commitment),
        "text": commitment.title,
        "lead_organisation": commitment.lead_organisation.name
        if commitment.lead_organisation
        else "",
        "contributing_organisations": sorted(o.name for o in commitment.contributors.all()),
        "parent": commitment_number(commitment.parent) if commitment.parent else "",
    }


def _current_boards(partnership: Partnership) -> list[Board]:
    boards = Board.objects.filter(partnership=partnership).select_related("parent")
    if hasattr(Board, "retired_on"):
        boards = boards.filter(retired_on__isnull=True)
    return list(boards.order_by("name"))


def _board_row(board: Board, today: Any) -> dict[str, Any]:
    seats = board.members.active_on(today).select_related("person").order_by("person__full_name")
    chair = next((s.person.email for s in seats if s.role == CHAIR and s.person.email), "")
    members: list[str] = []
    for seat in seats:
        email = seat.person.email
        if email and email.lower() != chair.lower() and email not in members:
            members.append(email)
    return {
        "name": board.name,
        "kind": board_kind_words().get(board.kind, board.kind),
        "parent": board.parent.name if board.parent else "",
        "chair": chair,
        "members": members,
    }


def as_json(rows: SetupRows) -> dict[str, Any]:
    """The ``--json`` form: the partnership as one object, every other sheet a list."""
    partnership = rows.get("partnership") or [{}]
    data: dict[str, Any] = {"partnership": partnership[0] if partnership else {}}
    for sheet in sheets()[1:]:
        data[sheet.key] = rows.get(sheet.key, [])
    return data


def write_workbook(rows: SetupRows | None = None) -> bytes:
    """A set-up workbook holding ``rows`` (an empty template when None): a Notes sheet,
    then one sheet per kind with its header row."""
    rows = rows or {}
    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Sheet", "Column", "Required", "What it holds"])
    for sheet in sheets():
        notes.append([sheet.title, "", "", sheet.note])
        for column in sheet.columns:
            notes.append(
                [sheet.title, column.header, "yes" if column.required else "", column.note]
            )
    _style(notes, [16, 28, 10, 100])
    for sheet in sheets():
        page = book.create_sheet(sheet.title)
        page.append([c.header for c in sheet.columns])
        for row in rows.get(sheet.key, []):
            page.append([_cell(row.get(c.key), c.separator) for c in sheet.columns])
        _style(page, [max(14, min(60, len(c.header) + 12)) for c in sheet.columns])
        _dropdowns(page, sheet.key)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dropdowns(page: Any, sheet_key: str) -> None:
    """Offer the allowed words in a drop-down where a column takes one of a list (other
    spellings the reader accepts stay allowed: the list only helps)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    words = {
        "organisations": ("B", ORGANISATION_TYPE_WORDS.values()),
        "boards": ("B", board_kind_words().values()),
    }.get(sheet_key)
    if words is None:
        return
    column, allowed = words
    validation = DataValidation(
        type="list", formula1='"' + ",".join(allowed) + '"', showErrorMessage=False
    )
    page.add_data_validation(validation)
    validation.add(f"{column}2:{column}1000")


def _cell(value: Any, separator: str) -> str | None:
    if isinstance(value, list):
        value = f"{separator} ".join(value)
    if value is None or value == "":
        return None
    return safe_text(str(value))


def _style(page: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for cell in page[1]:
        cell.font = Font(bold=True)
    page.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        page.column_dimensions[get_column_letter(index)].width = width
    for row in page.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
