"""A throwaway Saferboard installation driven through its real command line.

Each installation is a folder holding a file-based SQLite database (``db.sqlite3``)
and a data directory (``data/``). Commands run in a child process exactly as an
operator would run them (``python -m saferboard.cli ...``), so a test can kill one
with SIGKILL at any moment.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """A finished child process: how it ended and how long it took."""

    returncode: int
    seconds: float
    output: str


class Installation:
    """Paths, environment and child processes of one installation under ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.database = home / "db.sqlite3"
        self.data = home / "data"
        self.work = home / "work"  # the children's working directory (DuckDB temp files)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SABO_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="saferboard.settings",
            DATABASE_URL=f"sqlite:///{self.database}",
            SABO_DATA_DIR=str(self.data),
            SABO_MODE="test",
            SABO_CRIME_ENGINE_FILES="1",  # as in production: tables kept for all processes
            SECRET_KEY="fault-injection-secret-key",
            PSEUDONYM_KEY="fault-injection-pseudonym-key",
            PYTHONPATH=str(REPO),  # the drivers in tests/faults run as modules
            # Fixed: a commit landing between the reference run and a re-run (other
            # work on this checkout) must not make their imports' rows differ.
            SABO_CODE_VERSION="fault-injection",
        )
        return env

    def start(self, *args: str, module: str = "saferboard.cli") -> subprocess.Popen[str]:
        """Start ``python -m module args`` (the ``saferboard`` command by default)."""
        self.work.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=self.work,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, *args: str, module: str = "saferboard.cli", check: bool = True) -> Run:
        """Run to completion; fail loudly (with the output) if ``check`` and it fails."""
        started = time.perf_counter()
        child = self.start(*args, module=module)
        output, _ = child.communicate(timeout=600)
        result = Run(child.returncode, time.perf_counter() - started, output)
        if check and result.returncode != 0:
            raise AssertionError(f"{module} {' '.join(args)} failed:\n{output[-4000:]}")
        return result

    def kill_after(self, delay: float, *args: str, module: str = "saferboard.cli") -> int | None:
        """Start a command, SIGKILL it after ``delay`` seconds; return its exit code if
        it had already finished (``None`` when the kill landed)."""
        child = self.start(*args, module=module)
        try:
            child.wait(timeout=delay)
            child.communicate()
            return child.returncode
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.communicate()
            return None

    def copy_from(self, other: Installation) -> None:
        """Make this installation an exact copy of ``other`` (database and data)."""
        if self.home.exists():
            shutil.rmtree(self.home)
        self.home.mkdir(parents=True)
        shutil.copy2(other.database, self.database)
        # A process that exits without closing its connection leaves its last commits
        # in SQLite's write-ahead log: copy it (and its index) with the database.
        for suffix in ("-wal", "-shm"):
            sidecar = other.database.with_name(other.database.name + suffix)
            if sidecar.exists():
                shutil.copy2(sidecar, self.database.with_name(self.database.name + suffix))
        shutil.copytree(other.data, self.data, symlinks=True)
