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
    from gunicorn.app.base import BaseApplication

    from saferboard.wsgi import application

    class SaferboardServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):  # type: ignore[no-untyped-def]
            return application

    SaferboardServer().run()
