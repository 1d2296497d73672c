"""The one import orchestration: check → stage → commit → provenance → audit → refresh.

An importer plugs in as an :class:`ImportSteps` (any object with these methods).
:func:`run_import` runs them in order: nothing is written unless ``check`` finds no
problem; ``commit``, ``provenance`` and ``audit`` run inside one transaction, so a
failure in any of them (or a problem ``stage`` finds late) leaves the database as it
was. ``refresh`` (recomputing what depends on the imported data, or queueing a task that
will) runs last in the same transaction: a process killed after the records committed
but before their figures were recomputed would otherwise leave records and figures out
of step, with nothing to finish the refresh (the kill tests caught this, issue 22).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from django.db import transaction

from saferboard.core.importing.problems import LocatedProblem

Staged = TypeVar("Staged")
Result = TypeVar("Result")


class ImportRefused(ValueError):
    """An import refused as a whole, with every problem found; nothing was written."""

    def __init__(self, problems: Sequence[LocatedProblem]) -> None:
        super().__init__(f"{len(problems)} problems: nothing was imported")
        self.problems = list(problems)


class ImportSteps(Protocol[Staged, Result]):
    """What an importer provides. Only ``check``, ``stage`` and ``commit`` must do
    anything; the others may do nothing."""

    def check(self) -> Sequence[LocatedProblem]:
        """Every problem with the input (reading and validation); empty when good."""
        ...

    def stage(self) -> Staged:
        """What will be written, computed without writing (may raise ImportRefused)."""
        ...

    def commit(self, staged: Staged) -> Result:
        """Write ``staged``; runs inside the import's transaction."""
        ...

    def provenance(self, result: Result) -> None:
        """Record where the data came from (file, source, data as at); in the transaction."""
        ...

    def audit(self, result: Result) -> None:
        """Record the import in the audit log; in the transaction."""
        ...

    def refresh(self, result: Result) -> None:
        """Recompute what depends on the imported data (or queue it); in the transaction."""
        ...


def run_import(steps: ImportSteps[Staged, Result]) -> Result:
    """Run ``steps`` all or nothing; raise :class:`ImportRefused` with every problem."""
    problems = list(steps.check())
    if problems:
        raise ImportRefused(problems)
    staged = steps.stage()
    with transaction.atomic():
        result = steps.commit(staged)
        steps.provenance(result)
        steps.audit(result)
        steps.refresh(result)
    return result
