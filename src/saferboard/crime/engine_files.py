"""The crime engine's tables built once per version of the store, for every process.

After an import each web process (three per app server, several app servers) and the
worker found a new version of the crime store and rebuilt the engine's aggregates from
every Parquet file at once: about 1.4 s of CPU each on the demo data, so on two cores
the crime pages right after an import took 4-9 s in the two-server load run
(docs/performance.md, 2026-12-07/08). Now the first process to need a version builds
its tables in memory, as before, and keeps a copy in a DuckDB file in the data
directory; the others (waiting on a file lock while it builds) open that file read-only
in a few milliseconds.

It is derived data: kept under ``.cache`` (left out of backups), named by the store
version and by a fingerprint of the code that builds it (a deploy's new code never
reads the old code's tables), and earlier versions' files are removed. Anything that
goes wrong with the file only costs a build in memory, as before.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from saferboard.core.code_version import code_version
from saferboard.crime.store import sql_string

FOLDER = "engine"


@functools.cache
def code_fingerprint() -> str:
    """What the engine's tables depend on besides the store: the code version, the
    DuckDB version (its file format), and the crime package's source and shipped
    files (so an edit in a working copy does not read tables an older edit built)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{code_version()}|{duckdb.__version__}".encode())
    for path in sorted(package.glob("*.py")) + sorted((package / "data").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def engine_file(store_root: Path, version: tuple[int, int]) -> Path | None:
    """Where the tables of this version of the store at ``store_root`` are kept (None
    for an empty store: nothing worth keeping)."""
    if version == (0, 0):
        return None
    folder = store_root.parent / ".cache" / f"{store_root.name}-{FOLDER}"
    return folder / f"{version[0]}-{version[1]}-{code_fingerprint()}.duckdb"


def open_or_build(
    path: Path | None, build: Callable[[duckdb.DuckDBPyConnection], None]
) -> duckdb.DuckDBPyConnection:
    """A connection holding the engine's tables: the kept file opened read-only if a
    process has built it, otherwise built here by ``build`` (one process at a time per
    file, the others waiting for it) into an in-memory connection and kept."""
    if path is None:
        return _built(build)
    kept = _open(path)
    if kept is not None:
        return kept
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 (held across the build)
    except OSError:
        return _built(build)
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            kept = _open(path)
            if kept is not None:
                return kept
            con = _built(build)
            _keep(con, path)
            return con
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _built(build: Callable[[duckdb.DuckDBPyConnection], None]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    build(con)
    return con


def _open(path: Path) -> duckdb.DuckDBPyConnection | None:
    if not path.exists():
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # removed by a newer version meanwhile, or damaged: build instead


def _keep(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Copy ``con``'s tables into ``path``, whole or not at all (written under another
    name, then renamed), and remove the files of the store's earlier versions."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con.execute(f"ATTACH {sql_string(str(tmp))} AS kept")
        try:
            con.execute("COPY FROM DATABASE memory TO kept")
            con.execute("CHECKPOINT kept")
        finally:
            con.execute("DETACH kept")
            con.execute("USE memory")
        if Path(f"{tmp}.wal").exists():
            raise OSError("the copy left a write-ahead log")  # not a whole file: keep none
        os.replace(tmp, path)
    except (OSError, duckdb.Error):
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        return
    for other in path.parent.iterdir():
        # A process still reading an earlier version keeps its open file (POSIX).
        if other.suffix in {".duckdb", ".lock"} and other.stem != path.stem:
            other.unlink(missing_ok=True)
        elif other.suffix in {".tmp", ".wal"} and _older_than_an_hour(other):
            other.unlink(missing_ok=True)  # a killed builder's copy


def _older_than_an_hour(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > 3600
    except OSError:
        return False
