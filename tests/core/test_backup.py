"""Backup and restore round trip a populated installation, on SQLite and PostgreSQL.

Runs the real `saferboard` commands in subprocesses against a throwaway data
directory (and, on PostgreSQL, a throwaway database), then compares every table and
every data file before and after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

DIGEST_SCRIPT = """
import hashlib, json
from django.apps import apps
from django.db import connection
tables = set(connection.introspection.table_names())
out = {}
for model in apps.get_models():
    if model._meta.db_table not in tables:
        continue
    rows = list(model._base_manager.order_by("pk").values_list())
    out[model._meta.db_table] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps(out))
"""

LOAD_SCRIPT = """
from saferboard.core import demo as core_demo
from saferboard.measures import demo as measures_demo
from django.core.files.uploadedfile import SimpleUploadedFile
from saferboard.core.evidence import store_evidence
from saferboard.core.models import Organisation, User
partnership, _ = core_demo.load()
measures_demo.load(partnership)
store_evidence(SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 evidence"),
               user=User.objects.get(username="coordinator"),
               organisation=Organisation.objects.get(slug="council"))
"""


def _saferboard(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "saferboard", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _files(data_dir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(data_dir).as_posix(): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and "backups" not in p.parts and not p.name.startswith("saferboard.sqlite3")
    }


def _round_trip(env: dict[str, str], data_dir: Path, fresh_database) -> None:  # type: ignore[no-untyped-def]
    _saferboard(env, "migrate", "--verbosity", "0")
    _saferboard(env, "shell", "-c", LOAD_SCRIPT)
    before_tables = json.loads(_saferboard(env, "shell", "-v", "0", "-c", DIGEST_SCRIPT))
    before_files = _files(data_dir)
    assert before_tables["core_user"][0] >= 8 and len(before_files) == 1

    out = _saferboard(env, "backup", "--out", str(data_dir.parent / "backups"))
    archive = Path(out.rsplit(" to ", 1)[1].strip())
    assert archive.exists()

    # Lose everything, then restore onto an empty installation.
    env = fresh_database(env)
    for path in list(data_dir.rglob("*")):
        if path.is_file():
            path.unlink()
    _saferboard(env, "restore", str(archive))
    after_tables = json.loads(_saferboard(env, "shell", "-v", "0", "-c", DIGEST_SCRIPT))
    assert after_tables == before_tables
    assert _files(data_dir) == before_files

    # A second restore onto a populated database needs --force.
    result = subprocess.run(
        [sys.executable, "-m", "saferboard", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "--force" in result.stderr

    # Files made after the backup are gone after a restore (issue 18, finding 15).
    late = data_dir / "files" / "evidence" / "after-the-backup.pdf"
    late.parent.mkdir(parents=True, exist_ok=True)
    late.write_bytes(b"%PDF-1.4 made later")
    _saferboard(env, "restore", "--force", str(archive))
    assert not late.exists()
    assert _files(data_dir) == before_files


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"SABO_MODE": "demo", "SABO_DATA_DIR": str(data_dir)})
    return env


# The SQLite tests run the real commands on their own SQLite file whatever the suite's
# database is: once, in the SQLite run, is enough.
sqlite_run_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite run only"
)


@sqlite_run_only
def test_sqlite_backup_round_trip(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    def fresh(env: dict[str, str]) -> dict[str, str]:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / f"saferboard.sqlite3{suffix}").unlink(missing_ok=True)
        return env

    _round_trip(_base_env(data_dir), data_dir, fresh)


@sqlite_run_only
def test_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    import tarfile

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = _base_env(data_dir)
    _saferboard(env, "migrate", "--verbosity", "0")
    out = _saferboard(env, "backup", "--out", str(tmp_path / "b"))
    archive = Path(out.rsplit(" to ", 1)[1].strip())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "database.sqlite3":
                data = data[:-10] + b"0123456789"
            info.size = len(data)
            import io

            dst.addfile(info, io.BytesIO(data))
    result = subprocess.run(
        [sys.executable, "-m", "saferboard", "restore", "--force", str(damaged)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Checksum mismatch for database.sqlite3" in result.stderr


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL run only",
)
def test_postgresql_backup_round_trip(tmp_path: Path) -> None:
    import psycopg

    base_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"sabo_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = psycopg.connect(f"{base_url}/postgres", autocommit=True)
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        env = {**_base_env(data_dir), "DATABASE_URL": f"{base_url}/{names[0]}"}

        def fresh(env: dict[str, str]) -> dict[str, str]:
            return {**env, "DATABASE_URL": f"{base_url}/{names[1]}"}

        _round_trip(env, data_dir, fresh)
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
