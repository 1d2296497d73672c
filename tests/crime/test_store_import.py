"""The crime store's imports run through the one import pipeline (issue 23): the
provenance row, the store's journalled moves, what they replaced and the audit record
commit together or not at all."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from saferboard.core.models import AuditAction, AuditEvent
from saferboard.crime import store_import
from saferboard.crime.importer import import_files
from saferboard.crime.store import CrimeStore
from saferboard.measures.models import DataImport
from tests.crime.conftest import CITY_JUNE, CITY_OCTOBER, store_snapshot

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "saferboard"


def test_an_import_records_its_row_its_replacements_and_its_audit_once(
    sabo_data_dir: Path,
) -> None:
    first = import_files([CITY_JUNE])
    again = import_files([CITY_JUNE])
    # The second import replaced the first's one partition, and says so on its row.
    assert again.data_import.detail["replaced"] == [
        {
            "partition": "police-uk/city-of-london/2023-06.parquet",
            "rows": 747,
            "import_id": first.data_import.pk,
            "written_at": again.data_import.detail["replaced"][0]["written_at"],
        }
    ]
    events = AuditEvent.objects.filter(
        action=AuditAction.IMPORT, object_id=str(again.data_import.pk)
    )
    assert events.count() == 1
    assert events.get().detail["rows"] == 747
    assert events.get().actor_label == "command line"


def test_a_failure_after_the_store_moved_leaves_store_and_database_as_they_were(
    sabo_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_files([CITY_JUNE])
    store_before = store_snapshot(CrimeStore().root)
    imports_before = DataImport.objects.count()
    audits_before = AuditEvent.objects.count()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    # The audit step runs after the partitions were moved into place: its failure must
    # roll the database back and the store's journal must undo the moves.
    monkeypatch.setattr(store_import, "audit_import", fail)
    with pytest.raises(RuntimeError, match="audit log"):
        import_files([CITY_JUNE, CITY_OCTOBER])
    assert DataImport.objects.count() == imports_before
    assert AuditEvent.objects.count() == audits_before
    assert store_snapshot(CrimeStore().root) == store_before
    assert not (CrimeStore().root / ".journal.json").exists()


def test_only_the_pipeline_commits_to_the_store_or_writes_provenance() -> None:
    """No crime importer keeps its own commit: ``CrimeStore.commit`` is called, and a
    ``DataImport`` row created, in one place each."""
    commits: list[str] = []
    creates: list[str] = []
    for path in sorted((SRC / "crime").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            text = ast.unparse(node.func)
            if node.func.attr == "commit" and "store" in text.lower():
                commits.append(path.name)
            if text == "DataImport.objects.create":
                creates.append(path.name)
    assert commits == ["store_import.py"]
    assert creates == ["provenance.py"]


def test_the_report_commits_with_the_import_or_neither_does(sabo_data_dir: Path) -> None:
    """The web job's report (file names, the job's success, the refresh queued) runs as
    the pipeline's last step, inside the import's transaction: a worker killed between
    the import and its report can no longer leave one without the other."""
    import_files([CITY_JUNE])
    store_before = store_snapshot(CrimeStore().root)
    imports_before = DataImport.objects.count()
    told: list[int] = []

    def report(result: object) -> None:
        told.append(DataImport.objects.count())
        raise RuntimeError("the worker died while reporting")

    with pytest.raises(RuntimeError, match="reporting"):
        import_files([CITY_OCTOBER], report=report)
    assert told == [imports_before + 1]  # the report saw the import's row, uncommitted
    assert DataImport.objects.count() == imports_before
    assert store_snapshot(CrimeStore().root) == store_before

    reported: list[str] = []
    result = import_files([CITY_OCTOBER], report=lambda r: reported.append(r.summary()))
    assert reported == [result.summary()]
    assert result.months == ["2023-10"]
