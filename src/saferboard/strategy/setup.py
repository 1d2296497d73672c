"""Setting up the strategy: create, change, reorder and retire its parts, audited.

The settings pages (and anything else that sets the strategy up) go through these
functions, each in one transaction, each change recorded as who, when, before and after
with :func:`saferboard.core.audit.record_change`. Nothing that partner updates or RAG
history refer to is ever deleted: priorities, commitments and on-track lines are
retired (``retired_on``), and an organisation that stops contributing keeps its
:class:`~saferboard.strategy.models.Contribution` (ended, with its RAG history).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core.audit import record_change, snapshot
from saferboard.core.models import Organisation, Partnership, User
from saferboard.strategy.models import (
    Commitment,
    Contribution,
    Priority,
    Strategy,
    SubPriority,
    SuccessIndicator,
)

if TYPE_CHECKING:
    from saferboard.measures.models import Measure

STRATEGY_FIELDS = ["title", "start_date", "end_date", "improvements_accepted_by"]
PRIORITY_FIELDS = [
    "number",
    "title",
    "ambition",
    "aim",
    "substantive_quarter",
    "lead_organisations",
    "retired_on",
]
COMMITMENT_FIELDS = [
    "number",
    "title",
    "parent",
    "lead_organisation",
    "contributors",
    "retired_on",
]
INDICATOR_FIELDS = ["text", "measure", "order", "retired_on"]


class SetupRefused(Exception):
    """The change cannot be made; ``message`` says why, in the user's terms."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Who:
    """Who makes a change, for the audit log: a signed-in request or a named user."""

    actor: User | None = None
    request: HttpRequest | None = None

    def audit(self, obj, before, after, **detail) -> None:  # type: ignore[no-untyped-def]
        record_change(
            obj, before=before, after=after, actor=self.actor, request=self.request, **detail
        )


# The strategy ------------------------------------------------------------------------------


@transaction.atomic
def save_strategy(
    partnership: Partnership,
    *,
    title: str,
    start_date: date,
    end_date: date,
    improvements_accepted_by: str | None = None,
    strategy: Strategy | None = None,
    who: Who,
) -> Strategy:
    """Create the partnership's strategy, or change its name and years."""
    if end_date < start_date:
        raise SetupRefused("The end date must be on or after the start date", field="end_date")
    before = snapshot(strategy, STRATEGY_FIELDS) if strategy else None
    if strategy is None:
        strategy = Strategy(partnership=partnership)
    strategy.title = title.strip()
    strategy.start_date, strategy.end_date = start_date, end_date
    if improvements_accepted_by:
        strategy.improvements_accepted_by = improvements_accepted_by
    strategy.save()
    who.audit(strategy, before, snapshot(strategy, STRATEGY_FIELDS))
    return strategy


# Priorities ---------------------------------------------------------------------------------


@dataclass
class PriorityChanges:
    """What the priority form sets."""

    title: str
    number: int | None = None  # None: the next free number
    ambition: str = ""
    aim: str = ""
    substantive_quarter: int | None = None
    leads: Sequence[Organisation] = ()
    tackle: Sequence[str] = field(default_factory=list)  # 'what we will tackle', in order


