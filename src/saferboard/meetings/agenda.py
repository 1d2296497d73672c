"""The shape of an agenda: item numbers (7, 7a, 7b, 8), moving items, and what each
item will contain in the pack.

Pure functions over plain values, so the numbering and the moves are tested without a
database and the agenda page, the agenda document and the pack number items alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from saferboard.reports.sections import kind_label

Direction = Literal["up", "down"]

# The pack's priority report reads a priority's number from the title the same way.
_PRIORITY_NUMBER = re.compile(r"\bpriority\s+(\d+)", re.I)


@dataclass(frozen=True)
class Slot:
    """One agenda item as the numbering sees it: its id and its parent's id (if any)."""

    pk: int
    parent: int | None = None


def letter(n: int) -> str:
    """The suffix of the ``n``th sub-item: 1 → 'a', 26 → 'z', 27 → 'aa'."""
    if n < 1:
        raise ValueError("Sub-items count from 1")
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def numbers(slots: Sequence[Slot]) -> dict[int, str]:
    """The printed number of each item, in agenda order: main items 1, 2, 3…; a
    sub-item its parent's number and a letter in order ('7a', '7b').

    A sub-item whose parent is not before it in ``slots`` is numbered as a main item
    (it cannot happen through the services; a shown number is better than an error)."""
    result: dict[int, str] = {}
    main = 0
    subs: dict[int, int] = {}
    for slot in slots:
        if slot.parent is not None and slot.parent in result:
            subs[slot.parent] = subs.get(slot.parent, 0) + 1
            result[slot.pk] = f"{result[slot.parent]}{letter(subs[slot.parent])}"
        else:
            main += 1
            result[slot.pk] = str(main)
    return result


def blocks(slots: Sequence[Slot]) -> list[list[Slot]]:
    """The agenda as main items each followed by its sub-items."""
    found: list[list[Slot]] = []
    index: dict[int, list[Slot]] = {}
    for slot in slots:
        if slot.parent is not None and slot.parent in index:
            index[slot.parent].append(slot)
        else:
            block = [slot]
            index[slot.pk] = block
            found.append(block)
    return found


def ordered(slots: Sequence[Slot]) -> list[Slot]:
    """``slots`` with every sub-item straight after its parent (and its earlier
    siblings), main items keeping their order."""
    return [slot for block in blocks(slots) for slot in block]


def moved(slots: Sequence[Slot], pk: int, direction: Direction) -> list[Slot]:
    """The agenda order after moving item ``pk`` one place up or down.

    A main item swaps with the main item before or after it, taking its sub-items with
    it; a sub-item swaps with a sibling and never leaves its parent. Moving the first
    item up or the last down changes nothing."""
    step = -1 if direction == "up" else 1
    groups = blocks(slots)
    for i, block in enumerate(groups):
        if block[0].pk == pk:
            j = i + step
            if 0 <= j < len(groups):
                groups[i], groups[j] = groups[j], groups[i]
            return [slot for group in groups for slot in group]
        subs = block[1:]
        for k, slot in enumerate(subs):
            if slot.pk == pk:
                j = k + step
                if 0 <= j < len(subs):
                    subs[k], subs[j] = subs[j], subs[k]
                groups[i] = [block[0], *subs]
                return [slot for group in groups for slot in group]
    raise KeyError(pk)


@dataclass(frozen=True)
class ContentFacts:
    """What the preview of an item needs to know, gathered by the caller."""

    kind: str
    papers: int = 0
    appendices: int = 0
    area: str = ""
    title: str = ""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def preview(facts: ContentFacts) -> str:
    """What the item will contain in the pack, in a line for the agenda page:
    'Crime dashboard: rolling-year figures for Lambeth', 'Paper: 2 linked papers'."""
    extra = ""
    if facts.appendices:
        extra = f", and {_count(facts.appendices, 'appended PDF', 'appended PDFs')}"
    kind = facts.kind
    if kind == "paper":
        if not facts.papers and not facts.appendices:
            return "Paper: no papers linked yet, so nothing is printed"
        listed = _count(facts.papers, "linked paper", "linked papers")
        return f"Paper: {listed}{extra}" if facts.papers else f"Paper: {extra[2:]}"
    if kind == "verbal":
        return f"Verbal: nothing printed{extra}"
    if kind == "crime_dashboard":
        where = facts.area or "the partnership's area"
        return f"Crime dashboard: rolling-year figures for {where}{extra}"
    if kind == "youth_justice":
        return f"Youth justice performance: the KPI table{extra}"
    if kind == "priority_report":
        named = _PRIORITY_NUMBER.search(facts.title)
        which = f"priority {named.group(1)}" if named else "every priority in scope"
        return f"Report of a priority: the quarter's progress report of {which}{extra}"
    if kind == "action_plans":
        return f"Action plans: RAG counts and overdue actions per plan{extra}"
    if kind == "matters_arising":
        return f"Matters arising: actions from earlier meetings{extra}"
    if kind == "minutes":
        return f"Minutes: the previous meeting's minutes{extra}"
    return f"{kind_label(kind)}{extra}"
