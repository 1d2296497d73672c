"""Import jobs: an upload being imported in the background, and how far it has got."""

from __future__ import annotations

from django.db import models

from saferboard.core.models import ImportJobBase, ImportJobStatus

JobStatus = ImportJobStatus
"""The crime import's name for the shared job statuses."""


class ImportJob(ImportJobBase):
    """One web upload of crime data, imported by a background worker as a task
    (``saferboard.crime.jobs.import_job``; docs/adr/0007-task-queue.md).

    The progress page reads ``stage``, ``done`` and ``total``; a finished job links to
    the :class:`~saferboard.measures.models.DataImport` it created, or says why the
    import was rejected (file, row, column and value).
    """

    format = models.CharField(max_length=40, default="auto")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=1)
    problem = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
