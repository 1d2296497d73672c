"""Crime-store imports through the one import pipeline (:func:`run_import`).

Every crime-store importer (police.uk, the Met's two formats, ONS population and LSOA
lookups) reads its files, checks them and writes Parquet partitions into the store's
staging folder; :func:`commit_staged` then commits them as
:func:`saferboard.core.importing.pipeline.run_import` steps, in one database
transaction:

- **check**: nothing more to check here. The readers check set-based in the same DuckDB
  pass that reads the rows (reading the files twice would double an import's time), so
  they find problems while staging and refuse with the first, located
  (:class:`~saferboard.core.importing.problems.ImportRejected`), before anything is
  committed.
- **stage**: the importer's own reading, checking and partition writing, under the
  store's writer lock.
- **commit**: the provenance row first, because the store's journal names it (a killed
  commit is kept or undone by whether that row committed, :meth:`CrimeStore.recover`);
  then any database rows the import carries (the lookups' areas); then the partitions
  moved into place.
- **provenance**: what the partitions replaced, on the provenance row.
- **audit**: the import in the audit log.
- **refresh**: the caller's ``report``, if any: the web import job names the files as
  the user chose them, marks itself done and queues the dashboard's refresh
  (:mod:`saferboard.crime.jobs`), in the import's own transaction, so a worker killed
  between the import and its report cannot leave one without the other. Without a
  report (the command line) nothing: the dashboard's stored figures are keyed by the
  store's version and recomputed when next asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saferboard.core.importing.pipeline import run_import
from saferboard.core.importing.problems import LocatedProblem
from saferboard.crime.provenance import ImportRecord, ImportResult, audit_import, create_import
from saferboard.crime.store import CrimeStore, StagedPartition
from saferboard.measures.models import DataImport


@dataclass
class StagedImport:
    """What a crime-store importer staged, and what its result will report."""

    partitions: list[StagedPartition]
    record: ImportRecord
    rows: int
    """The rows the result reports as imported."""
    months: list[str] = field(default_factory=list)
    """The months the result reports (empty for reference data such as lookups)."""
    notes: list[str] = field(default_factory=list)
    write_rows: Callable[[], None] | None = None
    """Database rows committed with the partitions (the lookups' areas), if any."""


@dataclass
class _Committed:
    data_import: DataImport
    replaced: list[dict[str, Any]]
    staged: StagedImport

    def result(self) -> ImportResult:
        staged = self.staged
        return ImportResult(
            self.data_import, staged.rows, staged.months, self.replaced, notes=staged.notes
        )


Report = Callable[[ImportResult], None]
"""Told the import's result inside its transaction (see the module's docstring)."""


class _StoreSteps:
    """The pipeline's steps for one staged crime-store import."""

    def __init__(
        self, store: CrimeStore, stage: Callable[[], StagedImport], report: Report | None
    ) -> None:
        self._store = store
        self._stage = stage
        self._report = report

    def check(self) -> Sequence[LocatedProblem]:
        return ()

    def stage(self) -> StagedImport:
        return self._stage()

    def commit(self, staged: StagedImport) -> _Committed:
        data_import = create_import(staged.record)
        if staged.write_rows is not None:
            staged.write_rows()
        replaced = self._store.commit(staged.partitions, import_id=data_import.pk)
        return _Committed(data_import, replaced, staged)

    def provenance(self, result: _Committed) -> None:
        result.data_import.detail["replaced"] = result.replaced
        result.data_import.save(update_fields=["detail"])

    def audit(self, result: _Committed) -> None:
        audit_import(result.data_import, result.staged.record)

    def refresh(self, result: _Committed) -> None:
        if self._report is not None:
            self._report(result.result())


def commit_staged(
    store: CrimeStore, stage: Callable[[Path], StagedImport], report: Report | None = None
) -> ImportResult:
    """Stage an import under the store's writer lock (``stage`` gets the staging folder)
    and commit it all or nothing through the import pipeline; ``report`` is told the
    result inside the import's transaction."""
    with store.writing() as staging:
        committed = run_import(_StoreSteps(store, lambda: stage(staging), report))
    return committed.result()
