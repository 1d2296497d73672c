"""The command-line contract: `saferboard crime|population|geography …`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.crime.conftest import CITY_JUNE, MPS_BOROUGH, POPULATION_2020

pytestmark = pytest.mark.django_db

MEASURE_KEYS = {
    "measure", "label", "current", "previous", "change", "change_pct", "rag", "significant",
    "rate_per_1000",
}  # fmt: skip


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_dashboard_and_rank(sabo_data_dir: Path) -> None:
    assert "Imported 1,032 rows" in _run("crime", "import", str(MPS_BOROUGH), "--format", "auto")
    _run("population", "import", str(POPULATION_2020))
    data = json.loads(
        _run(
            "crime",
            "dashboard",
            "--area",
            "Bromley",
            "--to",
            "2026-02",
            "--source",
            "mps",
            "--json",
        )
    )
    assert {"area", "source", "to", "current", "previous", "measures"} <= set(data)
    assert data["current"] == {"from": "2025-03", "to": "2026-02"}
    assert all(set(m) >= MEASURE_KEYS for m in data["measures"])
    assert all(m["rag"] in {"red", "amber", "green", "none"} for m in data["measures"])
    ranked = json.loads(
        _run("crime", "rank", "--measure", "burglary", "--to", "2026-02", "--peers", "london",
             "--source", "mps", "--json")
    )  # fmt: skip
    assert ranked["areas"][0]["name"] == "Kingston upon Thames"
    assert [a["rank_count"] for a in ranked["areas"]][:3] == [1, 2, 3]
    text = _run("crime", "dashboard", "--area", "E09000006", "--to", "2026-02", "--source", "mps")
    assert "Total notifiable offences" in text and "23,796" in text


def test_peers_from_a_file(sabo_data_dir: Path, tmp_path: Path) -> None:
    _run("crime", "import", str(MPS_BOROUGH))
    peers = tmp_path / "peers.csv"
    peers.write_text("code\nE09000006\nBexley\nE09000021\n")
    ranked = json.loads(
        _run("crime", "rank", "--measure", "burglary", "--to", "2026-02", "--peers", str(peers),
             "--source", "mps", "--json")
    )  # fmt: skip
    assert [a["name"] for a in ranked["areas"]] == ["Kingston upon Thames", "Bexley", "Bromley"]


def test_refusals_exit_non_zero(sabo_data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "2023-06-city-of-london-street.csv"
    bad.write_bytes(CITY_JUNE.read_bytes().replace(b"2023-06,City", b"2023-6,City", 1))
    with pytest.raises(CommandError, match=r"row 2, column 'Month'"):
        _run("crime", "import", str(bad), "--format", "police-uk")
    with pytest.raises(CommandError, match="No local authority"):
        _run("crime", "dashboard", "--area", "Gotham", "--to", "2026-02", "--json")
    with pytest.raises(CommandError):
        _run("geography", "import", str(CITY_JUNE))
