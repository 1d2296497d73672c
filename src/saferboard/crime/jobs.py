"""Web imports run as a background task (``import_job``) on a worker; the progress page
polls the job row, which the task keeps current and :func:`fail_abandoned_jobs` settles
from the task's own record when a worker stops mid-import."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from saferboard.core.importing import jobs as shared
from saferboard.core.importing.jobs import NEVER_STARTED_AFTER, REFRESH_ATTEMPTS, WAITING_AGAIN
from saferboard.core.importing.jobs import REFRESH_RETRY_AFTER as REFRESH_RETRY_AFTER
from saferboard.core.models import User
from saferboard.crime.importer import import_files
from saferboard.crime.models import ImportJob, JobStatus
from saferboard.crime.problems import ImportRejected
from saferboard.crime.provenance import ImportResult
from saferboard.measures.models import DataImport
from saferboard.tasks.workers import settle_abandoned, task_record

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""One upload of crime data, on the web page (all its files together) or through the API
(its one file), may be this big at most (issue 18: the web had no limit). A year of one
force's police.uk files is about 60 MB; a larger set goes in several uploads."""
MAX_UPLOAD_LABEL = "200 MB"

INTERRUPTED = (
    "The import was interrupted (the server running it stopped); nothing was changed. "
    "Upload the files again."
)


def _retrying(action: Callable[[], T], attempts: int = 60) -> T:
    """Run ``action``, retrying while SQLite reports a lock. A file database waits by
    itself (its busy timeout), but the shared in-memory database of the test server
    fails at once when a page is being read at the same moment. An import is
    all-or-nothing, so running it again is safe."""
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.25)
    raise AssertionError("unreachable")


def _update(job_id: uuid.UUID, **fields: object) -> None:
    _retrying(lambda: ImportJob.objects.filter(pk=job_id).update(**fields))


def uploads_root() -> Path:
    """Where web uploads wait for their import: staging, never data (backups leave it
    out, and the next start removes what a stopped server left there)."""
    return shared.uploads_root("crime")


def upload_folder(job_id: uuid.UUID) -> Path:
    """A job's own upload folder, named by the job: what a committed import records as
    its files' paths, so a job whose server stopped can be told apart (see
    :func:`fail_abandoned_jobs`)."""
    return uploads_root() / job_id.hex


def save_uploads(files: list[UploadedFile], folder: Path | None = None) -> Path:
    """Copy the uploads into a private folder under the data directory (each under a
    numbered name: the name a browser sends is not trusted as a path)."""
    folder = folder or uploads_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    for index, upload in enumerate(files):
        name = Path(upload.name or "upload").name.replace("/", "_")[-120:]
        with open(folder / f"{index:03d}-{name}", "wb") as sink:
            for chunk in upload.chunks():
                sink.write(chunk)
    return folder


def start(user: User, files: list[UploadedFile], format: str) -> ImportJob:
    """Save the uploads, record the job and queue its import (:func:`import_job`)."""
    job = ImportJob.objects.create(
        created_by=user,
        format=format,
        file_names=[shared.printable(f.name or "upload") for f in files],
        stage="Waiting",
    )
    try:
        save_uploads(files, upload_folder(job.pk))
    except BaseException:
        ImportJob.objects.filter(pk=job.pk).delete()
        shutil.rmtree(upload_folder(job.pk), ignore_errors=True)
        raise
    import_job.enqueue(str(job.pk))
    job.refresh_from_db()  # the immediate backend (tests) has run it already
    return job


@task()
def import_job(job_id: str) -> str:
    """The task: import job ``job_id``'s uploaded files; returns the job's status.

    Safe to run again after a worker died in it (see :func:`run`)."""
    run(uuid.UUID(job_id), upload_folder(uuid.UUID(job_id)))
    return str(ImportJob.objects.values_list("status", flat=True).get(pk=job_id))


FINISHED_UNREPORTED = (
    "The import finished, but the server stopped before it could report it here: "
    "{label}, {rows:,} rows."
)


