"""Published youth justice statistics (MoJ/YJB) at service level, as first-class figures.

A publication file is CSV or a spreadsheet (the first sheet, or one named), in either
layout:

- long: ``service, period_from, period_to, measure, value``;
- wide: ``service, period_from, period_to`` and one column per statistic
  (any of :data:`PUBLISHED_MEASURES`; blank cells are figures not published).

Headers of another name are renamed first by a column mapping (expected column → the
file's header, as in :mod:`saferboard.youthjustice.mapping`). The import is all or
nothing, every problem located by file, row, column and value.

Where they are stored, and why: each figure is a
:class:`~saferboard.youthjustice.models.BenchmarkFigure` whose ``source`` is a
``DataImport`` of source kind "published" carrying the publication date
(``data_as_at`` and ``detail["published_on"]``) and the period it covers. Not a measures
Observation: an observation is one per measure, area and period, which is the service's
*local* figure (computed from its case records); storing the published figure there
would overwrite one with the other, which is the very mixing this module ends.

Combined services: a youth justice service may serve two local authorities (London has
31 services for its 33 authorities; :data:`SERVICES_FILE`). A publication giving the two
authorities separately is combined into the service: counts and populations are summed
and the rates recomputed from the sums (a combined service's population is the sum of
its boroughs'). An authority given only as a rate cannot be combined and is refused.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from saferboard.core import audit
from saferboard.core.code_version import code_version
from saferboard.core.importing.cells import cell_text
from saferboard.core.importing.pipeline import run_import
from saferboard.core.importing.reading import (
    DAMAGED_WORKBOOK_ERRORS,
    SheetRefused,
    csv_rows,
    decode_text,
    read_bounded_sheet,
)
from saferboard.core.models import AuditAction, User
from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice.benchmarks import service_and_period, store_figures
from saferboard.youthjustice.comparators import comparators_synthetic, synthetic_sources
from saferboard.youthjustice.import_problems import ImportFailed, Problem, refuse
from saferboard.youthjustice.mapping import FileMapping, rename_headers
from saferboard.youthjustice.refresh import Refresh, refresh_services

DATA = Path(__file__).resolve().parent / "data"
SERVICES_FILE = DATA / "youth_justice_services.csv"
KEY_COLUMNS = ("service", "period_from", "period_to")
LONG_COLUMNS = (*KEY_COLUMNS, "measure", "value")
MAX_ROWS = 200_000

# The published statistics accepted, with what each is.
PUBLISHED_MEASURES: dict[str, str] = {
    "fte_count": "first time entrants (children)",
    "fte_rate_per_100k": "first time entrants per 100,000 aged 10-17",
    "reoffending_cohort": "children in the reoffending cohort",
    "reoffenders": "children in the cohort who reoffended",
    "reoffences": "proven reoffences by the cohort",
    "binary_rate_pct": "reoffending: % of the cohort who reoffended",
    "frequency_rate": "reoffending: reoffences per child in the cohort",
    "custody_count": "custodial sentences",
    "custody_rate_per_1000": "custodial sentences per 1,000 aged 10-17",
    "cautioned_sentenced_count": "children cautioned or sentenced",
    "cautioned_sentenced_rate_per_10k": "children cautioned or sentenced per 10,000 aged 10-17",
    "population_10_17": "population aged 10-17",
}
COUNTS = (
    "fte_count",
    "reoffending_cohort",
    "reoffenders",
    "reoffences",
    "custody_count",
    "cautioned_sentenced_count",
    "population_10_17",
)
# rate: (numerator, denominator, multiplier): how a combined service's rate is recomputed.
RATES: dict[str, tuple[str, str, float]] = {
    "fte_rate_per_100k": ("fte_count", "population_10_17", 100_000.0),
    "binary_rate_pct": ("reoffenders", "reoffending_cohort", 100.0),
    "frequency_rate": ("reoffences", "reoffending_cohort", 1.0),
    "custody_rate_per_1000": ("custody_count", "population_10_17", 1_000.0),
    "cautioned_sentenced_rate_per_10k": ("cautioned_sentenced_count", "population_10_17", 1e4),
}


# --------------------------------------------------------------------------------------
# Youth justice services and the local authorities they serve
# --------------------------------------------------------------------------------------


@cache
def service_areas() -> dict[str, tuple[str, ...]]:
    """Each known youth justice service → the local authorities it serves."""
    found: dict[str, list[str]] = defaultdict(list)
    with SERVICES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found[row["service"]].append(row["local_authority"])
    return {service: tuple(areas) for service, areas in found.items()}


def combined_service_of(local_authority: str) -> str | None:
    """The combined service a local authority belongs to (None if it is its own service
    or unknown)."""
    for service, areas in service_areas().items():
        if len(areas) > 1 and local_authority.lower() in (a.lower() for a in areas):
            return service
    return None


def service_population(service: str, by_local_authority: dict[str, float]) -> float | None:
    """A service's population: the sum of its local authorities' (None if one is
    missing). A service not in the list is its own single area."""
    areas = service_areas().get(service, (service,))
    if any(a not in by_local_authority for a in areas):
        return None
    return sum(by_local_authority[a] for a in areas)


def combine(
    figures: dict[str, dict[str, float]], service: str
) -> tuple[dict[str, float] | None, str]:
    """One combined service's figures from its local authorities' (name → measure →
    value): counts summed, rates recomputed from the sums. Returns (figures, "") or
    (None, why not)."""
    areas = service_areas()[service]
    missing = [a for a in areas if a not in figures]
    if missing:
        return None, f"has no row for {', '.join(missing)}, which {service} also serves"
    out: dict[str, float] = {}
    for count in COUNTS:
        values = [figures[a].get(count) for a in areas]
        if all(v is not None for v in values):
            out[count] = float(sum(v for v in values if v is not None))
    for rate, (numerator, denominator, scale) in RATES.items():
        if any(rate in figures[a] for a in areas):
            if numerator not in out or denominator not in out:
                return None, (
                    f"gives {rate} for part of {service} without the {numerator} and "
                    f"{denominator} to combine it"
                )
            out[rate] = out[numerator] / out[denominator] * scale if out[denominator] else 0.0
    return out, ""


# --------------------------------------------------------------------------------------
# Reading a publication
# --------------------------------------------------------------------------------------


@dataclass
class PublishedReport:
    data_import: DataImport
    figures: int
    services: list[str]
    combined: list[str]


def read_table(content: bytes, name: str, sheet: str | None = None) -> list[list[str]]:
    """The rows of a CSV file or a workbook's sheet as text (row 1 the header)."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            grid = read_bounded_sheet(
                content,
                sheet_name=sheet,
                max_rows=MAX_ROWS,
                max_columns=40,
                max_expanded_bytes=200 * 1024 * 1024,
            )
        except SheetRefused as refused:
            raise ImportFailed([Problem(name, None, "", "", str(refused))]) from None
        except DAMAGED_WORKBOOK_ERRORS as error:
            raise ImportFailed(
                [Problem(name, None, "", "", f"is not a readable spreadsheet ({error})")]
            ) from None
        rows = [[cell_text(v) for v in row] for row in grid.rows]
        while rows and not any(rows[-1]):
            rows.pop()
        return rows
    try:
        text = decode_text(content, ("utf-8-sig",)).text
    except UnicodeDecodeError:
        raise ImportFailed([Problem(name, None, "", "", "is not UTF-8 text")]) from None
    try:
        return list(csv_rows(text))
    except csv.Error as error:
        raise ImportFailed(
            [Problem(name, None, "", "", f"cannot be read as CSV: {error}")]
        ) from None


