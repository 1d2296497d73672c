"""The youth justice imports on the shared import framework (issue 23): one problem type
in the export's wording, the refresh step passed in, no import through the importer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from saferboard.core.importing import LocatedProblem
from saferboard.measures.models import DataImport, Observation
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.import_problems import ImportFailed, Problem, refuse
from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.models import BenchmarkFigure
from tests.youthjustice.conftest import SMALL_EXPORT

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice"


def test_problem_is_the_shared_type_in_the_exports_wording() -> None:
    problem = Problem("outcomes.csv", 8, "outcome_type", "telling_off", "is not an outcome type")
    assert isinstance(problem, LocatedProblem)
    assert str(problem) == (
        "outcomes.csv, row 8, column outcome_type: is not an outcome type (value 'telling_off')"
    )
    assert str(Problem("children.csv", None, "", "", "the file is missing from the export")) == (
        "children.csv: the file is missing from the export"
    )
    long = "x" * 200  # never cut, as before
    assert str(Problem("a.csv", 2, "c", long, "bad")).endswith(f"(value '{long}')")
    assert problem.as_dict()["column"] == "outcome_type"


def test_refuse_lists_a_hundred_and_counts_the_rest() -> None:
    refuse([])  # nothing wrong: no exception
    problems = [Problem("a.csv", n, "c", "", "bad") for n in range(2, 107)]
    with pytest.raises(ImportFailed) as failure:
        refuse(problems)
    assert len(failure.value.problems) == 100 and failure.value.more == 5
    assert str(failure.value) == "105 problem(s); nothing was imported"


@pytest.mark.django_db
def test_the_refresh_step_is_passed_in_and_runs_after_the_commit() -> None:
    seen: list[tuple[list[str], bool]] = []

    def refresh(names):  # type: ignore[no-untyped-def]
        seen.append((list(names), DataImport.objects.exists()))

    report = import_export(read_folder(SMALL_EXPORT), refresh=refresh)
    assert seen == [(["Testborough"], True)]
    assert report.data_import.detail["services"] == ["Testborough"]
    assert not Observation.objects.exists()  # the default refresh did not run


@pytest.mark.django_db
def test_benchmark_import_takes_its_refresh_too() -> None:
    calls: list[list[str]] = []
    content = (
        b"service,period_from,period_to,measure,value\n"
        b"Bromley,2022-04-01,2023-03-31,fte_rate_per_100k,150.5\n"
    )
    report = import_benchmark(content, "figures.csv", refresh=lambda n: calls.append(list(n)))
    assert report.rows == 1 and BenchmarkFigure.objects.get().value == 150.5
    assert calls == [[]]  # no service has case records yet


def _imported_modules(path: Path) -> set[str]:
    """Every saferboard.youthjustice module ``path`` imports, at any level."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "saferboard.youthjustice."
        ):
            found.add(node.module.split(".")[2])  # type: ignore[union-attr]
    return found


@pytest.mark.parametrize("module", ["benchmarks", "published", "mapping", "observations"])
def test_no_module_the_importer_reaches_imports_it_back(module: str) -> None:
    assert "importer" not in _imported_modules(PACKAGE / f"{module}.py")


def test_the_case_record_importer_does_not_import_the_observations() -> None:
    # Recomputing is the refresh step, passed in (benchmarks and published still call
    # observations for ranks and comparators: ranking, not importing).
    assert "observations" not in _imported_modules(PACKAGE / "importer.py")
