"""Backup and restore of a whole installation: the database and the data directory.

A backup is one ``.tar.gz`` holding ``manifest.json`` (engine, code version, time, and
the SHA-256 of every member), the database (an SQLite online-backup copy, or a
PostgreSQL ``pg_dump`` custom-format dump) and the data directory's files (columnar
stores, evidence, published packs). It is written to a temporary file and renamed, so
a crash never leaves a half-written backup under its final name. Restore checks every
checksum before it changes anything.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump/pg_restore only, without a shell
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from saferboard import __version__
from saferboard.core.checksums import file_sha256

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
DATA_PREFIX = "data/"
# Files in the data directory that are the database itself or disposable.
_SKIP_NAMES = {"saferboard.sqlite3", "saferboard.sqlite3-wal", "saferboard.sqlite3-shm"}
_SKIP_DIRS = {"static", "backups", "tmp"}
# Staging anywhere in the data directory (issue 18: 518 MB of a killed import's uploads
# went into a backup): web uploads waiting for their import, the crime store's partitions
# being written, job lock files, and API uploads and restores in progress; and derived
# caches (.cache: the crime engine's tables per store version), rebuilt when missing.
_STAGING_DIRS = {".uploads", ".staging", ".jobs", ".cache"}
_STAGING_PREFIXES = ("api-upload-", "sabo-restore-")


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    files: int
    bytes: int


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_tool(name: str) -> str:
    """The full path of a PostgreSQL client tool (pg_dump, pg_restore)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return path


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres")]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _data_files(data_dir: Path) -> list[Path]:
    files = []
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if not path.is_file() or rel.parts[0] in _SKIP_DIRS or path.name in _SKIP_NAMES:
            continue
        if path.name.startswith(".upload-") or path.suffix == ".tmp":
            continue  # half-written temporaries are not data
        if any(part in _STAGING_DIRS or part.startswith(_STAGING_PREFIXES) for part in rel.parts):
            continue  # uploads waiting for an import, imports being written: not data
        files.append(path)
    return files


def create_backup(out_dir: Path) -> BackupResult:
    """Write a backup of the configured database and data directory into ``out_dir``."""
    engine = _engine()
    data_dir = Path(settings.DATA_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = out_dir / f"saferboard-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="sabo-backup-") as work:
        work_dir = Path(work)
        if engine == "sqlite":
            db_copy = work_dir / SQLITE_MEMBER
            connection = connections["default"]
            connection.ensure_connection()
            target = sqlite3.connect(db_copy)
            try:
                connection.connection.backup(target)  # consistent online copy
            finally:
                target.close()
            db_member = SQLITE_MEMBER
        else:
            db_copy = work_dir / PG_MEMBER
            args, env = _pg_env()
            name = str(settings.DATABASES["default"]["NAME"])
            subprocess.run(  # noqa: S603 - no shell; args from settings  # nosec B603
                [
                    _pg_tool("pg_dump"),
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(db_copy),
                    name,
                ],
                check=True,
                env=env,
                capture_output=True,
            )
            db_member = PG_MEMBER
        members: list[dict[str, Any]] = [
            {"name": db_member, "sha256": file_sha256(db_copy), "bytes": db_copy.stat().st_size}
        ]
        data_files = _data_files(data_dir) if data_dir.exists() else []
        for path in data_files:
            members.append(
                {
                    "name": DATA_PREFIX + path.relative_to(data_dir).as_posix(),
                    "sha256": file_sha256(path),
                    "bytes": path.stat().st_size,
                }
            )
        manifest = {
            "format": 1,
            "engine": engine,
            "code_version": __version__,
            "created_at": datetime.now(UTC).isoformat(),
            "members": members,
        }
        manifest_path = work_dir / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        tmp = out_dir / f".{final.name}.tmp"
        with tarfile.open(tmp, "w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(db_copy, arcname=db_member)
            for path in data_files:
                tar.add(path, arcname=DATA_PREFIX + path.relative_to(data_dir).as_posix())
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, final)
    total = sum(m["bytes"] for m in members)
    return BackupResult(final, engine, len(data_files), total)


def _safe_members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for info in tar.getmembers():
        name = info.name
        if name.startswith("/") or ".." in Path(name).parts or not info.isfile():
            raise BackupError(f"Backup contains an unsafe entry: {name!r}")
        members[name] = info
    return members


def restore_backup(archive: Path, *, force: bool = False) -> dict[str, Any]:
    """Restore ``archive`` into the configured database and data directory.

    Every member's checksum is verified first; nothing is changed if any is wrong, if
    the engine differs, or (without ``force``) if the database already holds users.
    """
    engine = _engine()
    if not archive.exists():
        raise BackupError(f"No backup at {archive}")
    with tempfile.TemporaryDirectory(prefix="sabo-restore-") as work:
        work_dir = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar)
            if MANIFEST not in members:
                raise BackupError("The backup has no manifest.json")
            tar.extractall(work_dir, filter="data")
        manifest = json.loads((work_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("engine") != engine:
            raise BackupError(
                f"The backup is of a {manifest.get('engine')} database; this installation "
                f"uses {engine}"
            )
        for member in manifest["members"]:
            path = work_dir / member["name"]
            if not path.exists() or file_sha256(path) != member["sha256"]:
                raise BackupError(f"Checksum mismatch for {member['name']}: the backup is damaged")
        if not force and _has_users():
            raise BackupError("The database already holds data; use --force to replace it")
        if engine == "sqlite":
            _restore_sqlite(work_dir / SQLITE_MEMBER)
        else:
            _restore_postgresql(work_dir / PG_MEMBER)
        data_dir = Path(settings.DATA_DIR)
        # Files a backup would hold but this one does not were made after it: a restore
        # returns the data directory to the backup's moment, so they go (issue 18).
        kept = {
            member["name"][len(DATA_PREFIX) :]
            for member in manifest["members"]
            if member["name"].startswith(DATA_PREFIX)
        }
        removed = 0
        for path in _data_files(data_dir):
            if path.relative_to(data_dir).as_posix() not in kept:
                path.unlink(missing_ok=True)
                removed += 1
        restored = 0
        for member in manifest["members"]:
            if not member["name"].startswith(DATA_PREFIX):
                continue
            target = data_dir / member["name"][len(DATA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.restore.tmp")
            shutil.copyfile(work_dir / member["name"], tmp)
            os.replace(tmp, target)
            restored += 1
    return {
        "engine": engine,
        "files": restored,
        "removed": removed,
        "created_at": manifest["created_at"],
    }


def _has_users() -> bool:
    from saferboard.core.models import User

    try:
        return User.objects.exists()
    except Exception:
        return False


def _restore_sqlite(copy: Path) -> None:
    connection = connections["default"]
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)  # replaces the live database page by page
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    connections["default"].close()
    args, env = _pg_env()
    name = str(settings.DATABASES["default"]["NAME"])
    result = subprocess.run(  # noqa: S603 - no shell; args from settings  # nosec B603
        [
            _pg_tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            name,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