def parse_publication(
    rows: list[list[str]], name: str, mapping: FileMapping | None = None
) -> list[dict[str, Any]]:
    """Check a publication's rows; the figures as ``{service, period_from, period_to,
    measure, value, row}`` (combined services already combined). Raises
    :class:`ImportFailed` with every located problem."""
    if not rows:
        raise ImportFailed([Problem(name, None, "", "", "is empty: the header row is missing")])
    header = [
        h.strip().lower() for h in rename_headers([h.strip() for h in rows[0]], mapping or {})
    ]
    problems: list[Problem] = []
    for column in KEY_COLUMNS:
        if column not in header:
            problems.append(Problem(name, 1, column, "", "the column is missing from the header"))
    long = "measure" in header and "value" in header
    measure_columns = [c for c in header if c in PUBLISHED_MEASURES]
    if not long and not measure_columns:
        problems.append(
            Problem(
                name,
                1,
                "",
                ",".join(header),
                "needs measure and value columns, or a column for one or more of "
                + ", ".join(PUBLISHED_MEASURES),
            )
        )
    if problems:
        raise ImportFailed(problems)
    index = {c: i for i, c in enumerate(header)}
    figures: list[dict[str, Any]] = []
    seen: dict[tuple[object, ...], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        row = {c: cells[i].strip() for c, i in index.items()}
        key = service_and_period(name, number, row, problems)
        pairs = (
            [(row["measure"], row["value"], "value")]
            if long
            else [(m, row[m], m) for m in measure_columns if row[m] != ""]
        )
        for measure, raw, column in pairs:
            if measure not in PUBLISHED_MEASURES:
                problems.append(
                    Problem(
                        name,
                        number,
                        "measure",
                        measure,
                        "must be one of " + ", ".join(PUBLISHED_MEASURES),
                    )
                )
                continue
            value = _value(name, number, column, raw, problems)
            if key is None or value is None:
                continue
            ident = (*key, measure)
            if ident in seen:
                problems.append(
                    Problem(name, number, column, raw, f"repeats the figure of row {seen[ident]}")
                )
                continue
            seen[ident] = number
            figures.append(
                {
                    "service": key[0],
                    "period_from": key[1],
                    "period_to": key[2],
                    "measure": measure,
                    "value": value,
                    "row": number,
                }
            )
    if not figures and not problems:
        problems.append(Problem(name, None, "", "", "has no figures"))
    combined = _combine_rows(figures, name, problems)
    refuse(problems)
    return combined


def _value(name: str, number: int, column: str, raw: str, problems: list[Problem]) -> float | None:
    try:
        value = float(raw.replace(",", ""))
        if value != value or value < 0 or value == float("inf"):
            raise ValueError
    except ValueError:
        problems.append(Problem(name, number, column, raw, "is not a number of 0 or more"))
        return None
    return value


def _combine_rows(
    figures: list[dict[str, Any]], name: str, problems: list[Problem]
) -> list[dict[str, Any]]:
    """Figures of local authorities that share a combined service, combined into it
    (unless the publication gives the service itself for that period)."""
    given = {(f["service"].lower(), f["period_from"], f["period_to"]) for f in figures}
    kept: list[dict[str, Any]] = []
    parts: dict[tuple[str, date, date], dict[str, dict[str, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    first_row: dict[tuple[str, date, date], int] = {}
    for f in figures:
        service = combined_service_of(f["service"])
        if service is None or (service.lower(), f["period_from"], f["period_to"]) in given:
            kept.append(f)
            continue
        key = (service, f["period_from"], f["period_to"])
        canonical = next(a for a in service_areas()[service] if a.lower() == f["service"].lower())
        parts[key][canonical][f["measure"]] = f["value"]
        first_row[key] = min(first_row.get(key, f["row"]), f["row"])
    for (service, start, end), by_area in parts.items():
        values, why = combine(dict(by_area), service)
        if values is None:
            problems.append(Problem(name, first_row[(service, start, end)], "service", "", why))
            continue
        for measure, value in values.items():
            kept.append(
                {
                    "service": service,
                    "period_from": start,
                    "period_to": end,
                    "measure": measure,
                    "value": round(value, 6),
                    "row": first_row[(service, start, end)],
                    "combined": True,
                }
            )
    return kept


# --------------------------------------------------------------------------------------
# Storing
# --------------------------------------------------------------------------------------


def import_publication(
    content: bytes,
    name: str,
    *,
    published_on: date,
    mapping: FileMapping | None = None,
    sheet: str | None = None,
    publisher: str = "Youth Justice Board / Ministry of Justice",
    synthetic: bool = False,
    user: User | None = None,
    request: Any = None,
    refresh: Refresh = refresh_services,
) -> PublishedReport:
    """Check and store a publication's figures (all or nothing), with source
    "published", the publication date and period; then recompute, with ``refresh``, the
    stored figures of services with case records (their comparators and ranks)."""
    steps = _PublicationImport(
        content,
        name,
        _Publication(published_on, mapping or {}, sheet, publisher, synthetic),
        user,
        request,
        refresh,
    )
    return run_import(steps)


@dataclass(frozen=True)
class _Publication:
    """What the person importing says about the file."""

    published_on: date
    mapping: FileMapping
    sheet: str | None
    publisher: str
    synthetic: bool


class _PublicationImport:
    """A publication as :class:`~saferboard.core.importing.pipeline.ImportSteps`."""

    def __init__(
        self,
        content: bytes,
        name: str,
        publication: _Publication,
        user: User | None,
        request: Any,
        refresh: Refresh,
    ) -> None:
        self.content, self.name, self.publication = content, name, publication
        self.user, self.request, self.refresh_step = user, request, refresh
        self.figures: list[dict[str, Any]] = []

    def check(self) -> list[Problem]:
        """Read and check the file; problems are raised as :class:`ImportFailed`."""
        table = read_table(self.content, self.name, self.publication.sheet)
        self.figures = parse_publication(table, self.name, self.publication.mapping)
        return []

    def stage(self) -> list[dict[str, Any]]:
        return self.figures

    def commit(self, figures: list[dict[str, Any]]) -> PublishedReport:
        from saferboard.youthjustice.services import ensure_service

        publication = self.publication
        # The figures point at their DataImport, so it is written with them.
        data_import = DataImport.objects.create(
            source_kind=SourceKind.PUBLISHED,
            format="yj-published-xlsx"
            if self.name.lower().endswith(".xlsx")
            else "yj-published-csv",
            label=(
                f"Published youth justice statistics ({publication.published_on:%-d %B %Y}): "
                f"{self.name}"
            )[:200],
            files=[
                {
                    "name": self.name,
                    "sha256": hashlib.sha256(self.content).hexdigest(),
                    "bytes": len(self.content),
                    "rows": len(figures),
                }
            ],
            rows=len(figures),
            imported_by=self.user,
            code_version=code_version(),
        )
        names = sorted({f["service"] for f in figures})
        store_figures(figures, {n: ensure_service(n) for n in names}, data_import)
        combined = sorted({f["service"] for f in figures if f.get("combined")})
        return PublishedReport(data_import, len(figures), names, combined)

    def provenance(self, result: PublishedReport) -> None:
        publication = self.publication
        data_import = result.data_import
        data_import.period_start = min(f["period_from"] for f in self.figures)
        data_import.period_end = max(f["period_to"] for f in self.figures)
        data_import.data_as_at = publication.published_on
        data_import.detail = {
            "published_on": publication.published_on.isoformat(),
            "publisher": publication.publisher,
            "synthetic": publication.synthetic,
            "mapping": publication.mapping,
        }
        data_import.save(update_fields=["period_start", "period_end", "data_as_at", "detail"])

    def audit(self, result: PublishedReport) -> None:
        audit.record(
            AuditAction.IMPORT,
            actor=self.user,
            obj=result.data_import,
            request=self.request,
            what="published youth justice statistics",
            rows=result.figures,
            published_on=self.publication.published_on.isoformat(),
        )

    def refresh(self, result: PublishedReport) -> None:
        from saferboard.youthjustice.models import Service

        self.refresh_step([s.name for s in Service.objects.filter(data_to__isnull=False)])


# --------------------------------------------------------------------------------------
# Reading what is stored: the published figure beside the local one
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedFigure:
    value: float
    published_on: date | None
    synthetic: bool
    label: str  # "Published (YJB, 26 Jan 2026)"


def published_figures(
    service: Any, measures: list[str]
) -> dict[tuple[date, date, str], PublishedFigure]:
    """The service's published figures, by (period_from, period_to, measure)."""
    from saferboard.youthjustice.models import BenchmarkFigure

    found = {}
    synthetic_ids = synthetic_sources()
    for figure in BenchmarkFigure.objects.filter(
        service=service, measure__in=measures
    ).select_related("source"):
        source = figure.source
        detail = source.detail if source else {}
        published_on = source.data_as_at if source else None
        synthetic = figure.source_id in synthetic_ids or bool(detail.get("synthetic"))
        label = "Synthetic comparator (not published)" if synthetic else "Published"
        if published_on and not synthetic:
            label += f", {published_on:%-d %b %Y}"
        found[(figure.period_from, figure.period_to, figure.measure)] = PublishedFigure(
            figure.value, published_on, synthetic, label
        )
    return found


# The figures the page shows beside their published counterparts, in order.
PAGE_MEASURES: tuple[str, ...] = (
    "fte_rate_per_100k",
    "binary_rate_pct",
    "frequency_rate",
    "custody_rate_per_1000",
    "cautioned_sentenced_rate_per_10k",
)


@dataclass(frozen=True)
class BesideRow:
    """One measure and year: the local figure and the published one, each labelled."""

    measure: str
    label: str
    period_label: str
    local: float | None
    published: PublishedFigure | None
    published_ranks: list[str]  # "ranked 2nd of 31 in London (published figures)"
    comparators_synthetic: bool


def beside(service: Any, years: int = 3) -> list[BesideRow]:
    """The service's local figures (from its case records, as stored) beside its
    published figures for the latest ``years`` financial years, with the published
    figure's ranks and whether the comparators are synthetic."""
    from saferboard.core.formats import ordinal
    from saferboard.youthjustice.comparators import GROUP_PHRASES
    from saferboard.youthjustice.definitions import MEASURES_BY_SLUG
    from saferboard.youthjustice.observations import (
        comparator_key,
        read_stored,
        records_from,
        reporting_periods,
    )

    first = records_from(service)
    if first is None or service.data_to is None:
        return []
    periods = reporting_periods(first, service.data_to)[0][-years:]
    stored = read_stored(service, periods, "3m")
    published = published_figures(service, list(PAGE_MEASURES))
    rows = []
    for slug in PAGE_MEASURES:
        for period in reversed(periods):
            obs = stored.get((period.start, period.end), {}).get(slug)
            comparators = (obs.comparators or {}) if obs else {}
            ranks = []
            for group, phrase in GROUP_PHRASES.items():
                key = comparator_key(group)
                rank, size = (
                    comparators.get(f"{key}_published_rank"),
                    comparators.get(f"{key}_published_size"),
                )
                if isinstance(rank, int) and isinstance(size, int):
                    ranks.append(f"ranked {ordinal(rank)} of {size} {phrase} (published figures)")
            if obs is not None:
                synthetic = bool(comparators.get("comparators_synthetic"))
            else:
                synthetic = comparators_synthetic(slug, period.start, period.end)
            rows.append(
                BesideRow(
                    slug,
                    MEASURES_BY_SLUG[slug].label,
                    period.label,
                    obs.value if obs else None,
                    published.get((period.start, period.end, slug)),
                    ranks,
                    synthetic,
                )
            )
    return rows


@dataclass(frozen=True)
class PackTable:
    """The board pack's "local and published" table (plain values, for any renderer)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...]
    synthetic_warning: str  # "" unless some comparators are synthetic


def pack_table(observations: list[Any], public: bool = False) -> PackTable | None:
    """Each benchmarked youth justice figure of the pack beside the service's published
    figure for the same period, each labelled; None when nothing is published for them.
    In a public pack a local figure built on a small count (1 to 4) is suppressed."""
    from saferboard.youthjustice.definitions import is_small
    from saferboard.youthjustice.models import Service

    wanted = [o for o in observations if o.measure.slug in PAGE_MEASURES and o.value is not None]
    if not wanted:
        return None
    services = {
        s.area_id: s for s in Service.objects.filter(area_id__in={o.area_id for o in wanted})
    }
    rows = []
    synthetic = False
    cache: dict[int, dict[tuple[date, date, str], PublishedFigure]] = {}
    for obs in wanted:
        service = services.get(obs.area_id)
        if service is None:
            continue
        if service.pk not in cache:
            cache[service.pk] = published_figures(service, list(PAGE_MEASURES))
        figure = cache[service.pk].get((obs.period_start, obs.period_end, obs.measure.slug))
        synthetic = synthetic or bool((obs.comparators or {}).get("comparators_synthetic"))
        rows.append(
            (
                obs.measure.label,
                "[c]" if public and is_small(obs.numerator) else f"{obs.value:,.2f}",
                "" if figure is None else f"{figure.value:,.2f}",
                "not loaded" if figure is None else figure.label,
            )
        )
    if not any(r[2] for r in rows) and not synthetic:
        return None
    return PackTable(
        caption="Youth justice figures from the case records beside the published figures",
        columns=("Indicator", "Local (case records)", "Published", "Source of the published"),
        rows=tuple(rows),
        footnotes=(
            "Local figures are computed from the service's case records; published figures "
            "are the Youth Justice Board's or Ministry of Justice's for the same period. "
            "Ranks compare published with published, or local with local, never both.",
        ),
        synthetic_warning=(
            "Warning: some comparator figures are synthetic (made up for the "
            "demonstration), not published statistics."
            if synthetic
            else ""
        ),
    )
