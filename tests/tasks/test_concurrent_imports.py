"""Two workers importing crime data at once into one store (issue 22): on PostgreSQL
two ``saferboard crime import`` processes, started together against one database and
one data directory, both succeed (the store's writer lock makes one wait), and the
manifest lists both imports' partitions, each under the import that committed it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from saferboard.measures.models import DataImport
from tests.crime.conftest import CITY
from tests.tasks import servers

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_imports_at_once_both_commit_and_the_manifest_is_whole(
    tmp_path: Path, sabo_data_dir: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers share PostgreSQL (the PostgreSQL run tests this)")
    data_dir = sabo_data_dir  # the test's data directory, shared with the children
    months = ["2023-06", "2023-10"]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "saferboard.cli", "crime", "import", str(CITY / month)],
            cwd=tmp_path,
            env=servers.environment(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for month in months
    ]
    outputs = [child.communicate(timeout=180)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0], "\n".join(outputs)
    imports = list(DataImport.objects.filter(source_kind="police-uk").order_by("pk"))
    assert len(imports) == 2
    manifest = json.loads((data_dir / "crime" / "manifest.json").read_text(encoding="utf-8"))
    by_import: dict[int, set[str]] = {}
    for path, entry in manifest["partitions"].items():
        by_import.setdefault(entry["import_id"], set()).add(path)
    assert set(by_import) == {i.pk for i in imports}  # every partition's import committed
    for month in months:
        assert any(month in path for paths in by_import.values() for path in paths), month
    assert manifest["generation"] == 2  # two commits, one after the other
    assert not (data_dir / "crime" / ".staging").exists()
