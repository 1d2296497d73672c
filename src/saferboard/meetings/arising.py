"""Matters arising (pure): the next meeting's report, generated from the action log.

Every action raised in an earlier meeting's minutes that is still open is carried
forward with its minute number and title, the matter, its owners, its latest update
and its status; actions closed since the last meeting are shown once more, closed,
so the board sees them go.
"""

from __future__ import annotations

import re
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


# Proposed completions --------------------------------------------------------------------
#
# A lead's Blue ("complete") is held as a proposal until the board accepts it
# (actions.completion). The board sees it at its next meeting: the proposals on its own
# action log in the matters arising, those on the partnership's other plans in the
# action-plan section, each with the lead's evidence and the page where it is decided.


@dataclass(frozen=True)
class ProposedCompletion:
    """A Blue awaiting the board, as the pack lists it."""

    plan_id: int
    plan_title: str
    reference: str
    matter: str
    proposed_by: str
    proposed_on: date
    reason: str  # the lead's evidence, in their words
    evidence_files: int  # files attached to the action as evidence
    decision_url: str  # where a chair or coordinator accepts or returns it
    minute: str = ""  # '43a': the minute that raised it (board action logs)


@dataclass(frozen=True)
class CompletionRow:
    """One row of the "Proposed completions for acceptance" table."""

    action: str
    matter: str
    proposed: str
    evidence: str
    decision: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _reference_key(reference: str) -> tuple[Any, ...]:
    """'A2' before 'A12': digits compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", reference)
        if part
    )


def completion_rows(
    proposals: Iterable[ProposedCompletion], meeting_date: date
) -> list[CompletionRow]:
    """The proposals made before ``meeting_date``, in plan and action order, as rows
    (one made on the day is for the meeting after)."""
    listed = sorted(
        (p for p in proposals if p.proposed_on < meeting_date),
        key=lambda p: (p.plan_title.lower(), _reference_key(p.reference)),
    )
    rows = []
    for p in listed:
        files = p.evidence_files
        attached = f"{files} evidence file{'s' if files != 1 else ''} attached" if files else ""
        evidence = p.reason + (f" ({attached})" if attached else "")
        action = f"{p.reference}" + (f" (minute {p.minute})" if p.minute else "")
        rows.append(
            CompletionRow(
                action=action,
                matter=p.matter,
                proposed=f"{p.proposed_by}, {p.proposed_on:%-d %B %Y}",
                evidence=evidence,
                decision=p.decision_url,
            )
        )
    return rows
