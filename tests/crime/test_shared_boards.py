"""Crime dashboards built once for every process, per version of the crime store
(crime/shared_boards.py)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from saferboard.crime.shared_boards import build_shared, cache_folder


def _build_in_process(root: str, marks: str, out: str) -> None:
    def build() -> dict[str, int]:
        with open(marks, "a") as f:
            f.write("built\n")
        time.sleep(0.3)  # long enough for the other processes to arrive and wait
        return {"offences": 289}

    result = build_shared(Path(root), (7, 1), ("E09000001", "2026-01", True), build)
    Path(out).write_text(repr(result))


def test_processes_asking_for_the_same_dashboard_share_one_build(tmp_path: Path) -> None:
    root = tmp_path / "crime"
    marks = tmp_path / "marks"
    context = multiprocessing.get_context("fork")
    outs = [tmp_path / f"out{n}" for n in range(4)]
    procs = [
        context.Process(target=_build_in_process, args=(str(root), str(marks), str(out)))
        for out in outs
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert marks.read_text() == "built\n"  # one process built it
    assert {out.read_text() for out in outs} == {"{'offences': 289}"}


def test_a_new_version_builds_again_and_the_old_versions_folder_goes(tmp_path: Path) -> None:
    root = tmp_path / "crime"
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert build_shared(root, (1, 1), ("k",), build) == 1
    assert build_shared(root, (1, 1), ("k",), build) == 1  # kept: not built again
    assert build_shared(root, (2, 1), ("k",), build) == 2  # the store changed
    assert not cache_folder(root, (1, 1)).exists()
    assert cache_folder(root, (2, 1)).is_dir()
    assert cache_folder(root, (2, 1)).parent.parent == tmp_path / ".cache"  # not in backups


def test_an_unreadable_cache_file_costs_a_build_never_a_wrong_answer(tmp_path: Path) -> None:
    root = tmp_path / "crime"
    assert build_shared(root, (3, 1), ("k",), lambda: "first") == "first"
    (kept,) = cache_folder(root, (3, 1)).glob("*.pickle")
    kept.write_bytes(b"not a pickle")
    assert build_shared(root, (3, 1), ("k",), lambda: "again") == "again"
    assert build_shared(root, (0, 0), ("k",), lambda: "no store") == "no store"
    assert not cache_folder(root, (0, 0)).exists()
