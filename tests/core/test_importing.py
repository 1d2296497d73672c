"""The shared import framework (core.importing): problem wording, encodings, bounds,
the column table and the all-or-nothing pipeline. Fast: one test touches the database."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from openpyxl import Workbook

from saferboard.actions.importing import plan_problem
from saferboard.core.importing import (
    PLAN_STYLE,
    RETURN_STYLE,
    ImportRejected,
    LocatedProblem,
)
from saferboard.core.importing.columns import Column, check_header, read_row
from saferboard.core.importing.pipeline import ImportRefused, run_import
from saferboard.core.importing.reading import (
    ENCODINGS,
    SheetRefused,
    csv_rows,
    decode_text,
    read_bounded_sheet,
    sniff_dialect,
)
from saferboard.crime.problems import Problem as CrimeProblem
from saferboard.returns.xlsx import upload_problem

# Problems: each importer's wording, unchanged --------------------------------------


def test_source_style_quotes_the_column_and_cuts_long_values_with_an_ellipsis() -> None:
    problem = LocatedProblem("street.csv", "not a month", 3, "Month", "2024-13")
    assert str(problem) == "street.csv, row 3, column 'Month': not a month (value '2024-13')"
    long = LocatedProblem("f.csv", "too long", 2, "Name", "x" * 81)
    assert str(long) == f"f.csv, row 2, column 'Name': too long (value '{'x' * 77}...')"
    exactly = LocatedProblem("f.csv", "m", value="y" * 80)
    assert str(exactly) == f"f.csv: m (value '{'y' * 80}')"
    assert str(LocatedProblem("f.csv", "m", value="")) == "f.csv: m (value '')"


def test_return_style_names_the_column_by_letter_and_cuts_at_60() -> None:
    problem = upload_problem("return.xlsx", "Type a figure", 7, "E", "z" * 70)
    assert problem.style is RETURN_STYLE
    assert str(problem) == f"return.xlsx, row 7, column E: Type a figure (value '{'z' * 60}')"
    assert str(upload_problem("return.xlsx", "The file is larger than 2 MB")) == (
        "return.xlsx: The file is larger than 2 MB"
    )


def test_plan_style_says_found_in_curly_quotes_and_hides_empty_parts() -> None:
    problem = plan_problem("plan.xlsx", 4, "E (Completion date)", "not a date", "Bad date")
    assert problem.style is PLAN_STYLE
    assert (
        str(problem)
        == "plan.xlsx, row 4, column E (Completion date): Bad date (found ‘not a date’)"
    )
    assert str(plan_problem("plan.xlsx", None, "", "", "The file has no actions")) == (
        "plan.xlsx: The file has no actions"
    )
    assert problem.file_name == "plan.xlsx"  # the name the plan importer has always used


def test_one_type_whatever_the_wording() -> None:
    assert CrimeProblem is LocatedProblem
    plan = plan_problem("a.csv", 2, "B", "v", "m")
    source = LocatedProblem("a.csv", "m", 2, "B", "v")
    assert type(plan) is type(source) is LocatedProblem
    assert plan == source and str(plan) != str(source)  # wording is not identity
    assert source.as_dict() == {
        "file": "a.csv",
        "row": 2,
        "column": "B",
        "value": "v",
        "message": "m",
    }
    rejected = ImportRejected(source)
    assert str(rejected) == str(source) and rejected.problem is source


# Reading: one encoding policy, CSV dialects, bounded spreadsheets -------------------


def test_encodings_are_tried_in_one_fixed_order() -> None:
    assert ENCODINGS == ("utf-8-sig", "cp1252", "latin-1")
    bom = decode_text("\ufeffName,Café\n".encode())
    assert (bom.text, bom.encoding) == ("Name,Café\n", "utf-8-sig")
    excel = decode_text(b"Cost \x80 5\x96 6")  # Windows-1252: euro sign and en dash
    assert (excel.text, excel.encoding) == ("Cost € 5– 6", "cp1252")
    odd = decode_text(b"a\x81b")  # 0x81 is not Windows-1252: latin-1 takes any byte
    assert (odd.text, odd.encoding) == ("a\x81b", "latin-1")
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\xff", encodings=("utf-8-sig",))


def test_csv_dialect_is_sniffed_and_falls_back_to_commas() -> None:
    semicolons = "area;count\nNorth;3\nSouth;4\n"
    assert list(csv_rows(semicolons, dialect=sniff_dialect(semicolons))) == [
        ["area", "count"],
        ["North", "3"],
        ["South", "4"],
    ]
    one_column = "name\nNorth\n"
    assert sniff_dialect(one_column).delimiter == ","


def _workbook(rows: int, columns: int) -> bytes:
    book = Workbook()
    sheet = book.active
    for r in range(1, rows + 1):
        for c in range(1, columns + 1):
            sheet.cell(r, c).value = r * 100 + c
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_spreadsheets_are_read_within_bounds() -> None:
    grid = read_bounded_sheet(_workbook(2, 2), max_rows=3, max_columns=3, max_expanded_bytes=10**6)
    assert grid.rows == [(101, 102, None), (201, 202, None)]
    with pytest.raises(SheetRefused, match="reaches row 4"):
        read_bounded_sheet(_workbook(4, 1), max_rows=3, max_columns=3, max_expanded_bytes=10**6)
    with pytest.raises(SheetRefused, match="expands to"):
        read_bounded_sheet(_workbook(1, 1), max_rows=3, max_columns=3, max_expanded_bytes=100)


# The column table ----------------------------------------------------------------


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("it is negative")
    return value


COLUMNS = [
    Column("Area"),
    Column("Count", parser=_count, message="must be a whole number ({error})"),
    Column("Note", required=False),
]


def test_the_header_must_name_every_declared_column() -> None:
    assert [str(p) for p in check_header("f.csv", ["Area", " Note "], COLUMNS)] == [
        "f.csv, row 1: the column 'Count' is missing"
    ]


def test_each_row_is_read_under_the_table_with_every_problem_located() -> None:
    good = read_row("f.csv", 2, {"Area": " North ", "Count": "3"}, COLUMNS)
    assert good.values == {"Area": "North", "Count": 3, "Note": None} and not good.problems
    bad = read_row("f.csv", 5, {"Area": "", "Count": "-2", "Note": "x"}, COLUMNS)
    assert [str(p) for p in bad.problems] == [
        "f.csv, row 5, column 'Area': is required (value '')",
        "f.csv, row 5, column 'Count': must be a whole number (it is negative) (value '-2')",
    ]
    lettered = read_row("f.csv", 6, {"Area": "A", "Count": "x"}, COLUMNS, style=RETURN_STYLE)
    assert str(lettered.problems[0]).startswith("f.csv, row 6, column Count: must be a whole")


# The pipeline: all or nothing ----------------------------------------------------


@dataclass
class _Steps:
    """Creates one group per name; ``fail_in`` names the step that raises."""

    names: list[str]
    problems: list[LocatedProblem] = field(default_factory=list)
    fail_in: str = ""
    calls: list[str] = field(default_factory=list)

    def _step(self, name: str) -> None:
        self.calls.append(name)
        if self.fail_in == name:
            raise RuntimeError(f"{name} failed")

    def check(self) -> list[LocatedProblem]:
        self.calls.append("check")
        return self.problems

    def stage(self) -> list[str]:
        self._step("stage")
        return sorted(self.names)

    def commit(self, staged: list[str]) -> int:
        self._step("commit")
        for name in staged:
            Group.objects.create(name=name)
        return len(staged)

    def provenance(self, result: int) -> None:
        self._step("provenance")

    def audit(self, result: int) -> None:
        self._step("audit")

    def refresh(self, result: int) -> None:
        self._step("refresh")


@pytest.mark.django_db
def test_the_pipeline_writes_everything_or_nothing() -> None:
    refused = _Steps(
        ["a"], problems=[LocatedProblem("f.csv", "m", 2), LocatedProblem("f.csv", "n", 3)]
    )
    with pytest.raises(ImportRefused, match=r"^2 problems: nothing was imported$") as error:
        run_import(refused)
    assert len(error.value.problems) == 2 and refused.calls == ["check"]

    failing = _Steps(["b", "c"], fail_in="audit")
    with pytest.raises(RuntimeError, match="audit failed"):
        run_import(failing)
    assert not Group.objects.filter(name__in=["b", "c"]).exists()  # rolled back
    assert "refresh" not in failing.calls

    # The refresh runs in the import's transaction: records are never kept without the
    # figures recomputed from them (a kill between the two left them out of step).
    failing_refresh = _Steps(["r"], fail_in="refresh")
    with pytest.raises(RuntimeError, match="refresh failed"):
        run_import(failing_refresh)
    assert not Group.objects.filter(name="r").exists()

    good = _Steps(["e", "d"])
    assert run_import(good) == 2
    assert good.calls == ["check", "stage", "commit", "provenance", "audit", "refresh"]
    assert set(Group.objects.filter(name__in=["d", "e"]).values_list("name", flat=True)) == {
        "d",
        "e",
    }


# An importer on the column table: ONS population files ----------------------------


def _population_file(tmp_path, *rows: list[str]):
    from saferboard.crime.inputs import InputFile
    from saferboard.crime.population import AGES

    header = ["Code", "Name", "Geography", "All ages", *AGES]
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    path = tmp_path / "pop.csv"
    path.write_bytes(text.encode("cp1252"))
    return InputFile(path, "pop.csv")


def test_population_rows_are_read_under_their_column_table(tmp_path) -> None:
    from saferboard.crime.population import parse

    counts = ["1"] * 91  # 91 ages of one person each: All ages 91
    good = _population_file(tmp_path, ["E09000006", "Bromley – ward", "LAD", "91", *counts])
    rows = parse(good)
    assert rows[0] == ("E09000006", "Bromley – ward", "LAD", None, 91)  # cp1252 en dash
    assert len(rows) == 92 and rows[1] == ("E09000006", "Bromley – ward", "LAD", 0, 1)

    bad_code = _population_file(tmp_path, ["X1", "Nowhere", "LAD", "91", *counts])
    with pytest.raises(ImportRejected) as error:
        parse(bad_code)
    assert str(error.value) == "pop.csv, row 2, column 'Code': is not an ONS area code (value 'X1')"

    bad_count = _population_file(tmp_path, ["E09000006", "B", "LAD", "91", "1", " x ", *counts[2:]])
    with pytest.raises(ImportRejected) as error:
        parse(bad_count)
    assert str(error.value) == (
        "pop.csv, row 2, column '1': must be a whole number of people (value ' x ')"
    )
    empty = _population_file(tmp_path, ["E09000006", "B", "LAD", "", *counts])
    with pytest.raises(ImportRejected, match="column 'All ages': must be a whole number of people"):
        parse(empty)
