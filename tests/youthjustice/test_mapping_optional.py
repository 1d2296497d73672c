"""Optional columns (offences.csv's gravity_score) in the column-mapping step: offered,
never asked for, and read once mapped."""

from __future__ import annotations

from datetime import date

from saferboard.youthjustice.forms import ColumnMappingForm
from saferboard.youthjustice.importer import FILES, OPTIONAL_COLUMNS, parse_export, read_folder
from saferboard.youthjustice.mapping import (
    check_mapping,
    expected_columns,
    missing_columns,
    needing_mapping,
    resolve,
)
from saferboard.youthjustice.starter import template_files
from tests.youthjustice.conftest import SMALL_EXPORT

CMS_OFFENCES = ["Offence Ref", "Client", "Date", "Type", "Breach", "Outcome Ref", "Gravity"]
OFFENCES_MAPPING = dict(
    zip(
        [*FILES["offences.csv"], "gravity_score"],
        CMS_OFFENCES,
        strict=True,
    )
)


def test_expected_columns_are_the_files_columns_then_the_optional_ones() -> None:
    expected = expected_columns()
    assert expected["offences.csv"] == (*FILES["offences.csv"], "gravity_score")
    for name, optional in OPTIONAL_COLUMNS.items():
        assert set(optional) <= set(expected[name])
    assert expected["children.csv"] == FILES["children.csv"]
    header = template_files()["offences.csv"].decode().splitlines()[0]
    assert header.endswith(",gravity_score")


def test_an_optional_column_is_never_missing() -> None:
    headers = list(FILES["offences.csv"])
    assert missing_columns("offences.csv", headers) == []
    assert needing_mapping(read_folder(SMALL_EXPORT)) == {}
    assert missing_columns("offences.csv", headers[1:]) == ["offence_id"]


def test_check_mapping_accepts_the_optional_column_and_does_not_require_it() -> None:
    assert check_mapping("offences.csv", CMS_OFFENCES, OFFENCES_MAPPING) == []
    without = {k: v for k, v in OFFENCES_MAPPING.items() if k != "gravity_score"}
    assert check_mapping("offences.csv", CMS_OFFENCES, without) == []


def test_the_mapping_form_offers_the_optional_column_without_requiring_it() -> None:
    form = ColumnMappingForm({"offences.csv": CMS_OFFENCES})
    field = form.fields["offences__gravity_score"]
    assert not field.required and field.label == "gravity_score (optional)"
    assert field.choices[0] == ("", "Not in this export")
    assert form.fields["offences__offence_id"].required
    data = {f"offences__{c}": h for c, h in OFFENCES_MAPPING.items() if c != "gravity_score"}
    bound = ColumnMappingForm({"offences.csv": CMS_OFFENCES}, data)
    assert bound.is_valid(), bound.errors
    chosen = ColumnMappingForm(
        {"offences.csv": CMS_OFFENCES},
        {f"offences__{c}": h for c, h in OFFENCES_MAPPING.items()},
    )
    assert chosen.is_valid(), chosen.errors
    assert chosen.mappings()["offences.csv"]["gravity_score"] == "Gravity"


def test_a_mapped_gravity_column_is_read() -> None:
    files = read_folder(SMALL_EXPORT)
    lines = files["offences.csv"].decode().splitlines()
    rows = [line + (",3" if i == 1 else ",") for i, line in enumerate(lines[1:], start=1)]
    files["offences.csv"] = ("\n".join([",".join(CMS_OFFENCES), *rows]) + "\n").encode()
    mapped, unresolved = resolve(files, {"offences.csv": OFFENCES_MAPPING})
    assert unresolved == {}
    parsed = parse_export(mapped, today=date(2024, 1, 1))
    assert [o["gravity_score"] for o in parsed.offences][:2] == [3, None]
