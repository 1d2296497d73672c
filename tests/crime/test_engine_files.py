"""The crime engine's tables are built once per store version for every process: the
first process keeps them in a DuckDB file under the data directory's .cache and the
others open it read-only (the crime pages' 4-9 s right after an import in the
two-server load run were every process rebuilding them at once)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from saferboard.crime.engine import Engine
from saferboard.crime.engine_files import engine_file, open_or_build
from saferboard.crime.store import CrimeStore

from .conftest import CITY_JUNE


@pytest.fixture(autouse=True)
def _engine_files_on(settings):  # type: ignore[no-untyped-def]
    """On in production and demo; the test settings leave it off (see settings.py)."""
    settings.CRIME_ENGINE_FILES = True


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name"
        ).fetchall()
    ]
    # Each table's row count and a checksum of its rows (comparing every row is slow).
    return {
        n: con.execute(f"SELECT count(*), sum(hash(t)) FROM {n} t").fetchall()  # noqa: S608 - names from the catalogue
        for n in names
    }


@pytest.mark.django_db
def test_the_second_engine_of_a_version_opens_the_first_ones_tables(met_borough: object) -> None:
    store = CrimeStore()
    built = Engine(store)
    kept = engine_file(store.root, built.version)
    assert kept is not None and kept.exists()
    assert ".cache" in kept.relative_to(store.root.parent).parts

    opened = Engine(CrimeStore())
    # Read-only: it is the kept file, not a second build.
    with pytest.raises(duckdb.Error, match="read-only"):
        opened.con.execute("CREATE TABLE scratch (a INTEGER)")
    assert opened.lookups == built.lookups == {"lsoa11": "shipped", "lsoa21": "shipped"}
    assert _tables(opened.con) == _tables(built.con)
    assert set(_tables(built.con)) >= {"mps_series", "mps_cover", "pu_series", "names"}

    # The same figure either way: Bromley's recorded crime in its latest months.
    query = (
        "SELECT month, sum(n) FROM mps_series WHERE kind = 'lad' AND area = 'E09000006' "
        "GROUP BY month ORDER BY month DESC LIMIT 3"
    )
    figures = built.cursor().execute(query).fetchall()
    assert figures and opened.cursor().execute(query).fetchall() == figures


@pytest.mark.django_db
def test_an_import_makes_a_new_file_and_removes_the_earlier_versions(met_borough: object) -> None:
    from saferboard.crime.importer import import_files

    store = CrimeStore()
    first = engine_file(store.root, Engine(store).version)
    assert first is not None and first.exists()

    import_files([CITY_JUNE])
    second_engine = Engine(CrimeStore())
    second = engine_file(store.root, second_engine.version)
    assert second is not None and second != first
    assert second.exists() and not first.exists()
    assert sorted(p.suffix for p in second.parent.iterdir()) == [".duckdb", ".lock"]
    # The new version's tables hold the police.uk month the import added.
    months = second_engine.cursor().execute("SELECT DISTINCT month FROM pu_series").fetchall()
    assert [str(m[0]) for m in months] == ["2023-06-01"]


@pytest.mark.django_db
def test_a_damaged_file_only_costs_a_build(met_borough: object) -> None:
    store = CrimeStore()
    path = engine_file(store.root, store.version())
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database")

    eng = Engine(store)  # built in memory instead, and the damaged file replaced
    assert eng.cursor().execute("SELECT count(*) FROM mps_series").fetchone() != (0,)
    assert (
        duckdb.connect(str(path), read_only=True)
        .execute("SELECT count(*) FROM mps_series")
        .fetchone()
        == eng.cursor().execute("SELECT count(*) FROM mps_series").fetchone()
    )


def test_processes_asking_at_once_wait_for_one_build(tmp_path: Path) -> None:
    """The lock is a file lock, so it holds between processes; two threads of one
    process, each opening the lock file, contend for it the same way."""
    path = tmp_path / ".cache" / "crime-engine" / "1-2-abc.duckdb"
    builds: list[int] = []
    start = threading.Barrier(3)

    def build(con: duckdb.DuckDBPyConnection) -> None:
        builds.append(1)
        time.sleep(0.3)  # long enough for the others to arrive and wait
        con.execute("CREATE TABLE answer AS SELECT 42 AS n")

    answers: list[object] = []

    def ask() -> None:
        start.wait()
        con = open_or_build(path, build)
        answers.append(con.execute("SELECT n FROM answer").fetchone())

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert builds == [1]
    assert answers == [(42,)] * 3


def test_an_empty_store_keeps_no_file(tmp_path: Path) -> None:
    assert engine_file(tmp_path / "crime", (0, 0)) is None


def test_backups_leave_the_cache_out(tmp_path: Path) -> None:
    from saferboard.core.backup import _data_files

    (tmp_path / ".cache" / "crime-engine").mkdir(parents=True)
    (tmp_path / ".cache" / "crime-engine" / "1-2-abc.duckdb").write_bytes(b"x")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "a.pdf").write_bytes(b"%PDF")
    assert [p.relative_to(tmp_path).as_posix() for p in _data_files(tmp_path)] == ["evidence/a.pdf"]


@pytest.mark.django_db
def test_turned_off_each_process_builds_its_own(met_borough: object, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CRIME_ENGINE_FILES = False
    store = CrimeStore()
    eng = Engine(store)
    path = engine_file(store.root, eng.version)
    assert path is not None and not path.parent.exists()
    eng.con.execute("CREATE TABLE scratch (a INTEGER)")  # in memory, not a kept file