def next_priority_number(strategy: Strategy) -> int:
    return (strategy.priorities.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def save_priority(
    strategy: Strategy,
    changes: PriorityChanges,
    *,
    priority: Priority | None = None,
    who: Who,
) -> Priority:
    """Create or change a priority, its lead organisations and what it will tackle."""
    number = changes.number or (priority.number if priority else next_priority_number(strategy))
    clash = strategy.priorities.filter(number=number)
    if priority is not None:
        clash = clash.exclude(pk=priority.pk)
    if clash.exists():
        raise SetupRefused(
            f"Priority {number} already exists: choose another number", field="number"
        )
    before = _priority_snapshot(priority) if priority else None
    if priority is None:
        priority = Priority(strategy=strategy)
    priority.number = number
    priority.title = changes.title.strip()
    priority.ambition = changes.ambition.strip()
    priority.aim = changes.aim.strip()
    priority.substantive_quarter = changes.substantive_quarter
    priority.save()
    priority.lead_organisations.set(list(changes.leads))
    _set_tackle(priority, changes.tackle)
    who.audit(priority, before, _priority_snapshot(priority))
    return priority


def _priority_snapshot(priority: Priority) -> dict[str, Any]:
    values = snapshot(priority, PRIORITY_FIELDS)
    values["what_we_will_tackle"] = [s.title for s in priority.sub_priorities.all()]
    return values


def _set_tackle(priority: Priority, titles: Iterable[str]) -> None:
    """Make the priority's 'what we will tackle' lines exactly ``titles``, in order.
    (Nothing else refers to these lines, so a removed one is deleted.)"""
    wanted = [t.strip() for t in titles if t.strip()]
    existing = {s.title: s for s in priority.sub_priorities.all()}
    for order, title in enumerate(wanted, start=1):
        line = existing.pop(title, None) or SubPriority(priority=priority, title=title)
        line.order = order
        line.save()
    for line in existing.values():
        line.delete()


@transaction.atomic
def move_priority(priority: Priority, *, up: bool, who: Who) -> Priority:
    """Swap the priority's number with the one above (or below) it."""
    siblings = priority.strategy.priorities.exclude(pk=priority.pk)
    neighbour = (
        siblings.filter(number__lt=priority.number).order_by("-number").first()
        if up
        else siblings.filter(number__gt=priority.number).order_by("number").first()
    )
    if neighbour is None:
        return priority
    mine, theirs = priority.number, neighbour.number
    # The numbers are unique per strategy: park one out of the way while swapping.
    parked = next_priority_number(priority.strategy) + 1000
    Priority.objects.filter(pk=priority.pk).update(number=parked)
    Priority.objects.filter(pk=neighbour.pk).update(number=mine)
    Priority.objects.filter(pk=priority.pk).update(number=theirs)
    who.audit(priority, {"number": mine}, {"number": theirs}, reordered=True)
    who.audit(neighbour, {"number": theirs}, {"number": mine}, reordered=True)
    priority.refresh_from_db()
    return priority


def _set_retired(
    item: Priority | Commitment | SuccessIndicator, retired_on: date | None, who: Who
) -> None:
    """Retire ``item`` from ``retired_on`` (None: reinstate it), audited before and after."""
    before = snapshot(item, ["retired_on"])
    item.retired_on = retired_on
    item.save(update_fields=["retired_on"])
    who.audit(item, before, snapshot(item, ["retired_on"]))


@transaction.atomic
def retire_priority(priority: Priority, *, on: date | None = None, who: Who) -> Priority:
    """Take the priority out of the strategy from ``on`` (today); its history stays."""
    _set_retired(priority, on or timezone.localdate(), who)
    return priority


@transaction.atomic
def reinstate_priority(priority: Priority, *, who: Who) -> Priority:
    _set_retired(priority, None, who)
    return priority


# Commitments and sub-commitments --------------------------------------------------------------


@dataclass
class CommitmentChanges:
    """What the commitment form sets."""

    title: str
    number: int | None = None  # None: the next free number under the priority or parent
    lead_organisation: Organisation | None = None
    contributors: Sequence[Organisation] = ()


def _siblings(priority: Priority, parent: Commitment | None):  # type: ignore[no-untyped-def]
    if parent is not None:
        return parent.children.all()
    return priority.commitments.filter(parent__isnull=True)


def next_commitment_number(priority: Priority, parent: Commitment | None = None) -> int:
    return (_siblings(priority, parent).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def save_commitment(
    priority: Priority,
    changes: CommitmentChanges,
    *,
    parent: Commitment | None = None,
    commitment: Commitment | None = None,
    who: Who,
    on: date | None = None,
) -> Commitment:
    """Create or change a commitment (or, with ``parent``, a sub-commitment).

    Contributions follow the contributors: a new contributor gets its Contribution (or
    its ended one back); one no longer contributing has its Contribution ended ``on``
    (today), its RAG history kept.
    """
    if commitment is not None:
        parent = commitment.parent
    if parent is not None and parent.parent_id is not None:
        raise SetupRefused("A sub-commitment cannot have sub-commitments of its own")
    if parent is not None and parent.priority_id != priority.pk:
        raise SetupRefused("A sub-commitment belongs to its commitment's priority")
    number = changes.number or (
        commitment.number if commitment else next_commitment_number(priority, parent)
    )
    clash = _siblings(priority, parent).filter(number=number)
    if commitment is not None:
        clash = clash.exclude(pk=commitment.pk)
    if clash.exists():
        where = (
            f"{parent.display_number}.{number}"
            if parent is not None
            else f"{priority.number}.{number}"
        )
        raise SetupRefused(f"{where} already exists: choose another number", field="number")
    before = snapshot(commitment, COMMITMENT_FIELDS) if commitment else None
    if commitment is None:
        commitment = Commitment(priority=priority, parent=parent)
    commitment.number = number
    commitment.title = changes.title.strip()
    commitment.lead_organisation = changes.lead_organisation
    commitment.save()
    sync_contributors(commitment, changes.contributors, on=on)
    who.audit(commitment, before, snapshot(commitment, COMMITMENT_FIELDS))
    return commitment


def sync_contributors(
    commitment: Commitment, organisations: Iterable[Organisation], *, on: date | None = None
) -> None:
    """Make ``organisations`` the commitment's contributors, keeping Contribution rows in
    step (created, re-opened or ended; never deleted)."""
    wanted = {o.pk: o for o in organisations}
    commitment.contributors.set(list(wanted.values()))
    ended_on = on or timezone.localdate()
    for contribution in Contribution.objects.filter(commitment=commitment):
        if contribution.organisation_id in wanted:
            if contribution.ended_on is not None:
                contribution.ended_on = None
                contribution.save(update_fields=["ended_on"])
            wanted.pop(contribution.organisation_id)
        elif contribution.ended_on is None:
            contribution.ended_on = ended_on
            contribution.save(update_fields=["ended_on"])
    for organisation in wanted.values():
        Contribution.objects.create(commitment=commitment, organisation=organisation)


@transaction.atomic
def move_commitment(commitment: Commitment, *, up: bool, who: Who) -> Commitment:
    """Swap a commitment's (or sub-commitment's) number with its neighbour's."""
    siblings = _siblings(commitment.priority, commitment.parent).exclude(pk=commitment.pk)
    neighbour = (
        siblings.filter(number__lt=commitment.number).order_by("-number").first()
        if up
        else siblings.filter(number__gt=commitment.number).order_by("number").first()
    )
    if neighbour is None:
        return commitment
    mine, theirs = commitment.number, neighbour.number
    # Numbers are unique among siblings: park one out of the way while swapping.
    parked = next_commitment_number(commitment.priority, commitment.parent) + 1000
    Commitment.objects.filter(pk=commitment.pk).update(number=parked)
    Commitment.objects.filter(pk=neighbour.pk).update(number=mine)
    Commitment.objects.filter(pk=commitment.pk).update(number=theirs)
    who.audit(commitment, {"number": mine}, {"number": theirs}, reordered=True)
    who.audit(neighbour, {"number": theirs}, {"number": mine}, reordered=True)
    commitment.refresh_from_db()
    return commitment


@transaction.atomic
def retire_commitment(commitment: Commitment, *, on: date | None = None, who: Who) -> Commitment:
    """Take a commitment (and its sub-commitments) out of new rounds from ``on``."""
    retired_on = on or timezone.localdate()
    for item in [commitment, *commitment.children.filter(retired_on__isnull=True)]:
        _set_retired(item, retired_on, who)
    return commitment


@transaction.atomic
def reinstate_commitment(commitment: Commitment, *, who: Who) -> Commitment:
    _set_retired(commitment, None, who)
    return commitment


# How we will know we are on track ----------------------------------------------------------------


@transaction.atomic
def save_indicator(
    commitment: Commitment,
    *,
    text: str,
    measure: Measure | None = None,
    indicator: SuccessIndicator | None = None,
    who: Who,
) -> SuccessIndicator:
    """Add or change an 'on track' line, optionally linked to a measure."""
    before = snapshot(indicator, INDICATOR_FIELDS) if indicator else None
    if indicator is None:
        last = commitment.indicators.aggregate(n=Max("order"))["n"] or 0
        indicator = SuccessIndicator(commitment=commitment, order=last + 1)
    indicator.text = text.strip()
    indicator.measure = measure
    indicator.save()
    who.audit(indicator, before, snapshot(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def retire_indicator(
    indicator: SuccessIndicator, *, on: date | None = None, who: Who
) -> SuccessIndicator:
    _set_retired(indicator, on or timezone.localdate(), who)
    return indicator
