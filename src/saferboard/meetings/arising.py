"""Matters arising (pure): the next meeting's report, generated from the action log.

Every action raised in an earlier meeting's minutes that is still open is carried
forward with its minute number and title, the matter, its owners, its latest update
and its status; actions closed since the last meeting are shown once more, closed,
so the board sees them go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class RaisedAction:
    """An action as raised in the minutes, with what has happened since."""

    minute_number: int
    minute_title: str
    raised_on: date
    reference: str
    matter: str
    owners: tuple[str, ...]
    due: date | None
    is_open: bool
    rag: str
    latest_update: str = ""
    latest_update_on: date | None = None
    closed_on: datetime | None = None
    closed_reason: str = ""
    action_id: int | None = None
    minute_suffix: str = ""  # the 'a' of minute 43a


@dataclass(frozen=True)
class ArisingRow:
    """One row of the matters arising report, ready to render or store as JSON."""

    minute: str
    minute_number: int
    reference: str
    matter: str
    owners: str
    due: str
    status: str
    rag: str
    update: str
    action_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def matters_arising(
    raised: Iterable[RaisedAction], meeting_date: date, previous_meeting: date | None
) -> list[ArisingRow]:
    """The rows for the meeting on ``meeting_date``, in minute order.

    Open actions raised before the meeting are carried forward; closed ones appear
    only if they closed after ``previous_meeting`` (the board has not seen them close).
    """
    rows = []
    for action in sorted(raised, key=lambda a: (a.minute_number, a.minute_suffix, a.reference)):
        if action.raised_on >= meeting_date:
            continue
        if not action.is_open:
            closed = action.closed_on.date() if action.closed_on else None
            if previous_meeting is None or closed is None or closed <= previous_meeting:
                continue
        rows.append(_row(action))
    return rows


def _row(action: RaisedAction) -> ArisingRow:
    if action.is_open:
        status = "Open"
        if action.latest_update:
            update = f"{action.latest_update_on:%-d %B %Y}: {action.latest_update}"
        else:
            update = "No update recorded"
    else:
        status = "Closed"
        update = f"Closed {action.closed_on:%-d %B %Y}: {action.closed_reason}"
    return ArisingRow(
        minute=f"{action.minute_number}{action.minute_suffix}. {action.minute_title}",
        minute_number=action.minute_number,
        reference=action.reference,
        matter=action.matter,
        owners=", ".join(action.owners) or "Not assigned",
        due=f"{action.due:%-d %B %Y}" if action.due else "Not set",
        status=status,
        rag=action.rag,
        update=update,
        action_id=action.action_id,
    )
