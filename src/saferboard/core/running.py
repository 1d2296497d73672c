"""Telling live background work from work whose process died.

Long work (a pack build, a web crime import) runs on a background thread and records
its state in the database as "building" or "running". If the process is killed, nothing
would ever change that row. So the work holds an exclusive ``flock`` on a file of its
own while it runs: the kernel releases the lock when the process dies, however it dies,
and anyone can then ask whether the work is still alive.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

# Background work takes seconds to minutes; work not started this long after it was
# recorded never will be (its process stopped between recording it and starting it).
NEVER_STARTED_AFTER = timedelta(minutes=10)


@contextlib.contextmanager
def running(path: Path) -> Iterator[None]:
    """Hold the lock file ``path`` while the block runs; remove it afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


def still_running(path: Path) -> bool | None:
    """True while some process holds the lock at ``path``, False if the file is there
    but nobody holds it (its process died), None if there is no such file (the work
    has not started, or has finished)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def may_be_running(path: Path, recorded_at: datetime) -> bool:
    """Whether work recorded at ``recorded_at`` and locking ``path`` may still be
    running: its lock is held, or it holds none yet (not started, or just finished) and
    was recorded less than :data:`NEVER_STARTED_AFTER` ago."""
    held = still_running(path)
    if held is None:
        return timezone.now() - recorded_at < NEVER_STARTED_AFTER
    return held


def remove_if_abandoned(path: Path) -> None:
    """Delete the lock file at ``path`` unless a live process holds it."""
    with contextlib.suppress(FileNotFoundError), path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        path.unlink(missing_ok=True)
