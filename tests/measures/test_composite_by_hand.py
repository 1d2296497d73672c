"""Composite measures made with `saferboard measure add`, computed by the crime engine and
checked by hand on the tiny Met crime dashboard file (Bromley, 2024 against 2023).

From the file: knife crime 43 in 2024 (eleven months of 3 and June's 10) against 24
(twelve months of 2); knife crime with injury 12 against 12 (1 a month); domestic abuse
220 against 240 (20 a month, none published for March 2024)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from saferboard.crime import engine as crime_engine
from saferboard.crime.dashboard import build_dashboard
from saferboard.crime.importer import import_files
from saferboard.crime.measures import ensure_measures

pytestmark = pytest.mark.django_db

TINY = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "crime"
    / "mps_dashboard"
    / "tiny-crime-dashboard.csv"
)


@pytest.fixture(autouse=True)
def _fresh_engines():  # type: ignore[no-untyped-def]
    yield
    crime_engine.forget_engines()


def add(*args: str) -> None:
    call_command("measure", "add", *args, stdout=StringIO())


def test_plus_and_minus_computed_by_hand(sabo_data_dir: Path) -> None:
    ensure_measures()
    import_files([TINY], format="auto")
    add(
        "--source", "met-crime-dashboard", "--slug", "knife-crime-with-injury",
        "--label", "Knife crime with injury",
        "--include", "Knife Crime|Knife Crime with Injury|Offences",
    )  # fmt: skip
    add(
        "--source", "met-crime-dashboard", "--slug", "knife-crime-without-injury",
        "--label", "Knife crime without injury",
        "--plus", "knife-crime", "--minus", "knife-crime-with-injury",
    )  # fmt: skip
    add(
        "--source", "met-crime-dashboard", "--slug", "knife-and-domestic",
        "--label", "Knife crime and domestic abuse",
        "--plus", "knife-crime", "domestic-abuse",
    )  # fmt: skip
    board = build_dashboard("Bromley", "2024-12", "mps", details=False)
    by_slug = {m.measure: m for m in board.measures}
    assert (
        by_slug["knife-crime-with-injury"].current,
        by_slug["knife-crime-with-injury"].previous,
    ) == (12, 12)
    without = by_slug["knife-crime-without-injury"]
    assert (without.current, without.previous, without.complete) == (43 - 12, 24 - 12, True)
    both = by_slug["knife-and-domestic"]
    assert (both.current, both.previous) == (43 + 220, 24 + 240)


def test_a_retired_measure_leaves_the_dashboard(sabo_data_dir: Path) -> None:
    ensure_measures()
    import_files([TINY], format="auto")
    call_command("measure", "edit", "gun-crime", "--source", "mps", "--retire", stdout=StringIO())
    slugs = {
        m.measure for m in build_dashboard("Bromley", "2024-12", "mps", details=False).measures
    }
    assert "gun-crime" not in slugs and "knife-crime" in slugs
    call_command("measure", "edit", "gun-crime", "--source", "mps", "--unretire", stdout=StringIO())
    slugs = {
        m.measure for m in build_dashboard("Bromley", "2024-12", "mps", details=False).measures
    }
    assert "gun-crime" in slugs
