"""Serve Saferboard with gunicorn (a production WSGI server) and WhiteNoise static files,
and (unless ``--no-worker``) one background worker process beside it."""

from __future__ import annotations

import contextlib
import os
import subprocess  # nosec B404 - starts our own worker command, no shell
import sys
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

# How long a stopping server waits for its worker to finish the task in hand before
# leaving it to finish alone (it stops by itself when done: it watches this process).
WORKER_STOP_WAIT = 30


class Command(BaseCommand):
    help = "Serve the application with gunicorn, static files included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to bind (8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="worker processes (default 2, or $WEB_CONCURRENCY)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="start no background worker (run `saferboard worker` separately)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            options["host"],
            options["port"],
            options["workers"],
            options["threads"],
            background=not options["no_worker"],
        )


@contextlib.contextmanager
def background_worker() -> Iterator[subprocess.Popen[bytes]]:
    """Run ``saferboard worker`` beside this process while the block runs: the embedded
    default, so that serving alone also runs the queued imports and pack builds. The
    worker watches this process and stops (after the task in hand) when it ends,
    however it ends; on a clean stop it is asked to stop at once."""
    worker = subprocess.Popen(  # noqa: S603  # nosec B603 - our own interpreter and command
        [sys.executable, "-m", "saferboard.cli", "worker", "--parent-pid", str(os.getpid())]
    )
    try:
        yield worker
    finally:
        worker.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired, ChildProcessError):
            worker.wait(WORKER_STOP_WAIT)


def serve(
    host: str, port: int, workers: int = 2, threads: int = 4, background: bool = True
) -> None:
    """Run gunicorn in this process until interrupted (with a background worker beside
    it unless ``background`` is false)."""
    from django.urls import get_resolver
    from gunicorn.app.base import BaseApplication

    from saferboard.wsgi import application

    # Import every view (and what they import: DuckDB, SciPy…) once, here, before the
    # workers fork, so that no user's first request pays for it in each worker.
    get_resolver().resolve("/")

    class SaferboardServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            # gunicorn's own format plus the time each request took (ms), so a slow page
            # can be found in the log (bench/load.sh's tail, an operator's complaint).
            self.cfg.set(
                "access_log_format",
                '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms',
            )
            self.cfg.set("timeout", 120)
            # Browsers keep a connection open between pages; gunicorn's default of 2 s
            # closes it while the user reads, so each page would pay a new connection.
            self.cfg.set("keepalive", 75)
            self.cfg.set("post_worker_init", warm_worker)
            self.cfg.set("worker_exit", end_worker)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    with background_worker() if background else contextlib.nullcontext():
        SaferboardServer().run()


def end_worker(server: Any, worker: Any) -> None:
    """Let a web worker that was told to stop leave at once, its requests done.

    Left to finalise its interpreter, a forked worker hangs joining DuckDB's thread
    pool, so every stop (a deploy, a restart) waited out gunicorn's 30-second graceful
    timeout and then killed its workers. A worker that failed to boot (still ``alive``)
    exits as gunicorn decides, so its exit code still stops the server.
    """
    if not worker.alive:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def warm_worker(worker: Any) -> None:
    """Run the ``SABO_WARM_UP`` callables in a new web worker before it takes requests.

    Apps name there what is per process and slow to build (the crime engine's
    aggregates: DuckDB connections must not cross a fork); done here, a worker's first
    page is as fast as the rest. Core names no feature app itself. A failure is logged
    and left for the request to report.
    """
    for path in getattr(settings, "SABO_WARM_UP", []):
        try:
            import_string(path)()
        except Exception:  # warming is an optimisation, never a reason for a worker to die
            worker.log.exception("could not warm up with %s", path)
