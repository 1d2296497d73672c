"""Import jobs: an upload being imported in the background, and how far it has got."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Rejected"


class ImportJob(models.Model):
    """One web upload of crime data, imported by a background worker as a task
    (``saferboard.crime.jobs.import_job``; docs/adr/0007-task-queue.md).

    The progress page reads ``stage``, ``done`` and ``total``; a finished job links to
    the :class:`~saferboard.measures.models.DataImport` it created, or says why the
    import was rejected (file, row, column and value).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(max_length=40, default="auto")
    file_names = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    error = models.TextField(blank=True)
    problem = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)
    data_import = models.ForeignKey(
        "measures.DataImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.id} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
