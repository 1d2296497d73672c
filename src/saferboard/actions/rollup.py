"""Roll-up of an action plan (pure): RAG counts, what is overdue, what changed.

Everything here works on plain values, so the plan page, the board pack and the
command line give the same figures, and the tests can check them by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from saferboard.actions.timescale import Cadence
from saferboard.core.periods import add_months
from saferboard.core.rag import RAG_ORDER, status_label


@dataclass(frozen=True)
class RagCounts:
    """How many actions hold each status ('' counts those never rated)."""

    red: int = 0
    amber: int = 0
    green: int = 0
    blue: int = 0
    not_rated: int = 0
    # Of those counted, how many have a Blue proposed and awaiting the board: they are
    # counted under their accepted status, never as Blue, until the board accepts.
    blue_proposed: int = 0

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.blue + self.not_rated

    def as_pairs(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in board order, not-rated last."""
        pairs = [(s, status_label(s), getattr(self, s)) for s in RAG_ORDER]
        return [*pairs, ("", status_label(""), self.not_rated)]

    def sentence(self) -> str:
        """'of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue' (not rated only if any)."""
        noun = "action" if self.total == 1 else "actions"
        parts = [f"{getattr(self, s)} {status_label(s)}" for s in RAG_ORDER]
        if self.not_rated:
            parts.append(f"{self.not_rated} not rated")
        text = f"of {self.total} {noun}: " + ", ".join(parts)
        if self.blue_proposed:
            text += f" ({self.blue_proposed} Blue proposed, awaiting the board)"
        return text


def count_rag(statuses: Iterable[str | None]) -> RagCounts:
    """Count actions by their (first) RAG status.

    A split rating ("Amber/Green") counts under its first status, as boards count it:
    each action is counted once, so the parts add up to the total.
    """
    counts = Counter((s or "") for s in statuses)
    unknown = set(counts) - {*RAG_ORDER, ""}
    if unknown:
        raise ValueError(f"Unknown RAG status {sorted(unknown)[0]!r}")
    return RagCounts(
        red=counts["red"],
        amber=counts["amber"],
        green=counts["green"],
        blue=counts["blue"],
        not_rated=counts[""],
    )


def count_accepted(ratings: Iterable[tuple[str | None, bool]]) -> RagCounts:
    """Count (accepted status, Blue proposed?) pairs: each action under the rating the
    board has accepted; a proposed Blue counts as its previous rating until accepted,
    and is also tallied in ``blue_proposed``."""
    ratings = list(ratings)
    counts = count_rag(status for status, _ in ratings)
    proposed = sum(1 for _, is_proposed in ratings if is_proposed)
    return replace(counts, blue_proposed=proposed)


def count_by_area(
    rows: Iterable[tuple[str, str | None] | tuple[str, str | None, bool]],
) -> dict[str, RagCounts]:
    """RAG counts per area from (area, status) or (area, status, Blue proposed?) rows,
    areas in first-seen order."""
    grouped: dict[str, list[tuple[str | None, bool]]] = {}
    for row in rows:
        area, status = row[0], row[1]
        proposed = bool(row[2]) if len(row) > 2 else False
        grouped.setdefault(area, []).append((status, proposed))
    return {area: count_accepted(ratings) for area, ratings in grouped.items()}


@dataclass(frozen=True)
class ActionDates:
    """The facts about one action that decide whether it is overdue."""

    reference: str
    is_open: bool
    rag_status: str | None = None
    commence: date | None = None
    completion: date | None = None
    ongoing: bool = False
    review: Cadence | None = None
    last_reviewed: date | None = None
    review_date: date | None = None


def next_review_due(action: ActionDates) -> date | None:
    """When the action is next due for review: one cadence after its last review, or
    after it commenced if never reviewed. Without a cadence, a dated review ("Review:
    June 2016") is due on its date until a review on or after it. ``None`` otherwise."""
    if action.review is None:
        if action.review_date is None:
            return None
        if action.last_reviewed is not None and action.last_reviewed >= action.review_date:
            return None
        return action.review_date
    anchor = action.last_reviewed or action.commence
    if anchor is None:
        return None
    return add_months(anchor, action.review.months)


def is_overdue_for_completion(action: ActionDates, today: date) -> bool:
    """Open, not ongoing, not Blue, and its completion date has passed."""
    return (
        action.is_open
        and not action.ongoing
        and action.rag_status != "blue"
        and action.completion is not None
        and action.completion < today
    )


def is_overdue_for_review(action: ActionDates, today: date) -> bool:
    """Open and its next review date has passed."""
    due = next_review_due(action)
    return action.is_open and due is not None and due < today


@dataclass(frozen=True)
class Overdue:
    for_completion: list[ActionDates]
    for_review: list[ActionDates]


def overdue(actions: Iterable[ActionDates], today: date) -> Overdue:
    """The actions overdue for completion and for review on ``today``, in the given order."""
    actions = list(actions)
    return Overdue(
        for_completion=[a for a in actions if is_overdue_for_completion(a, today)],
        for_review=[a for a in actions if is_overdue_for_review(a, today)],
    )


@dataclass(frozen=True)
class Change:
    """One thing that happened to an action: a RAG change, an update, a step, a closure."""

    reference: str
    at: datetime
    kind: str
    summary: str


def changes_since(changes: Iterable[Change], since: datetime | None) -> list[Change]:
    """Changes strictly after ``since`` (all when there was no review), newest first."""
    chosen = [c for c in changes if since is None or c.at > since]
    return sorted(chosen, key=lambda c: (c.at, c.reference), reverse=True)
