"""The column-mapping step: an export with its own headers, renamed before import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.mapping import (
    apply_mapping,
    check_mapping,
    header_signature,
    needing_mapping,
    read_mapping_json,
    remember,
    remembered,
    resolve,
)
from saferboard.youthjustice.models import Child, ColumnMapping
from tests.youthjustice.conftest import SMALL_EXPORT

CMS_CHILDREN = {
    "child_id": "Client ID",
    "date_of_birth": "DOB",
    "sex": "Gender",
    "ethnicity": "Ethnic Group",
    "service": "YOT",
    "looked_after": "LAC",
}


def cms_files() -> dict[str, bytes]:
    """The small export as a case management system would name children.csv's columns."""
    files = read_folder(SMALL_EXPORT)
    header, rest = files["children.csv"].split(b"\n", 1)
    assert header.decode() == ",".join(CMS_CHILDREN)
    files["children.csv"] = (",".join(CMS_CHILDREN.values()) + "\n").encode() + rest
    return files


def test_apply_mapping_renames_only_the_header() -> None:
    content = b"Client ID,DOB\r\nA,2010-01-01\r\n"
    out = apply_mapping(content, {"child_id": "Client ID", "date_of_birth": "dob"})
    assert out == b"child_id,date_of_birth\r\nA,2010-01-01\r\n"
    bom = b"\xef\xbb\xbfClient ID,DOB\nA,2010-01-01\n"
    assert apply_mapping(bom, {"child_id": "Client ID"}) == b"child_id,DOB\nA,2010-01-01\n"


def test_needing_mapping_lists_only_files_missing_columns() -> None:
    files = cms_files()
    assert needing_mapping(files) == {"children.csv": list(CMS_CHILDREN.values())}
    assert needing_mapping(read_folder(SMALL_EXPORT)) == {}


def test_check_mapping_locates_problems() -> None:
    headers = list(CMS_CHILDREN.values())
    assert check_mapping("children.csv", headers, CMS_CHILDREN) == []
    bad = dict(CMS_CHILDREN, sex="DOB", nonsense="YOT")
    del bad["looked_after"]
    messages = sorted(str(p) for p in check_mapping("children.csv", headers, bad))
    assert messages == [
        "children.csv, column looked_after: no header is chosen for it",
        "children.csv, column nonsense: is not a column of this file",
        "children.csv, column sex: 'DOB' is already used for date_of_birth",
    ]
    clash = check_mapping("children.csv", [*headers, "sex"], CMS_CHILDREN)
    assert [str(p) for p in clash] == [
        "children.csv, column sex: the file also has a column called sex: choose it, not 'Gender'"
    ]
    missing = check_mapping("children.csv", headers, dict(CMS_CHILDREN, sex="Sex at birth"))
    assert [str(p) for p in missing] == [
        "children.csv, column sex: the file has no header 'Sex at birth'"
    ]


@pytest.mark.django_db
def test_mapping_is_remembered_and_the_next_export_loads_directly(make_user) -> None:
    files = cms_files()
    mapped, unresolved = resolve(files)
    assert unresolved == {"children.csv": list(CMS_CHILDREN.values())}
    remember(
        "children.csv",
        unresolved["children.csv"],
        CMS_CHILDREN,
        service="Testborough",
        user=make_user(),
    )
    row = ColumnMapping.objects.get()
    assert row.header_signature == header_signature(list(CMS_CHILDREN.values()))
    # The next export with the same headers (any case and spacing) needs no question.
    again = cms_files()
    again["children.csv"] = again["children.csv"].replace(b"Client ID", b" client id ")
    assert remembered("children.csv", [" client id ", *list(CMS_CHILDREN.values())[1:]]) == (
        CMS_CHILDREN
    )
    mapped, unresolved = resolve(again, service="Testborough")
    assert unresolved == {}
    report = import_export(mapped)
    assert report.services == ["Testborough"]
    assert Child.objects.count() == report.rows["children"] > 0


def test_mapping_json_file(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"children.csv": CMS_CHILDREN}), encoding="utf-8")
    assert read_mapping_json(path) == {"children.csv": CMS_CHILDREN}
    path.write_text(json.dumps({"kids.csv": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"not files of the export: kids\.csv"):
        read_mapping_json(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot be read as JSON"):
        read_mapping_json(path)


@pytest.mark.django_db
def test_yj_import_with_mapping_option(tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    folder = tmp_path / "export"
    folder.mkdir()
    for name, content in cms_files().items():
        (folder / name).write_bytes(content)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"children.csv": CMS_CHILDREN}), encoding="utf-8")
    out = StringIO()
    call_command("yj", "import", str(folder), "--mapping", str(mapping), stdout=out)
    assert "Imported youth justice case records for Testborough" in out.getvalue()