def fail_abandoned_jobs() -> int:
    """Bring every waiting or importing job in line with its task's own record; return
    how many jobs were settled. Then remove upload folders no live job needs.

    A worker that died mid-import leaves its task RUNNING; :func:`settle_abandoned`
    queues it again (the job shows as waiting) or, after repeated deaths, fails it. A
    task that ended without reporting to its job is settled here: the store needs
    nothing (see :mod:`saferboard.crime.store`), since an import either committed or
    changed nothing, and which one the job's ``DataImport`` says (see :func:`_settle`).
    """
    settle_abandoned()
    settled = 0
    for job in ImportJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]):
        record = task_record(import_job, str(job.pk))
        if record is None:
            if timezone.now() - job.created_at >= NEVER_STARTED_AFTER:
                settled += _settle(job)
        elif record.status == TaskResultStatus.READY and job.status == JobStatus.RUNNING:
            ImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                status=JobStatus.QUEUED, stage=WAITING_AGAIN
            )
        elif record.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
            settled += _settle(job)
    _remove_abandoned_uploads()
    return settled


def _settle(job: ImportJob) -> int:
    """Finish a job whose task ended without reporting: succeeded if its import
    committed (issue 18 found such kills reported as "nothing was changed"), failed
    as interrupted otherwise; 1 if this call settled it."""
    committed = _committed_import(job)
    # Conditional: a job that finished a moment ago keeps its result.
    live = ImportJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    if committed is None:
        return live.update(status=JobStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())
    with transaction.atomic():
        _name_files(committed, job, sorted(_stored_names(committed, job)))
        committed.save(update_fields=["files"])
        settled = live.update(
            status=JobStatus.SUCCEEDED,
            stage="Done",
            done=1,
            total=1,
            summary=FINISHED_UNREPORTED.format(label=committed.label, rows=committed.rows or 0),
            data_import=committed,
            finished_at=timezone.now(),
        )
        if settled:
            queue_refresh(committed.source_kind)
        return settled


def _committed_import(job: ImportJob) -> DataImport | None:
    """The import a job committed, found by its upload folder in the files' paths."""
    return (
        DataImport.objects.filter(imported_at__gte=job.created_at, files__icontains=job.pk.hex)
        .order_by("imported_at")
        .first()
    )


def _stored_names(data_import: DataImport, job: ImportJob) -> list[str]:
    return [
        str(entry.get("name", ""))
        for entry in data_import.files
        if isinstance(entry, dict) and job.pk.hex in str(entry.get("name", ""))
    ]


def _name_files(data_import: DataImport, job: ImportJob, paths: list[str]) -> None:
    """Show the names the user chose instead of the upload folder's paths."""
    names = dict(zip(paths, job.file_names, strict=False))
    for entry in data_import.files:
        if isinstance(entry, dict):
            entry["name"] = names.get(entry.get("name", ""), entry.get("name", ""))


def _remove_abandoned_uploads() -> None:
    """Remove upload folders that no waiting or running job needs (a killed server's),
    however recent."""
    live = ImportJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    shared.remove_abandoned_uploads(
        uploads_root(), {pk.hex for pk in live.values_list("pk", flat=True)}
    )


