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


@dataclass
class ImportRecord:
    """The provenance of one import: what its ``DataImport`` row will say."""

    source_kind: str
    format: str
    label: str
    files: Sequence[InputFile]
    hashes: Sequence[str]
    rows_by_file: dict[str, int]
    months: Sequence[str]
    user: User | None
    detail: dict[str, Any]
    data_as_at: date | None = None
    """The data's own date: the Met dashboard extract's refresh date; otherwise (``None``)
    the end of the latest month the files hold (police.uk and the Met's recorded crime
    files carry no publication date of their own)."""

    @property
    def signed_in_user(self) -> User | None:
        """The user, unless the import ran from the command line (no saved user)."""
        return self.user if self.user is not None and self.user.pk else None


def create_import(record: ImportRecord) -> DataImport:
    """Create the provenance row (inside the transaction that commits the data)."""
    months = sorted(record.months)
    start = Period.parse(months[0]).start if months else None
    end = Period.parse(months[-1]).end if months else None
    return DataImport.objects.create(
        source_kind=record.source_kind,
        format=record.format,
        label=record.label[:200],
        files=[
            {
                "name": f.name,
                "sha256": digest,
                "bytes": f.size,
                "rows": record.rows_by_file.get(f.name, 0),
            }
            for f, digest in zip(record.files, record.hashes, strict=True)
        ],
        rows=sum(record.rows_by_file.values()),
        period_start=start,
        period_end=end,
        data_as_at=record.data_as_at or end,
        imported_by=record.signed_in_user,
        code_version=code_version(),
        detail={"months": list(months), **record.detail},
    )


def audit_import(data_import: DataImport, record: ImportRecord) -> None:
    """Record the import in the audit log (inside the same transaction)."""
    audit.record(
        AuditAction.IMPORT,
        actor=record.signed_in_user,
        obj=data_import,
        actor_label="" if record.signed_in_user else "command line",
        format=record.format,
        rows=data_import.rows,
        files=len(record.files),
    )
