"""Web uploads of case records are imported by a background task (``import_job``) on a
worker; the job page reads the job row, which the task keeps current and
:func:`settle_jobs` settles from the task's own record when a worker stops mid-import
(docs/adr/0007-task-queue.md).

The services' figures are then refreshed by a task of their own (:func:`refresh_figures`),
queued in the same transaction.

Crash safety is simpler than the crime import's (:mod:`saferboard.crime.jobs`): the
case records are all in the database, so the import and the job's success commit in
one transaction. A worker killed mid-import leaves no records and a job still waiting
or importing; its task is queued again (or, after repeated deaths, failed, and the job
with it, truthfully: nothing was changed).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from saferboard.core.importing import jobs as shared
from saferboard.core.importing.jobs import REFRESH_ATTEMPTS, WAITING_AGAIN
from saferboard.core.models import User
from saferboard.tasks.workers import settle_abandoned, task_record
from saferboard.youthjustice.importer import FILES, ImportFailed, import_export
from saferboard.youthjustice.models import ImportJob, ImportJobStatus
from saferboard.youthjustice.refresh import refresh_services

log = logging.getLogger(__name__)

LIVE = [ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]

INTERRUPTED = (
    "The import was interrupted (the server running it stopped); nothing was changed. "
    "Upload the export again."
)
UNEXPECTED = (
    "The import stopped because of an unexpected error; nothing was changed. "
    "It has been logged for the administrators."
)
REJECTED = "Nothing has been changed: correct these problems in the export and upload it again."
IMPORTING = "Checking every row, then storing the records"


def uploads_root() -> Path:
    """Where uploads wait for their import: staging under the data directory (shared by
    app servers and workers; backups leave ``.uploads`` out)."""
    return shared.uploads_root("youthjustice")


def upload_folder(job_id: uuid.UUID) -> Path:
    """A job's own upload folder, named by the job."""
    return uploads_root() / job_id.hex


def label_for(user: User) -> str:
    """The import's label, as the web import has always named it."""
    return "Youth justice case records uploaded by " + user.get_username()


def start(user: User, files: dict[str, bytes], file_names: list[str]) -> ImportJob:
    """Save the export's files (by their known names), record the job and queue its
    import; return the job (already finished under the immediate backend of tests).

    ``files`` are the export's files as the import reads them (renamed columns already
    applied); ``file_names`` the names the user uploaded, for the job page.
    """
    unknown = set(files) - set(FILES)
    if unknown:  # the page passes only known names; a file name is never a path
        raise ValueError(f"not export files: {sorted(unknown)}")
    job = ImportJob.objects.create(
        created_by=user, file_names=[shared.printable(n) for n in file_names], stage="Waiting"
    )
    folder = upload_folder(job.pk)
    try:
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
    except BaseException:
        ImportJob.objects.filter(pk=job.pk).delete()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    import_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


@task()
def import_job(job_id: str) -> str:
    """The task: import job ``job_id``'s export; returns the job's status. Safe to run
    again after a worker died in it (see :func:`run`)."""
    run(uuid.UUID(job_id))
    return str(ImportJob.objects.values_list("status", flat=True).get(pk=job_id))


def run(job_id: uuid.UUID) -> None:
    """Import the job's files; record success, or the located problems.

    The import and the job's success are one transaction, and the success is
    conditional on the job still being live: a job settled meanwhile as failed stays
    failed and its import is rolled back, so the job page never says "nothing was
    changed" over stored records. A finished job is left as it is.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    folder = upload_folder(job_id)
    if job.finished:
        shutil.rmtree(folder, ignore_errors=True)
        return
    if not folder.is_dir():
        _finish(job_id, status=ImportJobStatus.FAILED, error=INTERRUPTED)
        return
    ImportJob.objects.filter(pk=job_id, status__in=LIVE).update(
        status=ImportJobStatus.RUNNING, stage=IMPORTING
    )
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name in FILES}
    try:
        with transaction.atomic():
            report = import_export(
                files, user=job.created_by, label=label_for(job.created_by), refresh=queue_refresh
            )
            if not _finish(
                job_id,
                status=ImportJobStatus.SUCCEEDED,
                stage="Done",
                data_import=report.data_import,
            ):
                raise _Settled
    except ImportFailed as failure:
        _finish(
            job_id,
            status=ImportJobStatus.FAILED,
            error=REJECTED,
            problems=[shared.printable(str(p)) for p in failure.problems],
            more=failure.more,
        )
    except _Settled:
        log.warning("Youth justice import job %s was settled while it ran; rolled back", job_id)
    except Exception:
        log.exception("Youth justice import job %s failed", job_id)
        _finish(job_id, status=ImportJobStatus.FAILED, error=UNEXPECTED)
    shutil.rmtree(folder, ignore_errors=True)


def queue_refresh(service_names: Sequence[str], attempt: int = 1) -> None:
    """Queue the refresh of the services' figures after a web import (its ``refresh``
    step), inside the transaction that commits the import and the job's success: the
    queue record commits with them, or vanishes with them."""
    shared.queue_attempt(refresh_figures, attempt, list(service_names))


@task()
def refresh_figures(service_names: list[str], attempt: int = 1) -> list[str]:
    """The task: recompute the named services' stored figures (observations) after an
    import; safe to repeat. Its own task, so a failure neither undoes nor hides the
    import: it is recorded as a failed task and queued again, up to
    :data:`REFRESH_ATTEMPTS` times in all; a worker killed in it has it retried."""
    try:
        refresh_services(service_names)
    except Exception:
        if attempt < REFRESH_ATTEMPTS:
            queue_refresh(service_names, attempt + 1)
        raise
    return service_names


class _Settled(Exception):
    """The job was finished by someone else while its import ran: roll the import back."""


def _finish(job_id: uuid.UUID, **fields: object) -> int:
    """Finish a live job with ``fields``; 1 if it was live, 0 if already finished."""
    return ImportJob.objects.filter(pk=job_id, status__in=LIVE).update(
        finished_at=timezone.now(), **fields
    )


def settle_jobs() -> int:
    """Bring every waiting or importing job in line with its task's record; return how
    many jobs were failed. Then remove upload folders no live job needs.

    A worker that died mid-import leaves its task RUNNING: :func:`settle_abandoned`
    queues it again (the job shows as waiting) or, after repeated deaths, fails it. A
    task that ended without finishing its job changed nothing (the job's success
    commits with the import), so the job fails as interrupted.
    """
    settle_abandoned()
    failed = 0
    for job in ImportJob.objects.filter(status__in=LIVE):
        record = task_record(import_job, str(job.pk))
        if record is None:
            if timezone.now() - job.created_at >= shared.NEVER_STARTED_AFTER:
                failed += _finish(job.pk, status=ImportJobStatus.FAILED, error=INTERRUPTED)
        elif record.status == TaskResultStatus.READY and job.status == ImportJobStatus.RUNNING:
            ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.RUNNING).update(
                status=ImportJobStatus.QUEUED, stage=WAITING_AGAIN
            )
        elif record.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            failed += _finish(job.pk, status=ImportJobStatus.FAILED, error=INTERRUPTED)
    _remove_abandoned_uploads()
    return failed


def _remove_abandoned_uploads() -> None:
    """Remove upload folders no waiting or running job needs (a stopped server's)."""
    live = {pk.hex for pk in ImportJob.objects.filter(status__in=LIVE).values_list("pk", flat=True)}
    # Only old folders: a job being started now has its folder before this reads it.
    shared.remove_abandoned_uploads(uploads_root(), live, older_than=shared.NEVER_STARTED_AFTER)
