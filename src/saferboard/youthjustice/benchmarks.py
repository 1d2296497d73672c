"""Importing published comparator figures and peer groups, and ranking a peer group.

A benchmark file is either figures (``service,period_from,period_to,measure,value``) or
peer groups (``peer_group,peer_group_name,service[,aggregate]``). Both import all or
nothing through the shared import pipeline (docs/importing.md), with located problems
(:mod:`.import_problems`), provenance and an audit event, then recompute the services
with case records (the ``refresh`` step, passed in: :mod:`.refresh`).

:func:`rank` ranks a peer group's members on one source of figures; on figures from
case records it computes and stores any not stored yet (:mod:`.observations`), so it
lives here, above the observations. The comparisons the observations store, and the
ranking rules (1 is best; ties share a rank), are in :mod:`.comparators`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from saferboard.core import audit
from saferboard.core.code_version import code_version
from saferboard.core.csv_records import records
from saferboard.core.importing.pipeline import run_import
from saferboard.core.importing.reading import csv_rows, decode_text
from saferboard.core.models import AuditAction, User
from saferboard.core.periods import Period
from saferboard.measures.models import DataImport, Direction, SourceKind
from saferboard.youthjustice.comparators import (
    RankEntry,
    RankTable,
    comparators_synthetic,
    competition_ranks,
    measure_direction,
)
from saferboard.youthjustice.definitions import BENCHMARK_MEASURES, PEER_GROUPS
from saferboard.youthjustice.import_problems import ImportFailed, Problem, refuse
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service
from saferboard.youthjustice.observations import as_period, stored_figures
from saferboard.youthjustice.refresh import Refresh, refresh_services
from saferboard.youthjustice.services import ensure_service

FIGURE_COLUMNS = ("service", "period_from", "period_to", "measure", "value")
GROUP_COLUMNS = ("peer_group", "peer_group_name", "service")


@dataclass
class BenchmarkReport:
    data_import: DataImport
    kind: str  # "figures" or "peer groups"
    rows: int
    services: int
    groups: list[str]


def import_benchmark_file(path: Path, *, user: User | None = None) -> BenchmarkReport:
    """Import a benchmark or peer group file from disk."""
    if not path.is_file():
        raise ImportFailed([Problem(str(path), None, "", "", "is not a file")])
    return import_benchmark(path.read_bytes(), path.name, user=user)


def import_benchmark(
    content: bytes,
    name: str,
    *,
    user: User | None = None,
    label: str = "",
    request: Any = None,
    refresh: Refresh = refresh_services,
) -> BenchmarkReport:
    """Check and store published figures or peer groups (all or nothing), then recompute
    with ``refresh`` every service that has case records (their comparators changed)."""
    steps = _BenchmarkImport(content, name, user, label, request, refresh)
    return steps.report(run_import(steps))


def read_benchmark(content: bytes, name: str) -> tuple[str, list[dict[str, Any]]]:
    """A benchmark file's kind ("figures" or "peer groups") and its rows, checked;
    raises :class:`ImportFailed` with every problem."""
    try:
        text = decode_text(content, ("utf-8-sig",)).text
    except UnicodeDecodeError:
        raise ImportFailed([Problem(name, None, "", "", "is not UTF-8 text")]) from None
    reader = records(
        csv_rows(text),
        lambda line, error: ImportFailed(
            [Problem(name, line, "", "", f"cannot be read as CSV: {error}")]
        ),
    )
    header = [h.strip().lower() for h in next(reader, [])]
    kind = _kind(name, header)
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[object, ...], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    name, number, "", "", f"has {len(cells)} cells, the header has {len(header)}"
                )
            )
            continue
        row = {k: v.strip() for k, v in zip(header, cells, strict=True)}
        parsed = (
            _figure_row(name, number, row, problems)
            if kind == "figures"
            else _group_row(name, number, row, problems)
        )
        if parsed is None:
            continue
        ident = _identity(kind, parsed)
        if ident in seen:
            problems.append(
                Problem(name, number, "service", row["service"], f"repeats row {seen[ident]}")
            )
        seen[ident] = number
        rows.append(parsed)
    if not rows and not problems:
        problems.append(Problem(name, None, "", "", "has no rows"))
    refuse(problems)
    return kind, rows


def _kind(name: str, header: list[str]) -> str:
    """Which layout the header is, or a refusal naming both."""
    if all(c in header for c in FIGURE_COLUMNS):
        return "figures"
    if all(c in header for c in GROUP_COLUMNS):
        return "peer groups"
    raise ImportFailed(
        [
            Problem(
                name,
                1,
                "",
                ",".join(header),
                "the header must be service,period_from,period_to,measure,value "
                "(figures) or peer_group,peer_group_name,service[,aggregate] (peer groups)",
            )
        ]
    )


def _identity(kind: str, row: dict[str, Any]) -> tuple[object, ...]:
    """What may appear once in a file: a figure, or a service's membership of a group."""
    if kind == "figures":
        return (row["service"], row["period_from"], row["period_to"], row["measure"])
    return (row["peer_group"], row["service"])


