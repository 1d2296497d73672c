"""Worker liveness, and what happens to the task of a worker that stopped mid-task.

django-tasks-db marks a task RUNNING when a worker claims it and finished when the
worker reports; a worker killed in between (SIGKILL, out of memory, a deploy, the
machine stopping) leaves it RUNNING for ever. So each worker records itself in
:class:`~saferboard.tasks.models.Worker` and beats; :func:`settle_abandoned` finds
RUNNING tasks whose worker is dead and queues them again (each task is written to be
run again: it finishes what a committed attempt left unreported, or starts afresh from
a state its killed attempt left unchanged), or after :data:`MAX_ATTEMPTS` fails them
with :data:`STOPPED_MESSAGE`.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from saferboard.tasks.models import Worker

log = logging.getLogger(__name__)

HEARTBEAT = 5.0
"""Seconds between a worker's beats."""
STALE_AFTER = timedelta(seconds=60)
"""A worker on another host that has not beaten for this long is taken for dead."""
MAX_ATTEMPTS = 3
"""A task is run at most this many times; a task whose worker died this often fails."""
STOPPED_CLASS = "saferboard.tasks.workers.WorkerStopped"
STOPPED_MESSAGE = "The worker running this task stopped before it finished."


class WorkerStopped(Exception):
    """Recorded as the error of a task whose worker died :data:`MAX_ATTEMPTS` times."""


def register(worker_id: str) -> Worker:
    """Record this process as worker ``worker_id``. A row left by a dead process that
    had this process's id on this host is removed first (process ids are reused)."""
    host, pid, now = socket.gethostname(), os.getpid(), timezone.now()
    Worker.objects.filter(hostname=host, pid=pid).exclude(worker_id=worker_id).delete()
    worker, _ = Worker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": host, "pid": pid, "started_at": now, "beat_at": now},
    )
    return worker


def beat(worker_id: str) -> None:
    """Say worker ``worker_id`` is alive."""
    Worker.objects.filter(worker_id=worker_id).update(beat_at=timezone.now())


def forget(worker_id: str) -> None:
    """Remove a worker that stopped cleanly."""
    Worker.objects.filter(worker_id=worker_id).delete()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def is_alive(worker: Worker | None, *, now: Any = None) -> bool:
    """Whether ``worker`` may still be running: on this host, while its process exists
    (so a killed worker is known dead at once); on another host, while it beats."""
    if worker is None:
        return False
    if worker.hostname == socket.gethostname():
        return _process_alive(worker.pid)
    return (now or timezone.now()) - worker.beat_at < STALE_AFTER


def settle_abandoned() -> list[str]:
    """Queue again, or fail, every RUNNING task whose worker is dead; return their ids.

    Safe to call from any process at any time (web pages and workers do): each change is
    conditional on the task still being in the attempt that was found dead.
    """
    running = list(DBTaskResult.objects.running())
    if not running:
        return []
    last_ids = {r.worker_ids[-1] for r in running if r.worker_ids}
    workers = {w.worker_id: w for w in Worker.objects.filter(worker_id__in=last_ids)}
    now = timezone.now()
    settled = []
    for result in running:
        worker = workers.get(result.worker_ids[-1]) if result.worker_ids else None
        if is_alive(worker, now=now):
            continue
        attempt = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        with transaction.atomic():
            if len(result.worker_ids) < MAX_ATTEMPTS:
                changed = attempt.update(status=TaskResultStatus.READY)
                outcome = "queued again"
            else:
                changed = attempt.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=STOPPED_CLASS,
                    traceback=f"{STOPPED_MESSAGE} (attempts: {len(result.worker_ids)})",
                )
                outcome = "failed"
        if changed:
            log.warning(
                "Task %s (%s): its worker %s stopped; %s",
                result.pk,
                result.task_path,
                result.worker_ids[-1] if result.worker_ids else "?",
                outcome,
            )
            settled.append(str(result.pk))
    if settled and workers:
        dead = [w.worker_id for w in workers.values() if not is_alive(w, now=now)]
        Worker.objects.filter(worker_id__in=dead).delete()
    return settled


def task_record(task: Task[Any, Any], key: str | int) -> DBTaskResult[Any, Any] | None:
    """The newest queued record of ``task`` run for ``key`` (its first argument): how a
    job row (an import job, a pack version) finds the task doing its work. None when
    the work was never queued in the database (the immediate backend of the tests)."""
    return (
        DBTaskResult.objects.filter(task_path=task.module_path, args_kwargs__args__0=key)
        .order_by("-enqueued_at")
        .first()
    )
