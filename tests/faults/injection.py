"""Kill a command at random moments and check what each kill left behind.

For each kill the installation starts as an exact copy of the prepared one, the
command is started and SIGKILLed after a delay drawn uniformly over the time a full
run took, and the stores are compared with the state before the command and with the
state after a full reference run. Anything else is a failure, reported with the seed
and every delay so it can be replayed.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saferboard.reports.services import INTERRUPTED
from tests.faults.installation import Installation
from tests.faults.snapshot import Snapshot, normalised, snapshot

SETTLE = "tests.faults.settle"


@dataclass(frozen=True)
class Target:
    """One command to kill: ``python -m module *args``."""

    name: str
    module: str
    args: tuple[str, ...]
    rendered: tuple[str, ...] = ()  # data files that embed their creation time
    # Classifies a state that is neither "before" nor "after" (None: not allowed).
    other_outcome: Callable[[Installation, Snapshot, Snapshot], str | None] | None = None


@dataclass
class Report:
    seed: int
    seconds: float  # the reference run
    outcomes: list[tuple[float, str]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(outcome for _, outcome in self.outcomes)

    def __str__(self) -> str:
        delays = ", ".join(f"{d:.3f}s→{o}" for d, o in self.outcomes)
        return f"seed {self.seed}, full run {self.seconds:.2f}s, kills: {delays}"


def inject(target: Target, base: Installation, work: Path, *, kills: int, seed: int) -> Report:
    """Kill ``target`` ``kills`` times; after each kill check the stores, then run it
    again to completion and check that succeeds with the expected result."""
    rng = random.Random(seed)
    site = Installation(work / "site")
    site.copy_from(base)
    before = snapshot(site)
    reference = site.run(*target.args, module=target.module)
    after = normalised(snapshot(site), rendered=target.rendered)
    assert after != normalised(before, rendered=target.rendered), "the command changed nothing"
    report = Report(seed, reference.seconds)
    for number in range(kills):
        site.copy_from(base)
        delay = rng.uniform(0, reference.seconds)
        finished = site.kill_after(delay, *target.args, module=target.module)
        where = f"kill {number} at {delay:.3f}s ({report})"
        assert finished in (None, 0), f"{target.name} failed on its own: {where}"
        outcome = _outcome(site, target, before, after, where)
        report.outcomes.append((delay, outcome))
        rerun = site.run(*target.args, module=target.module, check=False)
        assert rerun.returncode == 0, f"re-run failed after {where}:\n{rerun.output[-3000:]}"
        if outcome.startswith("before"):
            now = normalised(snapshot(site), rendered=target.rendered)
            assert now == after, f"re-run after {where} differs: {now.differences(after)}"
    return report


def _outcome(
    site: Installation, target: Target, before: Snapshot, after: Snapshot, where: str
) -> str:
    """ "before" or "after" (each with "settled" when the next start had to finish or
    undo something), or the target's own allowed outcome; otherwise fail."""
    raw = snapshot(site)
    if raw == before:
        return "before"
    if normalised(raw, rendered=target.rendered) == after:
        return "after"
    site.run(module=SETTLE)
    settled = snapshot(site)
    if settled == before:
        return "before (settled)"
    if normalised(settled, rendered=target.rendered) == after:
        return "after (settled)"
    if target.other_outcome is not None:
        other = target.other_outcome(site, before, settled)
        if other is not None:
            return other
    raise AssertionError(
        f"{target.name}: stores neither as before nor as after a full run, {where}:\n"
        + "\n".join(settled.differences(before))
        + "\n--- against the full run:\n"
        + "\n".join(normalised(settled, rendered=target.rendered).differences(after))
    )


def pack_outcome(site: Installation, before: Snapshot, settled: Snapshot) -> str | None:
    """A pack build is two steps (build a draft, then publish), and a build is a job
    the user sees. So two more states are legitimate after a kill:

    - "interrupted build": one new version marked failed by the next start, with no
      files of its own left behind;
    - "draft": a version fully built (every file present with the checksum its row
      records) but not yet published.

    Every other table must be as before; the pack versions' id sequence and their
    figure-check findings may have moved on.
    """
    moved = {"reports_pack", "reports_figureissue", "sqlite_sequence"}
    if any(settled.tables[n] != before.tables[n] for n in before.tables if n not in moved):
        return None
    con = sqlite3.connect(site.database)
    try:
        known = {row[0] for row in before.tables["reports_pack"]}
        new = [
            row
            for row in con.execute("SELECT id, status, error, files FROM reports_pack")
            if row[0] not in known
        ]
    finally:
        con.close()
    if len(new) != 1:
        return None
    _, status, error, files_json = new[0]
    if status == "failed" and error == INTERRUPTED and settled.files == before.files:
        return "interrupted build"
    if status == "draft":
        files = json.loads(files_json)
        expected = dict(before.files)
        expected.update({f"packs/{f['path']}": f["sha256"] for f in files.values()})
        if settled.files == expected:
            return "draft"
    return None
