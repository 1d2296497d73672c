"""``saferboard worker``: run queued background work (imports, pack builds ...).

django-tasks-db's worker loop, plus what Saferboard needs around it: the worker records
itself and beats (so others can tell it died), settles the tasks of dead workers when it
starts and while it runs, queues the periodic tasks that are due (reminders,
retention: :mod:`saferboard.tasks.schedule`; not with ``--batch`` or ``--no-schedule``),
and, when started by ``saferboard serve``, stops with it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as DBWorker

from saferboard.tasks import schedule, workers
from saferboard.tasks.priority import DEFAULT_NICE, lower_priority

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run queued background work (imports, pack builds, ...) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then stop (scripts, tests)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue (1)"
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="stop (after the task in hand) when this process ends (`serve` sets it)",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="queue no periodic tasks (reminders, retention); --batch never does",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=DEFAULT_NICE,
            help=f"run this much below the web server's CPU priority, 0-19 ({DEFAULT_NICE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_worker(
            batch=options["batch"],
            interval=options["interval"],
            parent_pid=options["parent_pid"],
            verbosity=options["verbosity"],
            nice=options["nice"],
            scheduling=not options["no_schedule"],
        )


def run_worker(
    *,
    batch: bool = False,
    interval: float = 1.0,
    parent_pid: int | None = None,
    verbosity: int = 1,
    nice: int = DEFAULT_NICE,
    scheduling: bool = True,
) -> None:
    """Lower this process's priority, register, settle dead workers' tasks, then run
    tasks until stopped."""
    if nice < 0 or nice > 19:
        raise CommandError("--nice must be between 0 and 19")
    # First, before any thread starts: threads inherit their creator's niceness.
    lower_priority(nice)
    if verbosity:
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
    worker_id = get_random_string(32)
    worker = DBWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    workers.register(worker_id)
    workers.settle_abandoned()
    stop = threading.Event()
    beating = threading.Thread(
        target=_beat,
        args=(worker, worker_id, parent_pid, stop, scheduling and not batch),
        name="heartbeat",
        daemon=True,
    )
    beating.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
        beating.join(timeout=workers.HEARTBEAT + 1)
        workers.forget(worker_id)


def _beat(
    worker: DBWorker,
    worker_id: str,
    parent_pid: int | None,
    stop: threading.Event,
    scheduling: bool = False,
) -> None:
    """Beat, settle other workers' abandoned tasks, queue due periodic tasks, and watch
    the parent process."""
    last = time.monotonic()
    looked = -schedule.LOOK_EVERY  # look at the schedule at once
    try:
        while not stop.wait(1.0):
            if parent_pid is not None and os.getppid() != parent_pid:
                log.warning("The server that started this worker stopped; stopping too")
                worker.running = False  # the loop ends after the task in hand
                return
            if scheduling and time.monotonic() - looked >= schedule.LOOK_EVERY:
                looked = time.monotonic()
                try:
                    schedule.enqueue_due(worker_id=worker_id)
                except Exception:  # a busy database: the next look tries again
                    log.warning("Worker %s: periodic tasks not queued", worker_id, exc_info=True)
            if time.monotonic() - last < workers.HEARTBEAT:
                continue
            last = time.monotonic()
            try:
                workers.beat(worker_id)
                workers.settle_abandoned()
            except Exception:  # a busy database: the next beat tries again
                log.warning("Worker %s could not beat", worker_id, exc_info=True)
    finally:
        connection.close()
