"""The columnar crime store: Parquet files under ``DATA_DIR/crime``, one per partition.

Layout (each file is one partition, replaced whole)::

    crime/police-uk/<force>/<YYYY-MM>.parquet      police.uk street rows
    crime/mps/<dataset>/<YYYY-MM>.parquet          Met recorded crime (borough, ward, lsoa)
    crime/mps-dashboard/<crime-type>/<YYYY-MM>.parquet   Met monthly crime dashboard extract
    crime/geography/lsoa.parquet                   LSOA (2011 and 2021) → LSOA21, ward, LA
    crime/geography/names.parquet                  names of LAs, wards and LSOAs
    crime/population/<year>.parquet                ONS mid-year estimates by age
    crime/manifest.json                            every partition: rows, import, when

An import writes every partition it produces into a private staging folder first.
Only when all are written does :meth:`CrimeStore.commit` move them into place with
``os.replace`` (atomic per file), inside the database transaction that records the
import (``measures.DataImport``). A journal lists the moves and where each replaced
file was set aside, so a crash half-way is settled the next time the store is opened
(by a writer, or by a reader through :meth:`CrimeStore.version`): if the import's
row was committed the moves are finished, otherwise they are undone and the set-aside
files put back. The database decides, so the files never disagree with it. Staging
folders left by a killed process are removed by the next writer. So an import is
all-or-nothing, and re-importing a month replaces exactly that month. Writers hold an
exclusive lock; readers never see a half-written file.
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
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    import duckdb

MANIFEST = "manifest.json"
JOURNAL = ".journal.json"
STAGING = ".staging"

# The manifest and the journal are JSON read back from disk, so their values are
# typed as json.loads gives them.
Json = dict[str, Any]
# One move of a commit: (staged file, its place in the store, where the file it
# replaces is set aside). A journal from before set-aside files has None there.
Move = tuple[str, str, str | None]


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
        self._staging: Path | None = None

    # Paths ---------------------------------------------------------------------------
    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def glob(self, pattern: str) -> str:
        """A DuckDB glob over the store (quoted for SQL by the caller)."""
        return str(self.root / pattern)

    def has(self, pattern: str) -> bool:
        return any(self.root.glob(pattern)) if self.root.exists() else False

    # Manifest ------------------------------------------------------------------------
    def manifest(self) -> Json:
        try:
            manifest: Json = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"generation": 0, "partitions": {}}
        return manifest

    def partitions(self, prefix: str = "") -> dict[str, Json]:
        """Manifest entries whose path starts with ``prefix``."""
        return {
            rel: meta
            for rel, meta in self.manifest()["partitions"].items()
            if rel.startswith(prefix)
        }

    def version(self) -> tuple[int, int]:
        """Changes whenever a commit lands (the manifest is replaced, so its inode
        changes): the cache key for anything computed from the store.

        A commit interrupted by a crash is settled first, so readers never see one, and
        a killed writer's staging folder is removed."""
        if (self.root / JOURNAL).exists() or (self.root / STAGING).exists():
            self._settle_abandoned()
        try:
            st = os.stat(self.root / MANIFEST)
        except FileNotFoundError:
            return (0, 0)
        return (st.st_ino, st.st_mtime_ns)

    # Writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Hold the writer's lock and yield a fresh staging folder (removed afterwards).

        On the way in, a commit a killed writer left behind is settled and its staging
        folders removed; on the way out, this writer's own commit is settled: kept if
        its import row is in the database, undone if the transaction rolled back.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self.recover()
                self._remove_dead_writers_files()
                staging = self.root / STAGING / uuid.uuid4().hex
                staging.mkdir(parents=True)
                self._staging = staging
                try:
                    yield staging
                finally:
                    self._staging = None
                    self.recover()
                    shutil.rmtree(staging, ignore_errors=True)
                    # An empty .staging left behind would make every reader try the lock.
                    with contextlib.suppress(OSError):
                        (self.root / STAGING).rmdir()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def commit(self, staged: list[StagedPartition], *, import_id: int | None) -> list[Json]:
        """Move staged partitions into place; return what each one replaced.

        Call inside :meth:`writing` and inside the database transaction that creates
        the import's ``DataImport`` row (``import_id``): the journal names that row, and
        :meth:`recover` keeps or undoes the moves according to whether it committed.
        """
        if self._staging is None:
            raise RuntimeError("CrimeStore.commit must be called inside CrimeStore.writing")
        manifest = self.manifest()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        replaced: list[Json] = []
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
        new_manifest = self._staging / MANIFEST
        new_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        undo = self._staging / "replaced"
        moves: list[Move] = [
            (str(p.staged), str(self.root / p.relpath), str(undo / p.relpath)) for p in staged
        ]
        moves.append((str(new_manifest), str(self.root / MANIFEST), str(undo / MANIFEST)))
        journal = self.root / JOURNAL
        tmp_journal = self.root / f"{JOURNAL}.tmp"
        tmp_journal.write_text(
            json.dumps({"import": _import_mark(import_id), "moves": moves}), encoding="utf-8"
        )
        os.replace(tmp_journal, journal)
        _forward(moves)
        return replaced

    def recover(self) -> None:
        """Settle a commit left in the journal (call with the lock held): finish it if
        its import row is in the database, undo it otherwise."""
        journal = self.root / JOURNAL
        if not journal.exists():
            return
        entry = json.loads(journal.read_text(encoding="utf-8"))
        if isinstance(entry, list):  # a journal from before imports were marked
            entry = {"import": None, "moves": [[*move, None] for move in entry]}
        if _import_committed(entry["import"]):
            _forward(entry["moves"])
        else:
            _backward(entry["moves"])
        journal.unlink()

    def _settle_abandoned(self) -> None:
        """Recover a journal, and remove staging folders, whose writer is gone (a live
        writer still holds the lock, and then nothing is touched)."""
        with open(self.root / ".lock", "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            try:
                self.recover()
                self._remove_dead_writers_files()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _remove_dead_writers_files(self) -> None:
        """Staging folders and a half-written journal (call with the lock held: every
        one is then a dead writer's leftover)."""
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        (self.root / f"{JOURNAL}.tmp").unlink(missing_ok=True)


def _import_mark(import_id: int | None) -> Json | None:
    """What identifies the import row: its id and creation time (SQLite may give a
    rolled-back id to a later row; the time tells them apart)."""
    if import_id is None:
        return None
    from saferboard.measures.models import DataImport

    imported_at = (
        DataImport.objects.filter(pk=import_id).values_list("imported_at", flat=True).first()
    )
    return {"id": import_id, "imported_at": imported_at.isoformat() if imported_at else None}


def _import_committed(mark: Json | None) -> bool:
    if mark is None:  # nothing to check against: finish the moves, as before
        return True
    from saferboard.measures.models import DataImport

    imported_at = (
        DataImport.objects.filter(pk=mark["id"]).values_list("imported_at", flat=True).first()
    )
    return imported_at is not None and imported_at.isoformat() == mark["imported_at"]


def _forward(moves: list[Move]) -> None:
    """Do the moves; each one sets the file it replaces aside first. Safe to repeat."""
    for source, target, aside in moves:
        if not os.path.exists(source):  # already moved before an interruption
            continue
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        if aside is not None and os.path.exists(target):
            Path(aside).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, aside)
        os.replace(source, target)


def _backward(moves: list[Move]) -> None:
    """Undo the moves, newest first: each new file goes back to staging and the file it
    replaced back into place. Safe to repeat."""
    for source, target, aside in reversed(moves):
        if not os.path.exists(source) and os.path.exists(target):
            os.replace(target, source)
        if aside is not None and os.path.exists(aside):
            os.replace(aside, target)


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier (a column named as the published file names it)."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(text: str | Path) -> str:
    """A SQL string literal (for paths and other values DuckDB cannot bind)."""
    return "'" + str(text).replace("'", "''") + "'"


def one_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The first row of a query that always gives one: an aggregate without GROUP BY
    (``count(*)``), or DESCRIBE of a table (which has at least one column)."""
    row = result.fetchone()
    if row is None:
        raise RuntimeError("A query that always gives a row gave none")
    return row
