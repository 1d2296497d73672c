"""Serve Saferboard with gunicorn (a production WSGI server) and WhiteNoise static files."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


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

    def handle(self, *args: Any, **options: Any) -> None:
        serve(options["host"], options["port"], options["workers"], options["threads"])


def serve(host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Run gunicorn in this process until interrupted."""
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
            self.cfg.set("timeout", 120)
            # Browsers keep a connection open between pages; gunicorn's default of 2 s
            # closes it while the user reads, so each page would pay a new connection.
            self.cfg.set("keepalive", 75)
            self.cfg.set("post_worker_init", warm_worker)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    SaferboardServer().run()


def warm_worker(worker: Any) -> None:
    """Build the crime engine's aggregates in a new worker before it takes requests.

    The engine is per process (DuckDB connections must not cross a fork), and building
    it reads the whole store; done here, a worker's first dashboard is as fast as the
    rest. A store that cannot be read is logged and left for the request to report.
    """
    from saferboard.crime.engine import engine

    try:
        engine()
    except Exception:  # warming is an optimisation, never a reason for a worker to die
        worker.log.exception("could not warm the crime engine")
