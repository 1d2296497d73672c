"""Worker liveness and the settling of a dead worker's task (saferboard.tasks.workers)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferboard.tasks import workers
from saferboard.tasks.models import Worker

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = multiprocessing.get_context("fork").Process(target=signal.pause)
    child.start()
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    return child.pid


def _worker(worker_id: str, *, pid: int, host: str | None = None, beat_ago: int = 0) -> Worker:
    now = timezone.now()
    return Worker.objects.create(
        worker_id=worker_id,
        hostname=host or socket.gethostname(),
        pid=pid,
        started_at=now,
        beat_at=now - timedelta(seconds=beat_ago),
    )


def _running(*worker_ids: str, key: str = "k") -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [key], "kwargs": {}},
        task_path="saferboard.crime.jobs.import_job",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=list(worker_ids),
    )


def _status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_a_task_of_a_live_worker_on_this_host_is_left_running() -> None:
    _worker("alive", pid=os.getpid())
    task = _running("alive")
    assert workers.settle_abandoned() == []
    assert _status(task) == TaskResultStatus.RUNNING


def test_a_task_of_a_killed_worker_on_this_host_is_queued_again_at_once() -> None:
    _worker("killed", pid=_dead_pid())
    task = _running("killed")
    assert workers.settle_abandoned() == [str(task.pk)]
    assert _status(task) == TaskResultStatus.READY
    assert task.worker_ids == ["killed"]  # the attempt is counted
    assert not Worker.objects.filter(worker_id="killed").exists()  # the dead row goes


def test_a_worker_on_another_host_is_alive_while_it_beats() -> None:
    _worker("fresh", pid=1, host="other-host", beat_ago=10)
    _worker("silent", pid=1, host="other-host", beat_ago=61)
    fresh, silent = _running("fresh", key="a"), _running("silent", key="b")
    assert workers.settle_abandoned() == [str(silent.pk)]
    assert _status(fresh) == TaskResultStatus.RUNNING
    assert _status(silent) == TaskResultStatus.READY


def test_a_task_whose_worker_is_unknown_is_taken_for_dead() -> None:
    task = _running("never-registered")
    assert workers.settle_abandoned() == [str(task.pk)]
    assert _status(task) == TaskResultStatus.READY


def test_the_third_dead_attempt_fails_the_task_clearly() -> None:
    assert workers.MAX_ATTEMPTS == 3
    task = _running("first", "second", "third")
    assert workers.settle_abandoned() == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == workers.STOPPED_CLASS
    assert "attempts: 3" in task.traceback and task.finished_at is not None


def test_a_new_worker_replaces_the_row_of_a_dead_one_with_its_process_id() -> None:
    _worker("old", pid=os.getpid())  # a dead worker whose id this process now has
    task = _running("old")
    workers.register("new")
    assert set(Worker.objects.values_list("worker_id", flat=True)) == {"new"}
    assert workers.settle_abandoned() == [str(task.pk)]


def test_beat_and_forget() -> None:
    worker = workers.register("w")
    Worker.objects.filter(pk="w").update(beat_at=timezone.now() - timedelta(minutes=5))
    workers.beat("w")
    worker.refresh_from_db()
    assert timezone.now() - worker.beat_at < timedelta(seconds=5)
    workers.forget("w")
    assert not Worker.objects.exists()


def test_task_record_is_the_newest_for_the_key() -> None:
    from saferboard.crime.jobs import import_job

    older, other = _running("x", key="job-1"), _running("x", key="job-2")
    DBTaskResult.objects.filter(pk=older.pk).update(enqueued_at=timezone.now() - timedelta(hours=1))
    newer = _running("x", key="job-1")
    assert workers.task_record(import_job, "job-1") == newer
    assert workers.task_record(import_job, "job-2") == other
    assert workers.task_record(import_job, "job-3") is None
