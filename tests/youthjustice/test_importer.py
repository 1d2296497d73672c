"""Importing a case management export: all or nothing, located errors, pseudonyms."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from saferboard.core.models import AuditAction, AuditEvent
from saferboard.measures.models import DataImport, Observation
from saferboard.youthjustice.importer import (
    ImportFailed,
    import_export,
    parse_export,
    read_folder,
    read_zip,
)
from saferboard.youthjustice.models import Child, Offence, Outcome, Population, Service
from saferboard.youthjustice.pseudonym import child_pseudonym
from tests.youthjustice.conftest import SMALL_EXPORT, replace_in

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return (
        not Child.objects.exists()
        and not Outcome.objects.exists()
        and not Offence.objects.exists()
        and not Population.objects.exists()
        and not DataImport.objects.exists()
        and not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
    )


def test_import_stores_pseudonymous_records_with_provenance_and_audit(make_user) -> None:
    user = make_user()
    report = import_export(read_folder(SMALL_EXPORT), user=user)
    assert report.services == ["Testborough"]
    assert report.rows["children"] == 5 and report.rows["offences"] == 11
    assert report.data_to == date(2023, 4, 3)
    assert Child.objects.count() == 5 and Outcome.objects.count() == 8
    # The raw id is nowhere: only its keyed hash.
    assert not Child.objects.filter(pseudonym__contains="CMS").exists()
    assert Child.objects.filter(pseudonym=child_pseudonym("CMS-1001")).exists()
    service = Service.objects.get(name="Testborough")
    assert service.data_to == date(2023, 4, 3)
    data_import = report.data_import
    assert data_import.source_kind == "youth-justice" and data_import.imported_by == user
    assert {f["name"] for f in data_import.files} >= {"children.csv", "offences.csv"}
    assert all(len(f["sha256"]) == 64 for f in data_import.files)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == user and event.object_id == str(data_import.pk)
    assert "CMS" not in str(event.detail)
    # Figures were computed and stored as observations of youth justice measures.
    fte = Observation.objects.get(
        measure__slug="fte_count", period_start=date(2022, 4, 1), period_end=date(2022, 6, 30)
    )
    assert fte.value == 3  # 1004 in April, 1002 in May, 1001 in June


def test_reimport_replaces_the_service_records(make_user) -> None:
    import_export(read_folder(SMALL_EXPORT))
    import_export(read_folder(SMALL_EXPORT))
    assert Child.objects.count() == 5 and Offence.objects.count() == 11
    assert Population.objects.count() == 16


def test_pseudonyms_depend_on_the_key(settings) -> None:
    first = child_pseudonym("CMS-1001")
    settings.PSEUDONYM_KEY = "another-key"
    assert child_pseudonym("CMS-1001") != first
    assert len(first) == 64


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "column", "message"),
    [
        ("outcomes.csv", "youth_caution", "telling_off", 3, "outcome_type", "not an outcome type"),
        (
            "offences.csv",
            "OFF-1,CMS-1001,2021-12-01",
            "OFF-1,CMS-1001,2001-12-01",
            2,
            "offence_date",
            "before the child's date of birth",
        ),
        (
            "outcomes.csv",
            "2022-05-20,detention_and_training_order,2022-11-20",
            "2022-05-20,detention_and_training_order,2022-05-19",
            5,
            "release_date",
            "before the sentence",
        ),
        (
            "outcomes.csv",
            "OUT-5,CMS-1003,2022-08-15,youth_conditional_caution,",
            "OUT-5,CMS-1003,2022-08-15,youth_conditional_caution,2022-09-01",
            6,
            "release_date",
            "not a custodial sentence",
        ),
        ("outcomes.csv", "OUT-6,CMS-1004", "OUT-6,CMS-9999", 7, "child_id", "not a child"),
        ("offences.csv", "false,OUT-5", "false,OUT-55", 6, "outcome_id", "not an outcome"),
        (
            "offences.csv",
            "CMS-1003,2022-07-30",
            "CMS-1005,2022-07-30",
            6,
            "outcome_id",
            "different child",
        ),
        (
            "offences.csv",
            "OFF-5,CMS-1003,2022-07-30",
            "OFF-5,CMS-1003,2022-09-30",
            6,
            "offence_date",
            "after the date of the outcome",
        ),
        ("children.csv", "2008-07-21", "21 July 2008", 4, "date_of_birth", "not a date"),
        ("children.csv", "Asian", "Martian", 4, "ethnicity", "must be one of"),
        ("children.csv", "CMS-1002", "CMS-1001", 3, "child_id", "repeats the child in row 2"),
        (
            "children.csv",
            "Male,White,Testborough,false",
            "Male,White,Testborough,maybe",
            2,
            "looked_after",
            "true or false",
        ),
        (
            "population.csv",
            "Testborough,2022,10,3100",
            "Testborough,2022,10,lots",
            2,
            "count",
            "whole number",
        ),
    ],
)
def test_a_bad_cell_is_located_and_nothing_is_stored(
    export_dir: Path, file: str, old: str, new: str, row: int, column: str, message: str
) -> None:
    replace_in(export_dir / file, old, new)
    with pytest.raises(ImportFailed) as failure:
        import_export(read_folder(export_dir))
    problems = failure.value.problems
    assert any(
        p.file == file and p.row == row and p.column == column and message in p.message
        for p in problems
    ), [str(p) for p in problems]
    assert nothing_stored()


def test_a_failed_import_keeps_the_records_already_held(export_dir: Path) -> None:
    import_export(read_folder(SMALL_EXPORT))
    replace_in(export_dir / "outcomes.csv", "fine", "fin")
    with pytest.raises(ImportFailed):
        import_export(read_folder(export_dir))
    assert Child.objects.count() == 5 and DataImport.objects.count() == 1


def test_missing_file_and_missing_column_are_reported(export_dir: Path) -> None:
    (export_dir / "offences.csv").unlink()
    replace_in(export_dir / "children.csv", "looked_after", "in_care")
    with pytest.raises(ImportFailed) as failure:
        parse_export(read_folder(export_dir))
    text = [str(p) for p in failure.value.problems]
    assert "offences.csv: the file is missing from the export" in text
    with pytest.raises(ImportFailed):
        parse_export(read_folder(SMALL_EXPORT) | {"offences.csv": b"offence_id\n"})


def test_errors_in_a_row_carry_the_value_and_render_as_one_line(export_dir: Path) -> None:
    replace_in(export_dir / "outcomes.csv", "youth_caution", "telling_off")
    with pytest.raises(ImportFailed) as failure:
        parse_export(read_folder(export_dir))
    assert str(failure.value.problems[0]) == (
        "outcomes.csv, row 3, column outcome_type: is not an outcome type (value 'telling_off')"
    )


def test_non_utf8_file_is_rejected_with_its_row(export_dir: Path) -> None:
    content = (export_dir / "children.csv").read_bytes().replace(b"Asian", b"Asi\xe9n")
    (export_dir / "children.csv").write_bytes(content)
    with pytest.raises(ImportFailed) as failure:
        parse_export(read_folder(export_dir))
    problem = failure.value.problems[0]
    assert (problem.file, problem.row) == ("children.csv", 4)
    assert "UTF-8" in problem.message


def test_warning_for_an_outcome_before_the_tenth_birthday(export_dir: Path) -> None:
    replace_in(export_dir / "children.csv", "2009-05-05", "2013-05-05")
    parsed = parse_export(read_folder(export_dir))
    assert any("10th birthday" in w.message and w.row == 9 for w in parsed.warnings)


def test_zip_upload_reads_the_files_by_name() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in SMALL_EXPORT.iterdir():
            archive.write(path, f"export-2023-02/{path.name}")
        archive.writestr("../evil.csv", "x")
    files = read_zip(buffer.getvalue())
    assert sorted(files) == sorted(p.name for p in SMALL_EXPORT.iterdir())
    with pytest.raises(ImportFailed):
        read_zip(b"not a zip")


@pytest.mark.parametrize(
    ("file", "old", "new", "column", "message"),
    [
        ("children.csv", "2007-03-14", "0207-03-14", "date_of_birth", "before 1900"),
        ("children.csv", "2007-03-14", "2027-03-14", "date_of_birth", "in the future"),
        ("outcomes.csv", "2022-01-10", "2202-01-10", "outcome_date", "in the future"),
        ("offences.csv", "2021-12-01", "1021-12-01", "offence_date", "before 1900"),
    ],
)
def test_a_mistyped_year_is_refused_not_stored(
    export_dir: Path, file: str, old: str, new: str, column: str, message: str
) -> None:
    """A year typed wrong would stretch the service's periods over centuries (fuzzing
    stored an outcome dated 0001-01-01 and computed 2,000 years of figures)."""
    replace_in(export_dir / file, old, new)
    with pytest.raises(ImportFailed) as failure:
        parse_export(read_folder(export_dir), today=date(2026, 11, 23))
    assert any(
        p.file == file and p.row == 2 and p.column == column and message in p.message
        for p in failure.value.problems
    ), [str(p) for p in failure.value.problems]


def test_today_is_the_latest_outcome_but_a_release_may_be_expected_later(
    export_dir: Path,
) -> None:
    replace_in(export_dir / "outcomes.csv", "2022-01-10", "2026-11-23")
    assert parse_export(read_folder(export_dir), today=date(2026, 11, 23)).outcomes
    with pytest.raises(ImportFailed):
        parse_export(read_folder(export_dir), today=date(2026, 11, 22))
    replace_in(export_dir / "outcomes.csv", "2026-11-23", "2022-01-10")
    replace_in(export_dir / "outcomes.csv", "2022-11-20", "2031-11-20")
    parse_export(read_folder(export_dir), today=date(2026, 11, 23))  # an expected release
    replace_in(export_dir / "outcomes.csv", "2031-11-20", "2131-11-20")
    with pytest.raises(ImportFailed, match="problem"):
        parse_export(read_folder(export_dir), today=date(2026, 11, 23))


def test_a_damaged_member_of_a_zip_upload_is_refused_by_name() -> None:
    """The archive's directory reads but a member's bytes do not match its checksum:
    zipfile raised BadZipFile from inside the loop, past the check on opening."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for path in SMALL_EXPORT.iterdir():
            archive.write(path, path.name)
    raw = bytearray(buffer.getvalue())
    at = raw.index(b"child_id,")  # the first stored member's content
    raw[at] = ord("C")
    with pytest.raises(ImportFailed) as failure:
        read_zip(bytes(raw))
    (problem,) = failure.value.problems
    assert problem.file in {p.name for p in SMALL_EXPORT.iterdir()}
    assert "damaged" in problem.message
