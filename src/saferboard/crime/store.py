"""The columnar crime store: Parquet files under ``DATA_DIR/crime``, one per partition.

Layout (each file is one partition, replaced whole)::

    crime/police-uk/<force>/<YYYY-MM>.parquet      police.uk street rows
    crime/mps/<dataset>/<YYYY-MM>.parquet          Met recorded crime (borough, ward, lsoa)
    crime/geography/lsoa.parquet                   LSOA (2011 and 2021) → LSOA21, ward, LA
    crime/geography/names.parquet                  names of LAs, wards and LSOAs
    crime/population/<year>.parquet                ONS mid-year estimates by age
    crime/manifest.json                            every partition: rows, import, when

An import writes every partition it produces into a private staging folder first.
Only when all are written does :meth:`CrimeStore.commit` move them into place with
``os.replace`` (atomic per file), guided by a journal so that a crash half-way through
the moves is finished, not left half-done, the next time the store is opened. So an
import is all-or-nothing, and re-importing a month replaces exactly that month.
Writers hold an exclusive lock; readers never see a half-written file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

MANIFEST = "manifest.json"
JOURNAL = ".journal.json"


@dataclass(frozen=True)
class StagedPartition:
    """A partition written to staging, waiting to be moved to ``relpath``."""

    staged: Path
    relpath: str
    rows: int


class CrimeStore:
    """Paths, locking and atomic replacement for the columnar store."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else Path(settings.DATA_DIR) / "crime"

    # Paths ---------------------------------------------------------------------------
    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def glob(self, pattern: str) -> str:
        """A DuckDB glob over the store (quoted for SQL by the caller)."""
        return str(self.root / pattern)

    def has(self, pattern: str) -> bool:
        return any(self.root.glob(pattern)) if self.root.exists() else False

    # Manifest ------------------------------------------------------------------------
    def manifest(self) -> dict:
        try:
            return json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"generation": 0, "partitions": {}}

    def partitions(self, prefix: str = "") -> dict[str, dict]:
        """Manifest entries whose path starts with ``prefix``."""
        return {
            rel: meta
            for rel, meta in self.manifest()["partitions"].items()
            if rel.startswith(prefix)
        }

    def version(self) -> tuple[int, int]:
        """Changes whenever a commit lands (the manifest is replaced, so its inode
        changes): the cache key for anything computed from the store."""
        try:
            st = os.stat(self.root / MANIFEST)
        except FileNotFoundError:
            return (0, 0)
        return (st.st_ino, st.st_mtime_ns)

    # Writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Hold the writer's lock and yield a fresh staging folder (removed afterwards)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self.recover()
                staging = self.root / ".staging" / uuid.uuid4().hex
                staging.mkdir(parents=True)
                try:
                    yield staging
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def commit(self, staged: list[StagedPartition], *, import_id: int | None) -> list[dict]:
        """Move staged partitions into place; return what each one replaced.

        Call inside :meth:`writing`. The journal makes the moves all-or-nothing across
        a crash: :meth:`recover` finishes them.
        """
        manifest = self.manifest()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        replaced = []
        for part in staged:
            before = manifest["partitions"].get(part.relpath)
            if before is not None:
                replaced.append({"partition": part.relpath, **before})
            manifest["partitions"][part.relpath] = {
                "rows": part.rows,
                "import_id": import_id,
                "written_at": now,
            }
        manifest["generation"] = int(manifest.get("generation", 0)) + 1
        new_manifest = self.root / f".manifest-{uuid.uuid4().hex}.json"
        new_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        moves = [(str(p.staged), str(self.root / p.relpath)) for p in staged]
        moves.append((str(new_manifest), str(self.root / MANIFEST)))
        journal = self.root / JOURNAL
        tmp_journal = self.root / f"{JOURNAL}.tmp"
        tmp_journal.write_text(json.dumps(moves), encoding="utf-8")
        os.replace(tmp_journal, journal)
        self._apply(moves)
        journal.unlink()
        return replaced

    def recover(self) -> None:
        """Finish the moves of a commit that was interrupted (call with the lock held)."""
        journal = self.root / JOURNAL
        if journal.exists():
            self._apply(json.loads(journal.read_text(encoding="utf-8")))
            journal.unlink()

    @staticmethod
    def _apply(moves: list[list[str]] | list[tuple[str, str]]) -> None:
        for source, target in moves:
            if os.path.exists(source):  # already moved before an interruption
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier (a column named as the published file names it)."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(text: str | Path) -> str:
    """A SQL string literal (for paths and other values DuckDB cannot bind)."""
    return "'" + str(text).replace("'", "''") + "'"
