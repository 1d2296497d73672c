"""Recording where imported data came from: one DataImport row per import, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saferboard.core import audit
from saferboard.core.code_version import code_version
from saferboard.core.models import AuditAction, User
from saferboard.core.periods import Period
from saferboard.crime.inputs import InputFile
from saferboard.measures.models import DataImport


@dataclass
class ImportResult:
    """What an import did, for the CLI, the web progress page and the tests."""

    data_import: DataImport
    rows: int
    months: list[str]
    replaced: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.months:
            span = "no months"
        elif len(self.months) == 1:
            span = self.months[0]
        else:
            span = f"{self.months[0]} to {self.months[-1]}"
        text = f"Imported {self.rows:,} rows ({span}) as import #{self.data_import.pk}"
        if self.replaced:
            text += f"; replaced {len(self.replaced)} earlier partition(s)"
        return text


def record_import(
    *,
    source_kind: str,
    format: str,
    label: str,
    files: Sequence[InputFile],
    hashes: Sequence[str],
    rows_by_file: dict[str, int],
    months: Sequence[str],
    user: User | None,
    detail: dict[str, Any],
    data_as_at: date | None = None,
) -> DataImport:
    """Create the provenance row (call inside the transaction that commits the data).

    ``data_as_at`` is the data's own date: the Met dashboard extract's refresh date;
    otherwise the end of the latest month the files hold (police.uk and the Met's
    recorded crime files carry no publication date of their own)."""
    months = sorted(months)
    start = Period.parse(months[0]).start if months else None
    end = Period.parse(months[-1]).end if months else None
    data_import = DataImport.objects.create(
        source_kind=source_kind,
        format=format,
        label=label[:200],
        files=[
            {
                "name": f.name,
                "sha256": digest,
                "bytes": f.size,
                "rows": rows_by_file.get(f.name, 0),
            }
            for f, digest in zip(files, hashes, strict=True)
        ],
        rows=sum(rows_by_file.values()),
        period_start=start,
        period_end=end,
        data_as_at=data_as_at or end,
        imported_by=user if user is not None and user.pk else None,
        code_version=code_version(),
        detail={"months": list(months), **detail},
    )
    audit.record(
        AuditAction.IMPORT,
        actor=user if user is not None and user.pk else None,
        obj=data_import,
        actor_label="" if user is not None and user.pk else "command line",
        format=format,
        rows=data_import.rows,
        files=len(files),
    )
    return data_import
