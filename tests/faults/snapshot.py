"""Everything an installation stores, in a form two states can be compared in.

A snapshot is every row of every table of the SQLite database (read with ``sqlite3``
directly, rows sorted) and the relative path and SHA-256 of every file under the data
directory. Nothing is left out: lock files, journals and staging folders count too.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.installation import Installation

# Wall-clock times (SQLite's "2026-11-23 03:11:00.123456", ISO "…T03:11:00+00:00").
_BYTES = re.compile(r'"bytes": \d+')
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?")


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, list[tuple]]
    files: dict[str, str] = field(default_factory=dict)
    manifest: str = ""  # the crime store's manifest.json, as text

    def differences(self, other: Snapshot, limit: int = 12) -> list[str]:
        """Human-readable differences, for failure messages."""
        out = []
        for name in sorted(set(self.tables) | set(other.tables)):
            mine, theirs = set(self.tables.get(name, [])), set(other.tables.get(name, []))
            for row in sorted(mine - theirs, key=repr)[:3]:
                out.append(f"table {name}: only in first: {str(row)[:300]}")
            for row in sorted(theirs - mine, key=repr)[:3]:
                out.append(f"table {name}: only in second: {str(row)[:300]}")
        if self.manifest != other.manifest:
            out.append("crime/manifest.json text differs")
        for path in sorted(set(self.files) | set(other.files)):
            if self.files.get(path) != other.files.get(path):
                out.append(f"file {path}: {self.files.get(path)} != {other.files.get(path)}")
        return out[:limit]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot(site: Installation) -> Snapshot:
    """Every row and every file of ``site``. Opening the database rolls back the
    transaction of a killed writer (SQLite's hot journal), as any next start would."""
    con = sqlite3.connect(site.database)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {
            name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608 - names from sqlite_master
            for name in names
        }
    finally:
        con.close()
    files = {
        str(path.relative_to(site.data)): _sha256(path)
        for path in sorted(site.data.rglob("*"))
        # .cache holds derived data (the crime engine's tables per store version): not
        # a store, rebuilt whenever it is missing, left out of backups too.
        if (path.is_file() or path.is_symlink())
        and ".cache" not in path.relative_to(site.data).parts
    }
    manifest_path = site.data / "crime" / "manifest.json"
    manifest = manifest_path.read_text(encoding="utf-8") if manifest_path.exists() else ""
    return Snapshot(tables, files, manifest)


def _times_out(value: object) -> object:
    return _TIME.sub("<time>", value) if isinstance(value, str) else value


def normalised(snap: Snapshot, *, rendered: tuple[str, ...] = ()) -> Snapshot:
    """``snap`` with what legitimately differs between two runs of the same command
    replaced by placeholders, so a killed run can be compared with a reference run:

    - wall-clock times anywhere in a row (``imported_at``, audit times, the times
      inside JSON such as ``detail.replaced[].written_at``) become ``<time>``;
    - the crime manifest's ``written_at`` likewise (the partitions it lists, their
      rows and import ids are compared as they are);
    - files under the ``rendered`` prefixes (board pack PDF/DOCX/HTML, which embed
      their creation time) become ``<rendered>``, and their SHA-256 wherever a row
      quotes it becomes ``<sha of PATH>``; each test checks those checksums against
      the files separately;
    - ``reports_pack.build_seconds`` (how long the build took) becomes ``<seconds>``,
      and the rendered files' byte sizes in ``reports_pack.files`` become ``<n>``.

    Ids are *not* normalised: SQLite reuses the id of a rolled-back insert, so a run
    after a kill that rolled back gets the same ids as the reference run.
    """
    shas = {sha: path for path, sha in snap.files.items() if path.startswith(rendered)}
    tables = {}
    for name, rows in snap.tables.items():
        new_rows = []
        for row in rows:
            values = []
            for value in row:
                value = _times_out(value)
                if isinstance(value, str) and shas:
                    for sha, path in shas.items():
                        value = value.replace(sha, f"<sha of {path}>")
                values.append(value)
            if name == "reports_pack":
                values = [_seconds(v) for v in values]
            new_rows.append(tuple(values))
        tables[name] = sorted(new_rows, key=repr)
    files = {}
    for path, sha in snap.files.items():
        if path.startswith(rendered):
            files[path] = "<rendered>"
        elif path == "crime/manifest.json":
            files[path] = _TIME.sub("<time>", snap.manifest)
        else:
            files[path] = sha
    return Snapshot(tables, files)  # the manifest is compared through files


def _seconds(value: object) -> object:
    """Build time, and the byte sizes of rendered files (their embedded times vary)."""
    if isinstance(value, float):
        return "<seconds>"
    return _BYTES.sub('"bytes": "<n>"', value) if isinstance(value, str) else value