@dataclass
class _BenchmarkWritten:
    data_import: DataImport
    services: int
    groups: list[str]


class _BenchmarkImport:
    """A benchmark file as :class:`~saferboard.core.importing.pipeline.ImportSteps`."""

    def __init__(
        self,
        content: bytes,
        name: str,
        user: User | None,
        label: str,
        request: Any,
        refresh: Refresh,
    ) -> None:
        self.content, self.name, self.user = content, name, user
        self.label, self.request, self.refresh_step = label, request, refresh
        self.kind = ""
        self.rows: list[dict[str, Any]] = []

    def check(self) -> Sequence[Problem]:
        """Read and check the file; problems are raised as :class:`ImportFailed`."""
        self.kind, self.rows = read_benchmark(self.content, self.name)
        return []

    def stage(self) -> list[dict[str, Any]]:
        return self.rows

    def commit(self, rows: list[dict[str, Any]]) -> _BenchmarkWritten:
        # The figures point at their DataImport, so it is written with them.
        data_import = DataImport.objects.create(
            source_kind=SourceKind.PUBLISHED,
            format="yj-benchmark-csv" if self.kind == "figures" else "yj-peer-groups-csv",
            label=self.label or f"Youth justice {self.kind}: {self.name}",
            files=[
                {
                    "name": self.name,
                    "sha256": hashlib.sha256(self.content).hexdigest(),
                    "bytes": len(self.content),
                    "rows": len(rows),
                }
            ],
            rows=len(rows),
            imported_by=self.user,
            code_version=code_version(),
        )
        service_of = {s: ensure_service(s) for s in sorted({r["service"] for r in rows})}
        groups: list[str] = []
        if self.kind == "figures":
            store_figures(rows, service_of, data_import)
        else:
            groups = _store_groups(rows, service_of)
        return _BenchmarkWritten(data_import, len(service_of), groups)

    def provenance(self, result: _BenchmarkWritten) -> None:
        if self.kind == "figures":
            dates = [r["period_from"] for r in self.rows] + [r["period_to"] for r in self.rows]
            result.data_import.period_start, result.data_import.period_end = min(dates), max(dates)
            result.data_import.save(update_fields=["period_start", "period_end"])

    def audit(self, result: _BenchmarkWritten) -> None:
        audit.record(
            AuditAction.IMPORT,
            actor=self.user,
            obj=result.data_import,
            request=self.request,
            what=f"youth justice {self.kind}",
            rows=len(self.rows),
        )

    def refresh(self, result: _BenchmarkWritten) -> None:
        self.refresh_step([s.name for s in Service.objects.filter(data_to__isnull=False)])

    def report(self, result: _BenchmarkWritten) -> BenchmarkReport:
        return BenchmarkReport(
            result.data_import, self.kind, len(self.rows), result.services, result.groups
        )


def store_figures(
    rows: list[dict[str, Any]], service_of: dict[str, Service], data_import: DataImport
) -> None:
    """Each figure, replacing the one held for the same service, period and measure
    (revisions): shared by the comparator and the published-statistics imports."""
    for r in rows:
        BenchmarkFigure.objects.update_or_create(
            service=service_of[r["service"]],
            period_from=r["period_from"],
            period_to=r["period_to"],
            measure=r["measure"],
            defaults={"value": r["value"], "source": data_import},
        )


def _store_groups(rows: list[dict[str, Any]], service_of: dict[str, Service]) -> list[str]:
    """Each peer group with its members (replacing them) and aggregate; their slugs."""
    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_group.setdefault(r["peer_group"], []).append(r)
    for slug, members in by_group.items():
        group, _ = PeerGroup.objects.update_or_create(
            slug=slug, defaults={"name": members[0]["peer_group_name"]}
        )
        group.members.set([service_of[m["service"]] for m in members if not m["aggregate"]])
        aggregate = [m for m in members if m["aggregate"]]
        group.aggregate = service_of[aggregate[0]["service"]] if aggregate else None
        group.save(update_fields=["aggregate"])
    return list(by_group)


def _date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _fits(
    name: str, number: int, row: dict[str, str], column: str, limit: int, problems: list[Problem]
) -> bool:
    """Whether the cell fits the database column it is stored in (else a problem)."""
    if len(row[column]) <= limit:
        return True
    problems.append(
        Problem(name, number, column, row[column], f"is longer than {limit} characters")
    )
    return False


def service_and_period(
    name: str, number: int, row: dict[str, str], problems: list[Problem]
) -> tuple[str, date, date] | None:
    """A figure row's service and period (``service``, ``period_from``, ``period_to``),
    or None with each problem located in ``problems``: shared by the comparator and
    the published-statistics imports."""
    ok = _fits(name, number, row, "service", 120, problems)
    if not row["service"]:
        problems.append(Problem(name, number, "service", "", "is blank"))
        ok = False
    start, end = _date(row["period_from"]), _date(row["period_to"])
    for column, when in (("period_from", start), ("period_to", end)):
        if when is None:
            problems.append(Problem(name, number, column, row[column], "is not a date"))
            ok = False
    if start and end and end < start:
        problems.append(
            Problem(name, number, "period_to", row["period_to"], "is before period_from")
        )
        ok = False
    if not ok or start is None or end is None:
        return None
    return row["service"], start, end


