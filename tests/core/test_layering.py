"""Core depends on no feature app (issue 23): checked by parsing core's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import saferboard

SRC = Path(saferboard.__file__).parent
FEATURE_APPS = {
    "actions",
    "api",
    "crime",
    "measures",
    "meetings",
    "panels",
    "reports",
    "returns",
    "setup",
    "strategy",
    "tasks",
    "youthjustice",
}


def imported_modules(source: str) -> list[str]:
    """Every module an ``import`` or ``from ... import`` names, at any depth."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "saferboard":  # from saferboard import strategy
                names.extend(f"saferboard.{alias.name}" for alias in node.names)
    return names


def feature_imports(source: str) -> list[str]:
    return [
        name
        for name in imported_modules(source)
        if name.split(".")[:1] == ["saferboard"]
        and len(name.split(".")) > 1
        and name.split(".")[1] in FEATURE_APPS
    ]


def test_the_check_finds_feature_imports_at_any_depth() -> None:
    source = (
        "import os\n"
        "from saferboard.core import audit\n"
        "from saferboard import strategy, __version__\n"
        "def f():\n"
        "    from saferboard.crime.engine import engine\n"
        "    import saferboard.reports.render\n"
    )
    assert feature_imports(source) == [
        "saferboard.strategy",
        "saferboard.crime.engine",
        "saferboard.reports.render",
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (SRC / "core").rglob("*.py") if "migrations" not in p.parts),
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_core_imports_no_feature_app(path: Path) -> None:
    assert feature_imports(path.read_text()) == []