def run(job_id: uuid.UUID, folder: Path) -> None:
    """Import the job's files; record progress, then success or the located problem.

    Run again after a worker died in it, it does each job once: a finished job is left
    as it is, and an import a killed attempt committed is reported, not repeated."""
    job = _retrying(
        lambda: ImportJob.objects.select_related("created_by", "data_import").get(pk=job_id)
    )
    if job.status == JobStatus.SUCCEEDED and job.data_import is not None:
        # A killed attempt reported its import (and queued the refresh with it).
        shutil.rmtree(folder, ignore_errors=True)
        return
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return
    committed = _committed_import(job)
    if committed is not None:  # a killed attempt committed it: report it, once
        _settle(job)
        shutil.rmtree(folder, ignore_errors=True)
        return
    if not folder.is_dir():
        _update(job_id, status=JobStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())
        return
    try:
        _update(job_id, status=JobStatus.RUNNING, stage="Starting")

        reported = False

        def progress(stage: str, done: int, total: int) -> None:
            if not reported:  # the importer's last "Done" comes after the job's own
                _update(job_id, stage=shared.printable(stage[:200]), done=done, total=max(total, 1))

        paths = sorted(folder.iterdir())

        def report(result: ImportResult) -> None:
            # Inside the import's own transaction (the pipeline's last step): the files
            # get the names the user chose, the job its success and the dashboard its
            # refresh, all with the import or not at all, so a worker killed between
            # the two can leave neither an import without its report nor the reverse.
            nonlocal reported
            summary = shared.printable(result.summary() + "".join(f". {n}" for n in result.notes))
            _name_files(result.data_import, job, [str(p) for p in paths])
            result.data_import.save(update_fields=["files"])
            ImportJob.objects.filter(pk=job_id).update(
                status=JobStatus.SUCCEEDED,
                stage="Done",
                done=1,
                total=1,
                summary=summary,
                data_import=result.data_import,
                finished_at=timezone.now(),
            )
            queue_refresh(result.data_import.source_kind)
            reported = True

        def attempt() -> None:
            nonlocal reported
            reported = False  # a report rolled back with a locked commit is not one
            import_files(
                paths, format=job.format, user=job.created_by, progress=progress, report=report
            )

        _retrying(attempt)
    except ImportRejected as error:
        problem = error.problem
        names = dict(zip((str(p) for p in sorted(folder.iterdir())), job.file_names, strict=False))
        for path, name in names.items():
            if problem.file.startswith(path):
                problem = dataclasses.replace(problem, file=problem.file.replace(path, name))
        _update(
            job_id,
            status=JobStatus.FAILED,
            error=shared.printable(str(problem)),
            problem=shared.printable(problem.as_dict()),
            finished_at=timezone.now(),
        )
    except Exception:
        log.exception("Crime import job %s failed", job_id)
        _update(
            job_id,
            status=JobStatus.FAILED,
            error="The import stopped because of an unexpected error; nothing was changed. "
            "It has been logged for the administrators.",
            finished_at=timezone.now(),
        )
    shutil.rmtree(folder, ignore_errors=True)


def queue_refresh(source: str, attempt: int = 1) -> None:
    """Queue the dashboard refresh after an import of ``source``.

    Called inside the transaction that reports the import: with the database backend
    the refresh's queue record commits with the report, so an import never stands
    without its refresh queued (a hook run after commit would be lost to a worker
    killed in between), and a refresh never runs for an import that rolled back.
    """
    shared.queue_attempt(refresh_dashboard, attempt, source)


@task()
def refresh_dashboard(source: str, attempt: int = 1) -> str:
    """The task: store the partnership's dashboard figures of ``source`` after an import
    (safe to repeat: storing the same figures again changes nothing).

    Its own task, apart from the import, so a failed refresh neither undoes nor hides
    the import: it is recorded as a failed task (with its traceback) and queued again,
    up to :data:`REFRESH_ATTEMPTS` times in all; a worker killed in it has it retried.
    """
    try:
        _retrying(lambda: _refresh_partnership(source))
    except Exception:
        if attempt < REFRESH_ATTEMPTS:
            queue_refresh(source, attempt + 1)
        raise
    return source


def _refresh_partnership(source: str) -> None:
    """Keep the partnership's stored dashboard figures current after an import."""
    from saferboard.core.partnerships import current_partnership
    from saferboard.crime.dashboard import DashboardError
    from saferboard.crime.observations import store_dashboard

    partnership = current_partnership()
    if partnership is None or partnership.local_authority is None:
        return
    try:
        store_dashboard(partnership.local_authority.code, source)
    except DashboardError:
        log.info("No %s dashboard for %s yet", source, partnership.local_authority)
