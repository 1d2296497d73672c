"""One row per live worker process, so any server can tell whether a task's worker died."""

from __future__ import annotations

from django.db import models


class Worker(models.Model):
    """A ``saferboard worker`` process: where it runs and when it last said it was alive.

    A worker beats every :data:`saferboard.tasks.workers.HEARTBEAT` seconds. On its own
    host a worker is alive while its process is; elsewhere, while it has beaten within
    :data:`saferboard.tasks.workers.STALE_AFTER`.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} (pid {self.pid} on {self.hostname})"


class PeriodicRun(models.Model):
    """One periodic task queued for one period (``reminders`` for 2026-12-07): the row
    is the claim, unique per task and period, so of all the workers looking at the
    schedule exactly one queues each run (:mod:`saferboard.tasks.schedule`)."""

    name = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    enqueued_at = models.DateTimeField()
    enqueued_by = models.CharField(max_length=64, blank=True, help_text="The worker's id.")

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "period"], name="tasks_periodic_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.period}"
