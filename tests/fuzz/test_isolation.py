"""The fuzz harness itself, checked in the quick suite: fresh_example() isolates one
example from the next, and every property here carries the fuzz marker."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import Phase, example, given, is_hypothesis_test
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from saferboard.core.models import AuditEvent, Partnership
from saferboard.crime import engine as crime_engine
from saferboard.crime.importer import import_files
from saferboard.crime.store import CrimeStore
from saferboard.measures.models import DataImport
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import files_under_data_dir

FUZZ = Path(__file__).parent
STREET = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    b"LSOA name,Crime type,Last outcome category,Context\r\n"
    b"id-1,2023-06,City of London Police,City of London Police,,,,,,Burglary,,\r\n"
)


@pytest.mark.django_db
def test_an_example_sees_nothing_of_the_one_before(sabo_data_dir: Path) -> None:
    """Two examples in a row, each of which imports a file, adds a row, leaves files in
    both folders, opens a crime engine and caches a value: the second starts from none
    of it, and nothing is left once both are done."""
    seen: list[dict] = []

    @hypothesis_settings(phases=[Phase.explicit], database=None)
    @example(n=1)
    @example(n=2)
    @given(n=st.integers())
    def run(n: int) -> None:
        with fresh_example() as inputs:
            data_dir = Path(settings.DATA_DIR)
            # Nothing of an earlier example: rows, files, engines, cached values.
            assert data_dir != sabo_data_dir
            assert data_dir / "files" == settings.MEDIA_ROOT
            assert not any(data_dir.iterdir()) and not any(inputs.iterdir())
            assert not Partnership.objects.exists()
            assert not DataImport.objects.exists() and not AuditEvent.objects.exists()
            assert not crime_engine._engines
            assert cache.get("fuzz-example") is None
            # Leave some of everything behind.
            Partnership.objects.create(name=f"Example {n}", slug=f"example-{n}")
            path = inputs / "2023-06-city-of-london-street.csv"
            path.write_bytes(STREET)
            assert import_files([path]).rows == 1
            assert CrimeStore().partitions("police-uk/")
            engine = crime_engine.engine()
            cache.set("fuzz-example", n)
            seen.append({"root": inputs.parent, "engine": engine, "files": files_under_data_dir()})

    run()
    assert len(seen) == 2
    assert seen[0]["root"] != seen[1]["root"]
    for one in seen:
        assert one["files"]  # the example did write files to its data directory
        assert not one["root"].exists()  # and they were removed with it
        with pytest.raises(duckdb.ConnectionException):
            one["engine"].con.execute("SELECT 1")  # the engine's connection was closed
    assert not crime_engine._engines and cache.get("fuzz-example") is None
    assert not Partnership.objects.exists() and not DataImport.objects.exists()
    assert sabo_data_dir == settings.DATA_DIR and not any(sabo_data_dir.iterdir())


@pytest.mark.django_db
def test_an_example_that_fails_is_undone_too(sabo_data_dir: Path) -> None:
    with pytest.raises(RuntimeError), fresh_example() as inputs:
        Partnership.objects.create(name="Failing", slug="failing")
        (Path(settings.DATA_DIR) / "left.txt").write_text("x")
        raise RuntimeError("the example failed")
    assert not Partnership.objects.exists()
    assert not inputs.parent.exists()
    assert sabo_data_dir == settings.DATA_DIR


def test_every_property_is_marked_fuzz() -> None:
    """The quick suite leaves out what is marked fuzz: a property without the marker
    would run its full count of examples there."""
    unmarked = []
    for path in sorted(FUZZ.glob("test_*.py")):
        module = importlib.import_module(f"tests.fuzz.{path.stem}")
        module_marks = getattr(module, "pytestmark", [])
        if not isinstance(module_marks, list):
            module_marks = [module_marks]
        for name, test in vars(module).items():
            if name.startswith("test_") and is_hypothesis_test(test):
                marks = [*module_marks, *getattr(test, "pytestmark", [])]
                if not any(mark.name == "fuzz" for mark in marks):
                    unmarked.append(f"{path.name}::{name}")
    assert not unmarked, f"mark these pytest.mark.fuzz: {unmarked}"