def _figure_row(
    name: str, number: int, row: dict[str, str], problems: list[Problem]
) -> dict[str, Any] | None:
    key = service_and_period(name, number, row, problems)
    ok = key is not None
    if row["measure"] not in BENCHMARK_MEASURES:
        problems.append(
            Problem(
                name,
                number,
                "measure",
                row["measure"],
                "must be one of " + ", ".join(BENCHMARK_MEASURES),
            )
        )
        ok = False
    try:
        value = float(row["value"].replace(",", ""))
        if value != value or value < 0 or value == float("inf"):
            raise ValueError
    except ValueError:
        problems.append(
            Problem(name, number, "value", row["value"], "is not a number of 0 or more")
        )
        ok = False
    if key is None or not ok:
        return None
    service, start, end = key
    return {
        "service": service,
        "period_from": start,
        "period_to": end,
        "measure": row["measure"],
        "value": value,
    }


def _group_row(
    name: str, number: int, row: dict[str, str], problems: list[Problem]
) -> dict[str, Any] | None:
    from django.utils.text import slugify

    slug = slugify(row["peer_group"])
    ok = _fits(name, number, row, "service", 120, problems)
    ok = _fits(name, number, row, "peer_group_name", 200, problems) and ok
    if len(slug) > 60:
        problems.append(
            Problem(name, number, "peer_group", row["peer_group"], "is longer than 60 characters")
        )
        ok = False
    if not slug:
        problems.append(Problem(name, number, "peer_group", row["peer_group"], "is blank"))
        ok = False
    if not row["service"]:
        problems.append(Problem(name, number, "service", "", "is blank"))
        ok = False
    flag = row.get("aggregate", "").lower()
    if flag not in {"", "true", "false", "yes", "no", "1", "0"}:
        problems.append(
            Problem(name, number, "aggregate", row["aggregate"], "is not true or false")
        )
        ok = False
    if not ok:
        return None
    return {
        "peer_group": slug,
        "peer_group_name": row["peer_group_name"] or PEER_GROUPS.get(slug, slug),
        "service": row["service"],
        "aggregate": flag in {"true", "yes", "1"},
    }


# --------------------------------------------------------------------------------------
# Ranks and comparators
# --------------------------------------------------------------------------------------


def computed_values(
    measure: str, start: date, end: date, services: Sequence[Service]
) -> dict[str, float]:
    """Values of a measure from case records, for services whose records cover it: the
    stored figures (computed and stored first if this period was never asked for)."""
    covering = [
        s
        for s in services
        if s.data_to is not None
        and s.data_to >= end
        and s.last_import is not None
        and (s.last_import.period_start is None or s.last_import.period_start <= start)
    ]
    kind = "3m" if _whole_quarters(start, end) else "12m"
    period = as_period(start, end)
    values = {}
    for service in covering:
        obs = stored_figures(service, [period], kind).get((start, end), {}).get(measure)
        if obs is not None and obs.value is not None:
            values[service.name] = obs.value
    return values


def _whole_quarters(start: date, end: date) -> bool:
    """Whether the period is whole quarters, as the 3m cohort method needs."""
    period = Period(start, end)
    return period.is_month_aligned() and period.months % 3 == 0


SOURCES = ("published", "local")


def rank(
    measure: str, start: date, end: date, group_slug: str, source: str = "published"
) -> RankTable:
    """Rank the members of a peer group on a measure for a period, on one source only:
    their published figures (the default) or their figures from case records."""
    if measure not in BENCHMARK_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(BENCHMARK_MEASURES)}")
    if source not in SOURCES:
        raise ValueError(f"source must be published or local, not {source!r}")
    group = PeerGroup.objects.filter(slug=group_slug).first()
    if group is None:
        known = ", ".join(PeerGroup.objects.values_list("slug", flat=True)) or "none loaded"
        raise ValueError(f"no peer group {group_slug!r} (known: {known})")
    members = list(group.members.select_related("last_import", "area"))
    if source == "local":
        found = computed_values(measure, start, end, members)
        label = "case records"
    else:
        found = dict(
            BenchmarkFigure.objects.filter(
                service__in=members, measure=measure, period_from=start, period_to=end
            ).values_list("service__name", "value")
        )
        label = "published"
    values = [(m.name, found[m.name]) for m in members if m.name in found]
    direction = measure_direction(measure)
    ranked = competition_ranks(values, higher_is_better=direction == Direction.HIGHER_IS_BETTER)
    entries = [RankEntry(n, v, r, label) for n, v, r in ranked]
    without = sorted(m.name for m in members if m.name not in found)
    synthetic = False
    if source == "published":
        synthetic = comparators_synthetic(measure, start, end)
    return RankTable(
        measure,
        start,
        end,
        group.slug,
        group.name,
        entries,
        without,
        direction,
        source=source,
        synthetic=synthetic,
    )
