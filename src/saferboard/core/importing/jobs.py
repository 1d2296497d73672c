"""What the background import jobs share (issue 23: the crime and youth justice jobs
each wrote these): where uploads wait for their import, text safe to store and show,
removing what a stopped server left behind, and queueing a refresh again after it failed.

The jobs' own rows are :class:`saferboard.core.models.ImportJobBase`; settling a job
whose worker stopped stays in each app, as each import commits its own way.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

NEVER_STARTED_AFTER = timedelta(minutes=10)
"""Work not started this long after it was recorded, and with no task record, never will be."""

WAITING_AGAIN = "Waiting for a worker (the one importing this stopped; it will start again)"

REFRESH_ATTEMPTS = 3
"""A refresh after an import that fails is tried this many times in all ..."""
REFRESH_RETRY_AFTER = timedelta(minutes=2)
"""... this long apart (where the queue can defer: the database backend)."""


def uploads_root(app: str) -> Path:
    """Where ``app``'s web uploads wait for their import: staging under the data
    directory, never data (shared by app servers and workers; backups leave ``.uploads``
    out, and the next start removes what a stopped server left there)."""
    return Path(settings.DATA_DIR) / app / ".uploads"


def printable(value: Any) -> Any:
    """``value`` with any string in it made safe to store and show.

    A file that is not UTF-8 is read with ``surrogateescape``, so a problem quoting its
    value holds lone surrogates, which no page can encode: the job page answered 500
    (issue 18). Each becomes U+FFFD, the replacement character.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def remove_abandoned_uploads(
    root: Path, live: Collection[str], *, older_than: timedelta | None = None
) -> None:
    """Remove the upload folders under ``root`` that no live job needs (``live`` names
    theirs): a killed server's (issue 18 found 518 MB of them, which then went into the
    backup). With ``older_than``, only folders unchanged that long: a job being started
    now has its folder before its row is read as live."""
    if not root.is_dir():
        return
    cutoff = None if older_than is None else (timezone.now() - older_than).timestamp()
    for folder in root.iterdir():
        if folder.name in live:
            continue
        if cutoff is None or folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def queue_attempt(task: Any, attempt: int, *args: Any) -> None:
    """Queue ``task(*args, attempt)``: at once the first time, a later attempt
    :data:`REFRESH_RETRY_AFTER` from now where the queue can defer.

    Called inside the transaction that reports an import: with the database backend
    the queue record commits with the report, so an import never stands without its
    refresh queued, and a refresh never runs for an import that rolled back.
    """
    if attempt > 1 and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + REFRESH_RETRY_AFTER)
    task.enqueue(*args, attempt)
