"""One prepared installation per test session, copied for every kill.

Preparing it (migrate, the demo, a first crime import, the input files) takes about
half a minute, so it is done once per session (per worker under xdist) and each test
starts from an exact copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.installation import Installation

# Big enough that each command runs for a couple of seconds (measured per test).
CRIME_ROWS = 150_000
YJ_CHILDREN = 6_000


@dataclass(frozen=True)
class Prepared:
    """The prepared installation and the input files of each target."""

    site: Installation
    crime_files: Path
    yj_folder: Path


def _police_uk(out: Path, rows: int) -> Path:
    from bench.crime_generate import generate

    # 2024-01 and 2024-02 of all 43 forces: the demo holds the Met's months already.
    generate(rows, 2, out, first_month="2024-01")
    return out


def _youth_justice(out: Path) -> Path:
    from saferboard.youthjustice.demo import END, SERVICE, START
    from saferboard.youthjustice.synthetic import ServiceSpec, generate

    # The demo's own service, so the import replaces the records the demo loaded.
    export = generate([ServiceSpec(SERVICE, YJ_CHILDREN, 16_000)], START, END, seed=7)
    export.write_csv(out)
    return out


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("faults")
    site = Installation(root / "baseline")
    site.home.mkdir()
    site.run("migrate", "-v", "0")
    site.run("demo", "--no-serve")
    # A first import of the same months, so the kill hits a *replace* of every
    # partition the test import writes (the dangerous case), not only new files.
    site.run("crime", "import", str(_police_uk(root / "first-import", 20_000)))
    return Prepared(
        site=site,
        crime_files=_police_uk(root / "police-uk", CRIME_ROWS),
        yj_folder=_youth_justice(root / "yj-export"),
    )
