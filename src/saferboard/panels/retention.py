"""Retention: closed cases past their panel's retention period are deleted.

A case may be deleted on or after ``closed_on + max(panel.retention_months, FLOOR)``
months. The floor holds whatever a panel's configuration says, and :func:`apply`
checks it again for each case just before deleting, so no configuration or caller
can delete a case closed less than ``FLOOR_MONTHS`` ago.

Deleting a case deletes its identity, detail, status history, assessments, reviews,
actions and escalation steps. The audit event that records the run holds counts and
pseudonymous references only: with the identity gone, a reference no longer leads to
anyone. Core's append-only RAG history keeps the generated risk labels (no free text)
under the deleted case's id.

Applied by hand (``saferboard panels retention --apply``) or nightly by the worker's
schedule (:func:`retention_task`, docs/deployment.md), which deletes exactly what the
command would on that day: the cases :func:`due_for_deletion` lists under each panel's
own ``retention_months``, never under the floor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from saferboard.core import audit
from saferboard.core.periods import add_months
from saferboard.panels.models import Case, CaseStatus
from saferboard.panels.services import DELETE_PERSONAL_DATA

FLOOR_MONTHS = 6


def delete_after(closed_on: date, retention_months: int) -> date:
    """The first day a case closed on ``closed_on`` may be deleted."""
    return add_months(closed_on, max(retention_months, FLOOR_MONTHS))


def past_floor(closed_on: date, today: date) -> bool:
    return today >= add_months(closed_on, FLOOR_MONTHS)


@dataclass(frozen=True)
class Due:
    reference: str
    panel: str
    closed_on: date
    delete_after: date


def due_for_deletion(today: date) -> list[tuple[Case, Due]]:
    """Closed cases whose retention period has run out on ``today``, oldest first."""
    closed = Case.objects.filter(status=CaseStatus.CLOSED, closed_on__isnull=False)
    due = []
    for case in closed.select_related("panel").order_by("closed_on", "reference"):
        closed_on = case.closed_on
        if closed_on is None:  # excluded by the query
            continue
        after = delete_after(closed_on, case.panel.retention_months)
        if today >= after:
            due.append((case, Due(case.reference, case.panel.slug, closed_on, after)))
    return due


class FloorError(RuntimeError):
    """Raised instead of deleting a case closed less than the floor ago."""


def apply(today: date, *, actor_label: str = "retention command") -> list[Due]:
    """Delete every case due on ``today``, in one transaction, and audit the run."""
    with transaction.atomic():
        due = due_for_deletion(today)
        for case, item in due:
            if not past_floor(item.closed_on, today):
                raise FloorError(f"{item.reference} was closed less than {FLOOR_MONTHS} months ago")
            case.delete()
        audit.record(
            DELETE_PERSONAL_DATA,
            actor_label=actor_label,
            what="retention deletion",
            run_date=today.isoformat(),
            floor_months=FLOOR_MONTHS,
            count=len(due),
            cases=[item.reference for _, item in due],
            panels=sorted({item.panel for _, item in due}),
        )
    return [item for _, item in due]


SCHEDULED = "scheduled retention"
"""The audit event's actor for the nightly run."""


@task()
def retention_task() -> int:
    """The nightly task: apply retention as the command's ``--apply`` does today;
    returns how many cases were deleted. A night with nothing due writes no audit
    event (the schedule's own record shows the run)."""
    today = timezone.localdate()
    if not due_for_deletion(today):
        return 0
    return len(apply(today, actor_label=SCHEDULED))
