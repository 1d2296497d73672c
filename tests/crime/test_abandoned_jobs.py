"""A web import whose worker died shows as waiting again or failed, not importing for
ever: the job follows its task's own record (saferboard.tasks.workers)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferboard.crime import jobs
from saferboard.crime.jobs import NEVER_STARTED_AFTER
from saferboard.crime.models import ImportJob, JobStatus
from saferboard.tasks import workers
from saferboard.tasks.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(make_user):  # type: ignore[no-untyped-def]
    return ImportJob.objects.create(
        created_by=make_user(), status=JobStatus.RUNNING, stage="Reading files"
    )


def _running_task(job: ImportJob, pid: int, attempts: int = 1) -> DBTaskResult:
    """The job's task, claimed by a worker with process ``pid`` on this host."""
    ids = [f"w{n}" for n in range(attempts)]
    Worker.objects.create(
        worker_id=ids[-1],
        hostname=workers.socket.gethostname(),
        pid=pid,
        started_at=timezone.now(),
        beat_at=timezone.now(),
    )
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path=jobs.import_job.module_path,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=ids,
    )


def test_a_job_whose_worker_was_killed_waits_to_run_again(job) -> None:  # type: ignore[no-untyped-def]
    holder = multiprocessing.get_context("fork").Process(target=signal.pause)
    holder.start()
    try:
        task = _running_task(job, holder.pid)
        assert jobs.fail_abandoned_jobs() == 0  # alive: left alone
        job.refresh_from_db()
        task.refresh_from_db()
        assert job.status == JobStatus.RUNNING and task.status == TaskResultStatus.RUNNING
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join()

    assert jobs.fail_abandoned_jobs() == 0  # queued again, not failed
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert job.status == JobStatus.QUEUED and job.stage == jobs.WAITING_AGAIN


def test_a_job_whose_worker_died_too_often_is_failed(job) -> None:  # type: ignore[no-untyped-def]
    holder = multiprocessing.get_context("fork").Process(target=signal.pause)
    holder.start()
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    task = _running_task(job, holder.pid, attempts=workers.MAX_ATTEMPTS)
    assert jobs.fail_abandoned_jobs() == 1
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == workers.STOPPED_CLASS
    assert job.status == JobStatus.FAILED and "interrupted" in job.error


def test_a_job_that_never_started_is_failed_only_after_a_while(job) -> None:  # type: ignore[no-untyped-def]
    assert jobs.fail_abandoned_jobs() == 0  # just created: its task may be starting
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - NEVER_STARTED_AFTER - timedelta(seconds=1)
    )
    assert jobs.fail_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_finished_jobs_are_never_touched(job) -> None:  # type: ignore[no-untyped-def]
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, created_at=timezone.now() - timedelta(days=1)
    )
    assert jobs.fail_abandoned_jobs() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
