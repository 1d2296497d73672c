"""SIGKILL at random moments of a crime import and a board pack build (each the worker
running the queued task, issue 22) and a youth justice import (its command): the
stores are as before or as after, never in between, and the next worker (or running
the command again) finishes the work, done once (issue 10, faults).

The quick variants (2 kills each, marked ``faults``) run in every run of the test
command, once, on SQLite; ``--thorough`` adds 25 per target (marked ``slow``). The test
command sets FAULT_SEED from the commit and prints it; set it to replay a failure (every
failure message prints the seed and delays).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.faults.conftest import Prepared
from tests.faults.injection import Report, Target, inject, orphan_pack_files

# One xdist worker takes every kill test (`--dist loadgroup` in scripts/test.sh), so the
# prepared installation (migrate, the demo, a first crime import) is built once per run
# while the other worker fuzzes.
pytestmark = pytest.mark.xdist_group("faults")

QUICK_KILLS = 2
SLOW_KILLS = 25
MEETING = 3  # the demo's third meeting of the partnership board: a full agenda


def _seed() -> int:
    return int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(1 << 32))


def _targets(prepared: Prepared) -> dict[str, Target]:
    return {
        "crime": Target(
            "crime import job on a worker",
            "saferboard.cli",
            (),
            queue=("crime", str(prepared.crime_files)),
            job=("crime_importjob", "succeeded"),
        ),
        "yj": Target("yj import", "saferboard.cli", ("yj", "import", str(prepared.yj_folder))),
        "pack": Target(
            "pack build on a worker",
            "saferboard.cli",
            (),
            rendered=("packs/meeting-",),
            other_outcome=orphan_pack_files,
            queue=("pack", str(MEETING)),
            job=("reports_pack", "draft"),
        ),
    }


def _run(prepared: Prepared, tmp_path: Path, name: str, kills: int) -> Report:
    seed = _seed()
    report = inject(_targets(prepared)[name], prepared.site, tmp_path, kills=kills, seed=seed)
    print(f"{name}: {report}")  # shown with -s or on failure: the seed replays it
    assert len(report.outcomes) == kills
    # Kills drawn over the whole run must not all land while Python starts (about half
    # a second with compiled bytecode): the work itself must take a while. Not more than
    # a second is asked, so a faster machine than this one still passes.
    assert report.seconds >= 1, f"{name} ran only {report.seconds:.2f}s: make it bigger"
    return report


@pytest.mark.faults
@pytest.mark.parametrize("name", ["crime", "yj", "pack"])
def test_killed_quickly(prepared: Prepared, tmp_path: Path, name: str) -> None:
    _run(prepared, tmp_path, name, QUICK_KILLS)


@pytest.mark.faults
@pytest.mark.slow
@pytest.mark.parametrize("name", ["crime", "yj", "pack"])
def test_killed_many_times(prepared: Prepared, tmp_path: Path, name: str) -> None:
    report = _run(prepared, tmp_path, name, SLOW_KILLS)
    print(f"{name} outcomes: {dict(report.counts())}")
