"""Fixtures for the youth justice tests: the small hand-made export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SMALL_EXPORT = Path(__file__).resolve().parents[1] / "data" / "youthjustice" / "small_export"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    """A writable copy of the small export, for tests that spoil one cell."""
    target = tmp_path / "export"
    shutil.copytree(SMALL_EXPORT, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
