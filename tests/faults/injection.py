"""Kill a command at random moments and check what each kill left behind.

For each kill the installation starts as an exact copy of the prepared one, the
command is started and SIGKILLed after a delay drawn uniformly over the time a full
run took, and the stores are compared with the state before the command and with the
state after a full reference run. Anything else is a failure, reported with the seed
and every delay so it can be replayed.

Background work (a web crime import, a pack build) is queued once (``Target.queue``),
and the process killed is the *worker* running it (``saferboard worker --batch``).
After the kill the data must be as before or as after (the task's own bookkeeping,
its job's progress and its staging files apart); then the next worker queues the
killed task again and runs it, and everything must be as after the reference run,
the job reported done once.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.faults.installation import Installation, Run
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
    # Background work: ``python -m tests.faults.enqueue *queue`` first (once); then the
    # command killed is a worker, and ``job`` names the table and status of its job row.
    queue: tuple[str, ...] = ()
    job: tuple[str, str] = ("", "")


WORKER = ("worker", "--batch")
# The task's own bookkeeping: the task record, the workers, and the job's progress.
BOOKKEEPING = {"django_tasks_database_dbtaskresult", "tasks_worker", "sqlite_sequence"}
STAGING = ("crime/.uploads/", "crime/.jobs/")


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
    if target.queue:
        return _inject_worker(target, base, work, kills=kills, seed=seed)
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


def _data(snap: Snapshot, target: Target) -> Snapshot:
    """``snap`` less the task's bookkeeping, its job row and its staging files."""
    left_out = BOOKKEEPING | {target.job[0]}
    tables = {name: rows for name, rows in snap.tables.items() if name not in left_out}
    files = {path: sha for path, sha in snap.files.items() if not path.startswith(STAGING)}
    return Snapshot(tables, files, snap.manifest)


def _job_status(site: Installation, target: Target) -> list[str]:
    table, _ = target.job
    con = sqlite3.connect(site.database)
    try:
        return [row[0] for row in con.execute(f'SELECT status FROM "{table}"')]  # noqa: S608 - our table name
    finally:
        con.close()


def _inject_worker(
    target: Target, base: Installation, work: Path, *, kills: int, seed: int
) -> Report:
    """As :func:`inject`, for a task queued once and a worker killed while it runs."""
    rng = random.Random(seed)
    queued = Installation(work / "queued")
    queued.copy_from(base)
    queued.run(*target.queue, module="tests.faults.enqueue")
    site = Installation(work / "site")
    site.copy_from(queued)
    before = _data(normalised(snapshot(site), rendered=target.rendered), target)
    reference = site.run(*WORKER)
    after_raw = normalised(snapshot(site), rendered=target.rendered)
    after = _data(after_raw, target)
    done = sorted(_job_status(site, target))
    assert target.job[1] in done, f"reference run: job statuses {done}"
    assert after != before, "the task changed nothing"
    report = Report(seed, reference.seconds)
    for number in range(kills):
        site.copy_from(queued)
        delay = rng.uniform(0, reference.seconds)
        finished = site.kill_after(delay, *WORKER)
        where = f"kill {number} at {delay:.3f}s ({report})"
        assert finished in (None, 0), f"{target.name} failed on its own: {where}"
        outcome = _worker_outcome(site, target, before, after, where)
        report.outcomes.append((delay, outcome))
        rerun: Run = site.run(*WORKER, check=False)  # settles the killed task, runs it again
        assert rerun.returncode == 0, f"next worker failed after {where}:\n{rerun.output[-3000:]}"
        now_raw = normalised(snapshot(site), rendered=target.rendered)
        now = _data(now_raw, target)
        assert now == after, f"next worker after {where} differs: {now.differences(after)}"
        statuses = sorted(_job_status(site, target))
        assert statuses == done, f"jobs after {where}: {statuses}, not {done}"
        tasks = after_raw.tables["django_tasks_database_dbtaskresult"]
        assert len(now_raw.tables["django_tasks_database_dbtaskresult"]) == len(tasks)
    return report


def _worker_outcome(
    site: Installation, target: Target, before: Snapshot, after: Snapshot, where: str
) -> str:
    """What a killed worker left: the data as before or as after ("settled" when opening
    the crime store had to finish a commit), or a target's own allowed state."""
    raw = _data(normalised(snapshot(site), rendered=target.rendered), target)
    if raw == before:
        return "before"
    if raw == after:
        return "after"
    site.run(module=SETTLE)
    settled_raw = snapshot(site)
    settled = _data(normalised(settled_raw, rendered=target.rendered), target)
    if settled == before:
        return "before (settled)"
    if settled == after:
        return "after (settled)"
    if target.other_outcome is not None:
        other = target.other_outcome(site, before, settled)
        if other is not None:
            return other
    raise AssertionError(
        f"{target.name}: data neither as before nor as after a full run, {where}:\n"
        + "\n".join(settled.differences(before))
        + "\n--- against the full run:\n"
        + "\n".join(settled.differences(after))
    )


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


def orphan_pack_files(site: Installation, before: Snapshot, settled: Snapshot) -> str | None:
    """A build killed while writing: the data as before, plus rendered files of the
    version being built that no row names yet (nothing reads them; the next attempt
    removes them before building)."""
    if settled.tables != before.tables:
        return None
    extra = set(settled.files) - set(before.files)
    changed = {p for p in before.files if settled.files.get(p) != before.files[p]}
    if changed or not extra:
        return None
    if all(p.startswith("packs/meeting-") and "public-v" in p for p in extra):
        return "before, with unnamed files of the version being built"
    return None
