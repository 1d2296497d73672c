"""Children in custody on a date (the custody snapshot), from the case records.

A child is in custody on a day when a custodial outcome (detention and training order,
section 250 detention, other custody) is dated on or before it and the child has not
been released by then: the release date is after the day, or blank (still in custody).
The export has no remand episodes, so remands are not counted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from saferboard.youthjustice.definitions import CUSTODIAL

if TYPE_CHECKING:
    from saferboard.youthjustice.models import Service


def in_custody_on(outcomes: Iterable[tuple[int, str, date, date | None]], on: date) -> set[int]:
    """The children (ids) in custody on ``on``, from (child, outcome type, outcome
    date, release date) rows."""
    return {
        child
        for child, kind, start, release in outcomes
        if kind in CUSTODIAL and start <= on and (release is None or release > on)
    }


def custody_snapshot(service: Service, on: date) -> int:
    """How many of the service's children were in custody on ``on``."""
    from saferboard.youthjustice.models import Outcome

    rows = Outcome.objects.filter(
        child__service=service, outcome_type__in=CUSTODIAL, outcome_date__lte=on
    ).values_list("child_id", "outcome_type", "outcome_date", "release_date")
    return len(in_custody_on(rows, on))
