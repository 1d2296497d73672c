"""Import jobs: the shape every background upload import shares (crime, youth justice).

An app's job model inherits :class:`ImportJobBase` and adds what its import alone
records (the crime job's format, progress counts and one located problem; the youth
justice job's list of problems). The base is abstract, so each app keeps its own table.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Rejected"


FINISHED = frozenset({ImportJobStatus.SUCCEEDED, ImportJobStatus.FAILED})
LIVE = (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
"""A job still waiting or importing: what a settling pass looks at."""


class ImportJobBase(models.Model):
    """One web upload, imported by a background worker as a task
    (docs/adr/0007-task-queue.md); the job page and its polling script read it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_names = models.JSONField(default=list)
    status = models.CharField(
        max_length=12, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    data_import = models.ForeignKey(
        "measures.DataImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    label: ClassVar[str] = "Import"
    """How the job names itself (its ``str``), before its id."""

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} {self.id} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        """Imported or rejected: nothing more will happen to the job."""
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """How far the job has got, 0 to 100 (each app's import counts its own way)."""
        raise NotImplementedError

    def progress(self) -> dict[str, Any]:
        """What a job page's script polls: the job's status, stage and how far it has
        got (static/crime/progress.js reads these keys)."""
        return {
            "status": self.get_status_display(),
            "stage": self.stage,
            "percent": self.percent,
            "finished": self.finished,
        }
