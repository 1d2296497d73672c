"""A web import whose server died shows as failed, not importing for ever."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone

from saferboard.core.running import NEVER_STARTED_AFTER, running
from saferboard.crime import jobs
from saferboard.crime.models import ImportJob, JobStatus

pytestmark = pytest.mark.django_db


def _hold_until_killed(path: str, ready) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    with running(Path(path)):
        ready.set()
        signal.pause()


@pytest.fixture
def job(make_user):  # type: ignore[no-untyped-def]
    return ImportJob.objects.create(
        created_by=make_user(), status=JobStatus.RUNNING, stage="Reading files"
    )


def test_a_job_whose_process_was_killed_is_marked_failed(job) -> None:  # type: ignore[no-untyped-def]
    ready = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(
        target=_hold_until_killed, args=(str(jobs._lock_path(job.pk)), ready)
    )
    holder.start()
    try:
        assert ready.wait(10)
        assert jobs.fail_abandoned_jobs() == 0  # alive: left alone
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.join()

    assert jobs.fail_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "interrupted" in job.error
    assert not jobs._lock_path(job.pk).exists()


def test_a_job_that_never_started_is_failed_only_after_a_while(job) -> None:  # type: ignore[no-untyped-def]
    assert jobs.fail_abandoned_jobs() == 0  # just created: its thread may be starting
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
