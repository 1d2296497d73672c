"""The first-use checklist: what a new partnership still has to set up.

Computed from the database on request (never stored), so it is always what is true now.
The counts are plain numbers; the words and links are added by :func:`checklist`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from saferboard.core.models import Organisation, Partnership, Person

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"


@dataclass(frozen=True)
class Task:
    """One line of the checklist."""

    key: str
    title: str
    url_name: str
    status: str
    detail: str

    @property
    def done(self) -> bool:
        return self.status == COMPLETED


@dataclass(frozen=True)
class Checklist:
    tasks: list[Task]

    @property
    def done(self) -> int:
        return sum(task.done for task in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class Counts:
    """What the partnership has, as the checklist counts it."""

    organisations: int
    people: int
    strategies: int
    priorities: int
    boards: int
    measures: int
    rounds: int


def counts(partnership: Partnership, today: date | None = None) -> Counts:
    """Count what is set up: current organisations and people with a current role, the
    strategies, and the priorities and boards not retired; measures and reporting rounds."""
    from saferboard.measures.models import Measure
    from saferboard.meetings.models import Board
    from saferboard.strategy.models import Priority, ReportingRound, Strategy

    today = today or timezone.localdate()
    organisations = Organisation.objects.filter(partnership=partnership).active_on(today)
    people = (
        Person.objects.filter(organisation__partnership=partnership)
        .filter(memberships__start_date__lte=today)
        .filter(Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        .distinct()
    )
    strategies = Strategy.objects.filter(partnership=partnership)
    priorities = Priority.objects.filter(strategy__partnership=partnership).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=today)
    )
    return Counts(
        organisations=organisations.count(),
        people=people.count(),
        strategies=strategies.count(),
        priorities=priorities.count(),
        boards=Board.objects.filter(partnership=partnership)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))
        .count(),
        measures=Measure.objects.count(),
        rounds=ReportingRound.objects.filter(strategy__partnership=partnership).count(),
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _status(have: int, enough: bool) -> str:
    if enough:
        return COMPLETED
    return IN_PROGRESS if have else NOT_STARTED


def tasks_from(c: Counts) -> Checklist:
    """The checklist for these counts (pure: no database).

    A partnership is more than one organisation, and more than its first administrator,
    so those two tasks need a second; a strategy needs a priority to report on.
    """
    return Checklist(
        [
            Task(
                "organisations",
                "Add your partner organisations",
                "core:organisations",
                _status(c.organisations, c.organisations >= 2),
                _plural(c.organisations, "organisation", "organisations"),
            ),
            Task(
                "people",
                "Invite people and give them their roles",
                "core:people",
                _status(c.people, c.people >= 2),
                _plural(c.people, "person", "people"),
            ),
            Task(
                "strategy",
                "Set up the strategy, its priorities and commitments",
                "strategy:settings",
                _status(c.strategies, c.strategies >= 1 and c.priorities >= 1),
                _plural(c.strategies, "strategy", "strategies")
                + ", "
                + _plural(c.priorities, "priority", "priorities"),
            ),
            Task(
                "boards",
                "Set up your boards",
                "meetings:board-settings",
                _status(c.boards, c.boards >= 1),
                _plural(c.boards, "board", "boards"),
            ),
            Task(
                "measures",
                "Check the measures and RAG rules",
                "measures:list",
                _status(c.measures, c.measures >= 1),
                _plural(c.measures, "measure", "measures"),
            ),
            Task(
                "round",
                "Open the first reporting round (a coordinator does this)",
                "strategy:index",
                _status(c.rounds, c.rounds >= 1),
                _plural(c.rounds, "reporting round", "reporting rounds"),
            ),
        ]
    )


def checklist(partnership: Partnership, today: date | None = None) -> Checklist:
    """The partnership's set-up checklist as it stands on ``today``."""
    return tasks_from(counts(partnership, today))


def rows(checklist: Checklist) -> list[dict[str, object]]:
    """The tasks for a template, each with its link's path (None: not available)."""
    from saferboard.setup.links import href

    return [
        {
            "key": task.key,
            "title": task.title,
            "status": task.status,
            "detail": task.detail,
            "done": task.done,
            "in_progress": task.status == IN_PROGRESS,
            "href": href(task.url_name),
        }
        for task in checklist.tasks
    ]
