"""Crime dashboards built once for every process of the installation, per version of
the crime store.

After an import every web process (three gunicorn processes per app server, several
app servers) finds no dashboard for the new version of the store. Each building the
same one at once is what made crime pages take 5-9 s just after an import in the
two-server load run (docs/performance.md, 2026-12-07). The first process to ask builds
it under a file lock in the data directory and leaves it there; the others wait on the
lock and read it. It is derived data: kept under ``.cache`` (left out of backups),
in a folder per store version, and earlier versions' folders are removed.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle  # nosec B403  # our own objects, in our own data directory
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cache_folder(store_root: Path, version: tuple[int, int]) -> Path:
    """Where the dashboards of this version of the store at ``store_root`` are kept."""
    return (
        store_root.parent
        / ".cache"
        / f"{store_root.name}-dashboards"
        / f"{version[0]}-{version[1]}"
    )


def build_shared(
    store_root: Path, version: tuple[int, int], key: tuple[object, ...], build: Callable[[], T]
) -> T:
    """``build()``'s result for ``key`` and this store version: read if another process
    has built it, otherwise built here (one process at a time per key) and left for
    the others. A cache that cannot be written or read only costs a build."""
    if version == (0, 0):
        return build()  # no store yet: nothing worth keeping
    folder = cache_folder(store_root, version)
    name = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:40]
    kept = folder / f"{name}.pickle"
    found: T | None = _read(kept)
    if found is not None:
        return found
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / f"{name}.lock", "a")  # noqa: SIM115 (held across the build)
    except OSError:
        return build()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            found = _read(kept)
            if found is not None:
                return found
            result = build()
            _write(kept, result)
            _forget_other_versions(folder)
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read(path: Path) -> Any:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)  # noqa: S301  # nosec B301  # only what _write wrote
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None  # not built yet, removed by a newer version, or damaged


def _write(path: Path, value: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)


def _forget_other_versions(folder: Path) -> None:
    """Remove the folders of the store's earlier versions (a process still on one
    only loses its cache, never a figure: figures are stored as observations)."""
    for other in folder.parent.iterdir():
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
