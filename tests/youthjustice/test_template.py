"""The export template and the synthetic sample: a start without a developer."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from saferboard.youthjustice.importer import FILES, OPTIONAL_COLUMNS, import_export, read_zip
from saferboard.youthjustice.models import Service
from saferboard.youthjustice.starter import (
    SAMPLE_SERVICE,
    as_zip,
    sample_files,
    template_files,
    write_files,
)


def test_template_has_every_importer_file_header_only_with_notes() -> None:
    files = template_files()
    assert set(files) == {*FILES, "NOTES.md"}
    for name, columns in FILES.items():
        rows = list(csv.reader(io.StringIO(files[name].decode())))
        # The optional columns too, last (an export may leave them out).
        assert rows == [[*columns, *OPTIONAL_COLUMNS.get(name, ())]]
    notes = files["NOTES.md"].decode()
    for name, columns in FILES.items():
        assert f"## {name}" in notes
        for column in (*columns, *OPTIONAL_COLUMNS.get(name, ())):
            assert f"| `{column}` |" in notes


def test_template_zip_and_folder(tmp_path) -> None:
    files = template_files()
    written = write_files(files, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(files)
    with zipfile.ZipFile(io.BytesIO(as_zip(files, "template"))) as archive:
        assert sorted(archive.namelist()) == sorted(f"template/{n}" for n in files)


@pytest.mark.django_db
def test_sample_is_marked_synthetic_and_imports_cleanly() -> None:
    files = sample_files(children=40)
    assert "SYNTHETIC" in files["SYNTHETIC-README.md"].decode()
    assert SAMPLE_SERVICE.startswith("SYNTHETIC")
    # The ZIP download imports as it is (README ignored, files found by name).
    report = import_export(read_zip(as_zip(files, "sample")))
    assert report.services == [SAMPLE_SERVICE]
    assert report.rows["children"] == 40
    assert not [w for w in report.warnings if "not used" in w.message]
    assert Service.objects.get(name=SAMPLE_SERVICE).data_to is not None


@pytest.mark.django_db
def test_yj_template_and_sample_commands(tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("yj", "template", "--out", str(tmp_path / "t"), stdout=out)
    assert "Wrote the template" in out.getvalue()
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted({*FILES, "NOTES.md"})
    out = StringIO()
    call_command("yj", "sample", "--out", str(tmp_path / "s"), stdout=out)
    assert "SYNTHETIC sample export" in out.getvalue()
    out = StringIO()
    call_command("yj", "import", str(tmp_path / "s"), stdout=out)
    assert f"Imported youth justice case records for {SAMPLE_SERVICE}" in out.getvalue()
