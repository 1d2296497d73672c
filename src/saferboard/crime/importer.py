"""One entry point for every crime-data import: expand the inputs, sniff the format,
hand over to the importer for it. Used by the command line and the web upload."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from saferboard.core.models import User
from saferboard.crime import mps, mps_dashboard, policeuk
from saferboard.crime.inputs import InputFile, Progress, expanded, no_progress, read_header
from saferboard.crime.measures import ensure_measures
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportResult
from saferboard.crime.store_import import Report

FORMATS = ("auto", policeuk.FORMAT, mps.FORMAT, mps_dashboard.FORMAT)


def sniff(file: InputFile) -> str:
    """The format of one file from its header (or Parquet schema)."""
    if file.is_parquet:
        columns = mps.parquet_columns(file)
        if mps.is_mps_header(columns):
            return mps.FORMAT
        if mps_dashboard.is_dashboard_header(columns):
            return mps_dashboard.FORMAT
        raise ImportRejected(Problem(file.name, "is not an MPS recorded-crime Parquet file", row=1))
    header = read_header(file)
    if header == policeuk.HEADER:
        return policeuk.FORMAT
    if mps.is_mps_header(header):
        return mps.FORMAT
    if mps_dashboard.is_dashboard_header(header):
        return mps_dashboard.FORMAT
    if header[:3] == policeuk.HEADER[:3]:
        policeuk.check_header(file)  # a damaged police.uk header: say which column
    raise ImportRejected(
        Problem(
            file.name,
            "is neither a police.uk street file nor an MPS recorded-crime file "
            "(its header matches neither)",
            row=1,
            value=",".join(header)[:200],
        )
    )


def import_files(
    paths: Sequence[str | Path],
    *,
    format: str = "auto",
    user: User | None = None,
    progress: Progress = no_progress,
    label: str = "",
    report: Report | None = None,
) -> ImportResult:
    """Import crime data from files, folders or archives, all-or-nothing. ``report`` is
    told the result inside the import's transaction (the web job's report)."""
    if format not in FORMATS:
        raise ImportRejected(Problem("--format", f"must be one of {', '.join(FORMATS)}"))
    street_only = True if format == policeuk.FORMAT else None
    with expanded(paths, street_only=street_only) as files:
        if format == "auto":
            found = {f.name: sniff(f) for f in files}
            kinds = set(found.values())
            if len(kinds) > 1:
                first = files[0]
                other = next(f for f in files if found[f.name] != found[first.name])
                raise ImportRejected(
                    Problem(
                        other.name,
                        f"is {found[other.name]} but {first.name} is {found[first.name]}: "
                        "import each format separately",
                    )
                )
            format = kinds.pop()
        ensure_measures()
        if format == policeuk.FORMAT:
            return policeuk.import_police_uk(
                files, user=user, progress=progress, label=label, report=report
            )
        from saferboard.crime.geography import ensure_boroughs

        ensure_boroughs()
        if format == mps_dashboard.FORMAT:
            return mps_dashboard.import_mps_dashboard(
                files, user=user, progress=progress, label=label, report=report
            )
        return mps.import_mps(files, user=user, progress=progress, label=label, report=report)
