"""Children in custody on a date (the custody snapshot), from the case records.

A child is in custody on a day when a custodial outcome (detention and training order,
section 250 detention, other custody) is dated on or before it and the child has not
been released by then: the release date is after the day, or blank (still in custody).
That is the *sentenced* population. Remands (``remands.csv``, optional) add the
*remanded* one: a child is on remand on a day when a remand episode started on or
before it and has not ended by then (end after the day, or blank). A remand to youth
detention accommodation is custody; the other remands are in the community. As in the
Youth Custody Report, the snapshot gives the sentenced and the remanded children apart
and counts each child once in the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from saferboard.youthjustice.definitions import CUSTODIAL
from saferboard.youthjustice.remands import YDA, RemandEpisode

if TYPE_CHECKING:
    from saferboard.youthjustice.models import Service


def open_on(start: date, end: date | None, on: date) -> bool:
    """Whether a spell from ``start`` to ``end`` (blank: still open) covers the day
    ``on``: started on or before it and not ended by then (ending on the day is out)."""
    return start <= on and (end is None or end > on)


def in_custody_on(outcomes: Iterable[tuple[int, str, date, date | None]], on: date) -> set[int]:
    """The children (ids) in custody on ``on``, from (child, outcome type, outcome
    date, release date) rows."""
    return {
        child
        for child, kind, start, release in outcomes
        if kind in CUSTODIAL and open_on(start, release, on)
    }


def on_remand_on(episodes: Iterable[RemandEpisode], on: date) -> dict[str, set[int]]:
    """The children (ids) on remand on ``on``, by remand type (types with none left out)."""
    found: dict[str, set[int]] = {}
    for episode in episodes:
        if open_on(episode.start, episode.end, on):
            found.setdefault(episode.remand_type, set()).add(episode.child)
    return found


@dataclass(frozen=True)
class CustodySnapshot:
    """Who was in custody, or on remand in the community, on one day."""

    on: date
    sentenced: int
    """Children serving a custodial sentence."""
    remanded: int
    """Children remanded to youth detention accommodation."""
    in_custody: int
    """Children sentenced or remanded to custody, each counted once."""
    community_remand: dict[str, int]
    """Children on each kind of community remand (remand type → children)."""


def snapshot(
    outcomes: Iterable[tuple[int, str, date, date | None]],
    episodes: Iterable[RemandEpisode],
    on: date,
) -> CustodySnapshot:
    """The custody snapshot on ``on`` from outcome rows and remand episodes."""
    sentenced = in_custody_on(outcomes, on)
    remands = on_remand_on(episodes, on)
    remanded = remands.pop(YDA, set())
    return CustodySnapshot(
        on=on,
        sentenced=len(sentenced),
        remanded=len(remanded),
        in_custody=len(sentenced | remanded),
        community_remand={kind: len(children) for kind, children in remands.items()},
    )


def custody_snapshot(service: Service, on: date) -> int:
    """How many of the service's children were serving a custodial sentence on ``on``."""
    return len(in_custody_on(_custodial_outcomes(service, on), on))


def service_snapshot(service: Service, on: date) -> CustodySnapshot:
    """The service's custody snapshot on ``on``, remands included."""
    from saferboard.youthjustice.models import Remand

    rows = Remand.objects.filter(child__service=service, start_date__lte=on).values_list(
        "child_id", "remand_type", "start_date", "end_date", "outcome"
    )
    return snapshot(_custodial_outcomes(service, on), [RemandEpisode(*r) for r in rows], on)


def _custodial_outcomes(service: Service, on: date) -> list[tuple[int, str, date, date | None]]:
    from saferboard.youthjustice.models import Outcome

    return list(
        Outcome.objects.filter(
            child__service=service, outcome_type__in=CUSTODIAL, outcome_date__lte=on
        ).values_list("child_id", "outcome_type", "outcome_date", "release_date")
    )
