"""Snapshots of what an import may write, to prove a refused import wrote nothing; the
crime import run with those checks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db.models import Model

from saferboard.core.models import AuditEvent
from saferboard.crime.importer import import_files
from saferboard.crime.problems import ImportRejected
from saferboard.crime.provenance import ImportResult
from saferboard.measures.models import DataImport


def files_under_data_dir() -> dict[str, tuple[int, int]]:
    """Every file under ``settings.DATA_DIR``: relative path → (size, mtime in ns).

    The crime store's ``.lock`` file is left out: the writer creates it (empty) the first
    time it takes the lock, whether or not the import then succeeds.
    """
    root = Path(settings.DATA_DIR)
    out = {}
    for path in root.rglob("*"):
        if path.is_file() and path.name != ".lock":
            stat = path.stat()
            out[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return out


def row_counts(models: Iterable[type[Model]]) -> dict[str, int]:
    """The number of rows in each model's table."""
    return {m._meta.label: m.objects.count() for m in models}


def snapshot(models: Iterable[type[Model]]) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """Row counts of ``models`` and the files under DATA_DIR, taken together."""
    return row_counts(models), files_under_data_dir()


def crime_import(path: Path) -> ImportResult | ImportRejected:
    """Import ``path`` through the crime import's entry point: the result, with one
    import recorded; or the refusal, naming the file, with nothing written."""
    before = snapshot([DataImport, AuditEvent])
    try:
        result = import_files([path])
    except ImportRejected as rejected:
        assert rejected.problem.file == str(path), str(rejected.problem)
        assert snapshot([DataImport, AuditEvent]) == before
        return rejected
    assert DataImport.objects.count() == before[0]["measures.DataImport"] + 1
    assert result.data_import.pk and result.rows >= 0
    return result
