"""Real ``saferboard serve`` processes on loopback for the worker-process tests: started
on a free port against the test's own database and data directory, driven over HTTP
with a signed-in session like a browser, and stopped however the test ends."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import requests
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this test runs on (the test database)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
    return f"sqlite:///{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path) -> dict[str, str]:
    """The children's environment: Saferboard's own settings (tasks on the database
    backend), this test's database and data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SABO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="saferboard.settings",
        DATABASE_URL=database_url(),
        SABO_DATA_DIR=str(data_dir),
        SABO_MODE="test",
        SABO_CRIME_ENGINE_FILES="1",  # as in production: tables kept for all processes
        PYTHONPATH=str(REPO),
    )
    return env


def start(data_dir: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``saferboard *args`` in its own process group (so it and its children
    can be stopped together), output to ``log``."""
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "saferboard.cli", *args],
            cwd=data_dir.parent,
            env=environment(data_dir),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def serve(data_dir: Path, log: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    """``saferboard serve`` on ``port`` with one web worker (and its background worker)."""
    return start(
        data_dir, log, "serve", "--port", str(port), "--workers", "1", "--threads", "2", *extra
    )


def wait_until_up(port: int, child: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"the server on port {port} exited ({child.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"the server on port {port} did not answer in {timeout:.0f}s")


def stop(child: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 40) -> None:
    """Signal the child's process group and wait; SIGKILL whatever is left."""
    if child.poll() is None:
        try:
            os.killpg(child.pid, sig)
            child.wait(timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait(5)


class Browser:
    """A signed-in session on one server, posting forms with their CSRF token."""

    def __init__(self, port: int, session_key: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session_key, domain="127.0.0.1")

    def post_form(self, page: str, action: str, **kwargs: Any) -> requests.Response:
        """GET ``page`` for its CSRF token, then POST ``action`` (no redirects followed)."""
        text = self.http.get(self.base + page, timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert token, f"no CSRF token on {page}"
        data = {"csrfmiddlewaretoken": token.group(1), **kwargs.pop("data", {})}
        return self.http.post(
            self.base + action,
            data=data,
            headers={"Referer": self.base + page},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
