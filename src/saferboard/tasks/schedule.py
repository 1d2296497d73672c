"""Periodic background work: what runs each day, and the claim that queues each run once.

django-tasks has no scheduler, so each long-running worker looks at :data:`SCHEDULE`
every :data:`LOOK_EVERY` seconds (``saferboard worker``; ``--no-schedule`` turns it
off) and queues each task that is due and not yet queued for its period. The claim is
a row of :class:`~saferboard.tasks.models.PeriodicRun`, unique per task and period,
inserted in the same transaction as the task's queue record: however many workers
look, exactly one queues each run, and a worker that dies between the two leaves
neither. The queued task then runs like any other (retried if its worker dies,
visible when it fails).

A run missed because no worker was running is not made up for; the next day's runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from saferboard.tasks.models import PeriodicRun

log = logging.getLogger(__name__)

LOOK_EVERY = 60.0
"""Seconds between a worker's looks at the schedule."""


@dataclass(frozen=True)
class Periodic:
    """A task run once a day, from local time ``at`` (``task``: its dotted path, so
    this module imports no feature app)."""

    name: str
    task: str
    at: time

    def period(self, now: datetime) -> str | None:
        """The period ``now`` falls in if the task is due then (its local date, from
        ``at``), or None before ``at``."""
        local = timezone.localtime(now)
        return local.date().isoformat() if local.time() >= self.at else None


SCHEDULE = [
    # Open actions' owners, a week before their meeting, in the morning.
    Periodic("reminders", "saferboard.meetings.reminders.send_reminders", time(7, 0)),
    # Closed panel cases past their retention period, at night.
    Periodic("retention", "saferboard.panels.retention.retention_task", time(2, 0)),
]


def claim(name: str, period: str, worker_id: str = "") -> bool:
    """Claim task ``name``'s run for ``period``; True for the one caller that does.

    Call in a transaction that also queues the run, so the claim and the queue record
    commit (or vanish) together.
    """
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the caller's work
            PeriodicRun.objects.create(
                name=name, period=period, enqueued_at=timezone.now(), enqueued_by=worker_id
            )
    except IntegrityError:
        return False
    return True


def enqueue_due(
    now: datetime | None = None, *, worker_id: str = "", schedule: list[Periodic] | None = None
) -> list[str]:
    """Queue each periodic task due at ``now`` that no one has queued for its period;
    return the names queued by this call."""
    now = now or timezone.now()
    queued = []
    for periodic in SCHEDULE if schedule is None else schedule:
        period = periodic.period(now)
        if period is None:
            continue
        if PeriodicRun.objects.filter(name=periodic.name, period=period).exists():
            continue  # the usual case, without a failed insert
        with transaction.atomic():
            if claim(periodic.name, period, worker_id):
                import_string(periodic.task).enqueue()
                queued.append(periodic.name)
                log.info("Queued %s for %s", periodic.name, period)
    return queued
