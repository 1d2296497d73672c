"""The crime dashboard: rolling-year comparisons, RAG, significance, rates, ranks,
trends and hotspots for one area and month, assembled from :mod:`.engine` queries.

Pure computation over the engine and the measure configuration: no request objects, so
the command line, the web page, the downloads and the board pack share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saferboard.core.models import Area, AreaKind
from saferboard.core.rag import NOT_RATED_LABEL, RagAssessment
from saferboard.crime.categories import (
    FORCES,
    LONDON_BOROUGHS,
    category_validity,
    is_dashboard_category,
)
from saferboard.crime.engine import LONDON_REGION, AreaCounts, Engine, engine
from saferboard.crime.measures import categories_for, ensure_measures
from saferboard.crime.ratios import PARTS, is_ratio, monthly_ratios, part_key, scale, with_ratios
from saferboard.crime.sources import (
    SOURCE_LABELS,
    SOURCES,
    is_force,
    preferred_source,
    source_for_area,
    source_note,
)
from saferboard.crime.stats import ALPHA, change_p_value
from saferboard.crime.windows import Comparison, month_key, month_range, parse_month
from saferboard.measures.models import Measure, Observation
from saferboard.measures.ranking import competition_ranks
from saferboard.measures.rules import change_pct

__all__ = ["SOURCES", "SOURCE_LABELS"]


class DashboardError(ValueError):
    """A dashboard that cannot be drawn (unknown area, month or source), with why."""


@dataclass(frozen=True)
class AreaRef:
    kind: str  # lad | force | region
    code: str
    name: str


@dataclass
class MeasureResult:
    measure: str
    label: str
    direction: str
    current: float | None
    previous: float | None
    complete: bool
    in_data: bool
    unit: str = "count"
    # A ratio measure's parts in the current rolling year (None for a count).
    numerator: int | None = None
    denominator: int | None = None
    missing_current: list[str] = field(default_factory=list)
    missing_previous: list[str] = field(default_factory=list)
    p_value: float | None = None
    rate_per_1000: float | None = None
    rank: dict[str, int | None] = field(default_factory=dict)
    peers_ranked: int = 0
    not_ranked: list[dict[str, str]] = field(default_factory=list)
    fytd: dict[str, Any] | None = None
    # The stored observation of the window, once :func:`saferboard.crime.observations.
    # dashboard_figures` has stored or found it: the figures shown are its, and so is the
    # rating. The engine computes figures; it never rates them (issue 19).
    observation: Observation | None = None
    # A judgement rule's rating of the window (a person's, with their reason), if set.
    judgement: RagAssessment | None = None

    @property
    def rating(self) -> RagAssessment | None:
        """The stored rating shown: the judgement for a judgement-rule measure, else the
        observation's rule rating; ``None`` when not rated (or not stored)."""
        if self.judgement is not None:
            return self.judgement
        if self.observation is not None and self.complete:
            return self.observation.rag
        return None

    @property
    def rag(self) -> str:
        """The rating's status ('red', 'amber', 'green', 'blue'), or 'none'."""
        rating = self.rating
        return rating.status if rating is not None else "none"

    @property
    def rag_reason(self) -> str:
        rating = self.rating
        return rating.reason if rating is not None else ""

    @property
    def rule(self) -> str:
        """The rule version that set the rating shown ('slug@version'), or ''."""
        if self.judgement is not None:
            return self.judgement.rule
        if self.rating is not None and self.observation is not None:
            return self.observation.rag_rule
        return ""

    @property
    def change(self) -> float | None:
        """The change: a count's difference, a ratio's in percentage points."""
        if not self.complete or self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> float | None:
        if not self.complete or self.current is None or self.previous is None:
            return None
        return change_pct(self.current, self.previous)

    @property
    def significant(self) -> bool | None:
        return None if self.p_value is None else self.p_value < ALPHA

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "label": self.label,
            "unit": self.unit,
            "current": self.current,
            "previous": self.previous,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "change": self.change,
            "change_pct": self.change_pct,
            "rag": self.rag,
            "significant": self.significant,
            "rate_per_1000": self.rate_per_1000,
            "p_value": self.p_value,
            "rule": self.rule or None,
            "complete": self.complete,
            "in_data": self.in_data,
            "missing_months": {"current": self.missing_current, "previous": self.missing_previous},
            "rank": {**self.rank, "of": self.peers_ranked},
            "not_ranked": self.not_ranked,
            "fytd": self.fytd,
            # Added with issue 19 (the keys above are a contract and stay as they were).
            "rag_second": self.rating.second_status if self.rating else None,
            "rag_label": self.rating.label if self.rating else NOT_RATED_LABEL,
            "rag_reason": self.rag_reason or None,
            "observation_id": self.observation.pk if self.observation is not None else None,
        }


@dataclass
class TrendPoint:
    month: str
    value: float | None
    year_before: float | None


@dataclass
class Hotspot:
    code: str
    name: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass
class Hotspots:
    level: str
    measure: str
    label: str
    complete: bool
    highest: list[Hotspot]
    rises: list[Hotspot]


@dataclass
class Dashboard:
    area: AreaRef
    source: str
    to: str
    comparison: Comparison
    measures: list[MeasureResult]
    population: tuple[int, int] | None
    peer_group: str
    notes: list[str] = field(default_factory=list)
    trends: dict[str, list[TrendPoint]] = field(default_factory=dict)
    hotspots: list[Hotspots] = field(default_factory=list)
    preferred_source: str | None = None

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    def as_json(self) -> dict[str, Any]:
        return {
            "area": self.area.code,
            "area_name": self.area.name,
            "source": self.source,
            "to": self.to,
            "current": self.comparison.current.as_dict(),
            "previous": self.comparison.previous.as_dict(),
            "population": (
                {"persons": self.population[0], "mid_year": self.population[1]}
                if self.population
                else None
            ),
            "peer_group": self.peer_group,
            "measures": [m.as_json() for m in self.measures],
            "notes": self.notes,
            "source_label": self.source_label,
            "preferred_source": self.preferred_source,
        }


@dataclass
class RankRow:
    area: str
    name: str
    current: float
    previous: float
    complete: bool
    rate_per_1000: float | None
    rank_count: int | None = None
    rank_rate: int | None = None
    rank_change: int | None = None

    @property
    def change(self) -> float | None:
        return self.current - self.previous if self.complete else None

    @property
    def change_pct(self) -> float | None:
        return change_pct(self.current, self.previous) if self.complete else None

    def as_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "name": self.name,
            "current": self.current,
            "previous": self.previous,
            "change": self.change,
            "change_pct": self.change_pct,
            "rate_per_1000": self.rate_per_1000,
            "complete": self.complete,
            "rank_count": self.rank_count,
            "rank_rate": self.rank_rate,
            "rank_change": self.rank_change,
        }


# Configuration -------------------------------------------------------------------------
def source_measures(source: str) -> list[Measure]:
    measures = list(Measure.objects.filter(source_kind=source).order_by("display_order", "label"))
    if not measures:
        ensure_measures()
        measures = list(
            Measure.objects.filter(source_kind=source).order_by("display_order", "label")
        )
    return measures


def measure_categories(eng: Engine, source: str, measures: list[Measure]) -> dict[str, list[str]]:
    """The categories each measure counts. A ratio measure's two parts are counted as
    hidden measures of their own; its own key holds both parts' categories, which give
    its months of data (its counted sum is replaced by the ratio, see :func:`ratio_rows`)."""
    known = eng.categories(source)
    out: dict[str, list[str]] = {}
    for m in measures:
        definition = m.definition or {}
        if is_ratio(definition):
            parts = {p: categories_for(definition["ratio"].get(p) or {}, known) for p in PARTS}
            for part, cats in parts.items():
                out[part_key(m.slug, part)] = cats
            out[m.slug] = sorted(set(parts["numerator"]) | set(parts["denominator"]))
        else:
            out[m.slug] = categories_for(definition, known)
    return out


def ratio_scales(measures: list[Measure]) -> dict[str, float]:
    """{slug: scale} of the ratio measures among ``measures``."""
    return {m.slug: scale(m.definition) for m in measures if is_ratio(m.definition)}


def ratio_rows(rows: list[AreaCounts], measures: list[Measure]) -> list[AreaCounts]:
    """The engine's rows with every ratio measure's counted sum replaced by its ratio."""
    scales = ratio_scales(measures)
    return with_ratios(rows, scales) if scales else rows


def invalid_months(
    definition: dict[str, Any], months: list[str], partial: set[str] | None = None
) -> set[str]:
    """Months in which a category the measure names was not published under its
    definition: the figure is not comparable there, so it is treated as missing, not
    zero. Totals ("all", "all_except") run on across police.uk's changes of categories,
    but cannot be made from a partial extract (``partial`` months)."""
    validity = category_validity()
    out: set[str] = set()
    if partial and (definition.get("all") or "all_except" in definition):
        out.update(m for m in months if m in partial)
    for cat in definition.get("categories", []):
        if cat not in validity:
            continue
        first, last = validity[cat]
        out.update(m for m in months if not first <= m <= last)
    return out


# Areas -----------------------------------------------------------------------------------
def resolve_area(text: str, source: str, eng: Engine | None = None) -> AreaRef:
    """An area by code or name: a local authority, a police force (police.uk) or
    London (Met)."""
    eng = eng or engine()
    wanted = text.strip()
    if source == "police-uk":
        for name, slug in FORCES.items():
            if wanted.lower() in {slug, name.lower()}:
                return AreaRef("force", slug, eng.name(slug) or name)
    if source == "mps" and wanted.lower() in {"london", LONDON_REGION.lower()}:
        return AreaRef("region", LONDON_REGION, "London")
    area = (
        Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, code__iexact=wanted).first()
        or Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, name__iexact=wanted).first()
    )
    if area:
        return AreaRef("lad", area.code, area.name)
    for name, code in LONDON_BOROUGHS.items():
        if wanted.lower() in {name.lower(), code.lower()}:
            return AreaRef("lad", code, name)
    found = eng.find_area(wanted)
    if found and found[0][:3] in {"E06", "E07", "E08", "E09", "W06"}:
        return AreaRef("lad", found[0], found[1])
    raise DashboardError(f"No local authority or police force called {text!r}")


def default_source(area_text: str, to: str | None = None) -> str:
    """The source a view of an area uses when none is asked for: the partnership's
    preferred source where it covers the area, else the rule's (the Met's for a Met
    borough, police.uk elsewhere). Never guessed from what happens to be imported
    (``to`` is accepted for callers of the old signature and not used)."""
    del to
    if not area_text:
        return source_for_area(None)
    if is_force(area_text):
        return "police-uk"
    try:
        code = resolve_area(area_text, "mps").code
    except DashboardError:
        code = None
    return source_for_area(code)


def peer_codes(peers: str, eng: Engine, source: str) -> tuple[str, set[str] | None]:
    """(label, codes) of a peer group: 'london', 'all' (None: every area) or a file of
    codes or names, one per line (a CSV's first column)."""
    if peers == "london":
        return "London boroughs", {c for c in LONDON_BOROUGHS.values()}
    if peers == "all":
        return "all local authorities with data", None
    path = Path(peers)
    if not path.exists():
        raise DashboardError(f"Peer group {peers!r} is not london, all or a readable file")
    codes: set[str] = set()
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        cell = line.split(",")[0].strip().strip('"')
        if not cell or cell.lower() in {"code", "area", "area_code", "name"}:
            continue
        codes.add(resolve_area(cell, source, eng).code)
    return f"peers listed in {path.name}", codes


# Computation -----------------------------------------------------------------------------
def rank_table(
    source: str,
    measure: Measure,
    to: str,
    peers: str = "london",
    *,
    eng: Engine | None = None,
    left_out: list[dict[str, str]] | None = None,
) -> tuple[str, Comparison, list[RankRow]]:
    """Every peer area's rolling year for one measure, ranked on count, rate and change
    (1 is best: lowest for lower-is-better measures, highest for higher-is-better)."""
    eng = eng or engine()
    comparison = Comparison.to(to)
    label, codes = peer_codes(peers, eng, source)
    cats = measure_categories(eng, source, [measure])
    counted = eng.compare(source, comparison, cats, areas=sorted(codes) if codes else None)
    rows = [r for r in ratio_rows(counted, [measure]) if r.measure == measure.slug]
    # A rate per resident of a ratio means nothing: ratios rank on the ratio and change.
    pops = (
        {} if is_ratio(measure.definition) else eng.population([r.area for r in rows], int(to[:4]))
    )
    names = dict(eng.areas(source))
    names.update(
        Area.objects.filter(code__in=[r.area for r in rows if r.area not in names]).values_list(
            "code", "name"
        )
    )
    ranks = peer_ranks(rows, pops, measure.direction)
    if left_out is not None:
        left_out.extend(not_ranked(rows, ranks, eng, codes))
    out = []
    for r in rows:
        complete = r.area in ranks
        pop = pops.get(r.area)
        mine = ranks.get(r.area, {})
        out.append(
            RankRow(
                r.area,
                names.get(r.area) or eng.name(r.area) or r.area,
                r.current,
                r.previous,
                complete,
                r.current / pop[0] * 1000 if pop and complete else None,
                mine.get("count"),
                mine.get("rate"),
                mine.get("change"),
            )
        )
    out.sort(key=lambda row: (row.rank_count is None, row.rank_count or 0, row.name))
    return label, comparison, out


def build_dashboard(
    area_text: str,
    to: str,
    source: str | None = None,
    *,
    details: bool = True,
    hotspot_measure: str | None = None,
    ranks: bool | None = None,
) -> Dashboard:
    """The figures of the dashboard for an area (code or name) and end month ``YYYY-MM``,
    as the engine computes them, unrated.

    ``details`` adds trends, ranks and hotspots; ``ranks`` asks for ranks alone (they are
    part of a stored figure). Renderings never show this directly: they show the stored,
    rated observations :func:`saferboard.crime.observations.dashboard_figures` returns.
    """
    ranked = details if ranks is None else ranks
    try:
        comparison = Comparison.to(to)
    except ValueError as error:
        raise DashboardError(str(error)) from error
    source = source or default_source(area_text, to)
    if source not in SOURCES:
        raise DashboardError(f"Unknown source {source!r}: use police-uk or mps")
    eng = engine()
    area = resolve_area(area_text, source, eng)
    # A retired measure leaves the dashboard; its series and stored figures stay.
    measures = [m for m in source_measures(source) if not m.is_retired]
    cats = measure_categories(eng, source, measures)
    peer_label = (
        "London boroughs"
        if area.code in LONDON_BOROUGHS.values()
        else "all local authorities with data"
    )
    peers = "london" if area.code in LONDON_BOROUGHS.values() else "all"
    codes: set[str] | None = None
    if ranked and area.kind == "lad":
        _, codes = peer_codes(peers, eng, source)
        counted = eng.compare(source, comparison, cats, areas=sorted(codes) if codes else None)
    else:
        counted = eng.compare(source, comparison, cats, kind=area.kind, areas=[area.code])
    rows = ratio_rows(counted, measures)
    all_months = comparison.previous.months + comparison.current.months
    covered = set(eng.months(source, area.kind, area.code))
    partial = eng.partial_months(source, area.kind, area.code)
    pops = eng.population([r.area for r in rows if r.area == area.code or ranked], int(to[:4]))
    population = pops.get(area.code)
    by_measure: dict[str, list[AreaCounts]] = {}
    for r in rows:
        by_measure.setdefault(r.measure, []).append(r)
    # Is the measure in the data at all? (a derived extract may hold some types only)
    in_data = {
        slug: any(r.current or r.previous for r in group) for slug, group in by_measure.items()
    }
    results = []
    fytd = Comparison.financial_year_to_date(to)
    fy_counted = eng.compare(source, fytd, cats, kind=area.kind, areas=[area.code])
    fy_rows = {r.measure: r for r in ratio_rows(fy_counted, measures) if r.area == area.code}
    for m in measures:
        mine = next((r for r in by_measure.get(m.slug, []) if r.area == area.code), None)
        not_comparable = invalid_months(m.definition or {}, all_months, partial)
        # A measure's months are those of its own data (the Met dashboard's crime types
        # were published for other months than recorded crime).
        own = (
            set(eng.measure_months(source, area.kind, area.code, cats[m.slug]))
            if cats.get(m.slug)
            else covered
        )
        available = own - not_comparable
        missing_cur, missing_prev = comparison.missing(available)
        complete = not missing_cur and not missing_prev
        # Nothing to show when no month of either year is usable.
        present = in_data.get(m.slug, False) and bool(available & set(all_months))
        ratio_measure = is_ratio(m.definition)
        if (
            ratio_measure
            and mine is not None
            and (
                mine.current_months < len(comparison.current.months)
                or mine.previous_months < len(comparison.previous.months)
            )
        ):
            # A part missing a month (or a year with no denominator): not comparable.
            complete = False
        result = MeasureResult(
            measure=m.slug,
            label=m.label,
            direction=m.direction,
            current=mine.current if mine and present else None,
            previous=mine.previous if mine and present else None,
            complete=complete and present and mine is not None,
            in_data=present,
            missing_current=missing_cur,
            missing_previous=missing_prev,
            unit=m.unit,
        )
        if ratio_measure and present:
            parts = {
                part: next(
                    (
                        r
                        for r in counted
                        if r.area == area.code and r.measure == part_key(m.slug, part)
                    ),
                    None,
                )
                for part in PARTS
            }
            result.numerator = int(parts["numerator"].current) if parts["numerator"] else None
            result.denominator = int(parts["denominator"].current) if parts["denominator"] else None
            if not result.denominator:
                result.current = None
        fy_row = fy_rows.get(m.slug)
        if (
            ratio_measure
            and fy_row is not None
            and (
                fy_row.current_months < len(fytd.current.months)
                or fy_row.previous_months < len(fytd.previous.months)
            )
        ):
            # A part short of a month (or no denominator): counts shown, not compared.
            result.fytd = _fytd(fytd, fy_row, set(), present)
        else:
            result.fytd = _fytd(fytd, fy_row, available, present)
        if result.complete:
            # No rating here: a figure is rated once, when it is stored (see
            # saferboard.crime.observations.dashboard_figures).
            if not ratio_measure:
                # The exact test and the rate per resident are for counts only.
                result.p_value = change_p_value(int(result.current or 0), int(result.previous or 0))
                if population:
                    result.rate_per_1000 = (result.current or 0) / population[0] * 1000
            if ranked and area.kind == "lad":
                group = by_measure.get(m.slug, [])
                _rank_into(result, m, group, {} if ratio_measure else pops, area.code, eng, codes)
        results.append(result)
    dashboard = Dashboard(area, source, to, comparison, results, population, peer_label)
    dashboard.preferred_source = preferred_source()
    chosen_note = source_note(source, area.code)
    if chosen_note:
        dashboard.notes.append(chosen_note)
    _notes(dashboard, eng, covered)
    if details:
        dashboard.trends = trends(eng, source, area, to, cats, measures)
        first = hotspot_measure or (measures[0].slug if measures else None)
        label = next((m.label for m in measures if m.slug == first), "")
        if first in cats and any(c.startswith("-") for c in cats[first]):
            dashboard.notes.append(
                f"No hotspots for {label}: the part it subtracts comes from the Met's crime "
                "dashboard extract, imported for boroughs only."
            )
        elif first in cats and cats[first] and all(is_dashboard_category(c) for c in cats[first]):
            dashboard.notes.append(
                f"No hotspots for {label}: the Met's crime dashboard extract is imported "
                "for boroughs only."
            )
        elif first and area.kind == "lad" and first in cats:
            dashboard.hotspots = [
                hotspots(eng, source, area, comparison, level, first, label, cats[first])
                for level in ("ward", "lsoa")
            ]
    return dashboard


def _fytd(
    fy: Comparison, row: AreaCounts | None, available: set[str], present: bool
) -> dict[str, Any]:
    """The financial year to date against the same months a year earlier: counts when
    the measure has data, compared only when every month of both is present."""
    missing_cur, missing_prev = fy.missing(available)
    complete = present and row is not None and not missing_cur and not missing_prev
    current = row.current if row is not None and present else None
    previous = row.previous if row is not None and present else None
    return {
        "from": fy.current.first,
        "to": fy.current.last,
        "previous": {"from": fy.previous.first, "to": fy.previous.last},
        "current_count": current,
        "previous_count": previous,
        "change": (current - previous)
        if complete and current is not None and previous is not None
        else None,
        "change_pct": change_pct(current, previous)
        if complete and current is not None and previous is not None
        else None,
        "complete": complete,
    }


def peer_ranks(
    group: list[AreaCounts], pops: dict[str, tuple[int, int]], direction: str
) -> dict[str, dict[str, int | None]]:
    """Competition ranks of every area of ``group`` whose two years are complete, on
    count, rate per resident and % change; 1 is best (the lowest, for lower-is-better
    measures)."""
    complete = [r for r in group if r.current_months == 12 and r.previous_months == 12]
    values: dict[str, dict[str, float | None]] = {
        "count": {r.area: float(r.current) for r in complete},
        "rate": {r.area: r.current / pops[r.area][0] if r.area in pops else None for r in complete},
        "change": {r.area: change_pct(r.current, r.previous) for r in complete},
    }
    ranked = {key: competition_ranks(v, direction) for key, v in values.items()}
    return {r.area: {key: ranked[key][r.area] for key in ranked} for r in complete}


def _rank_into(
    result: MeasureResult,
    measure: Measure,
    group: list[AreaCounts],
    pops: dict[str, tuple[int, int]],
    code: str,
    eng: Engine,
    peers: set[str] | None = None,
) -> None:
    """Rank ``code`` among the complete areas of ``group`` on count, rate and change;
    "of N" is the number of areas compared, and the peers left out are listed with why."""
    ranks = peer_ranks(group, pops, measure.direction)
    result.rank = ranks.get(code, {"count": None, "rate": None, "change": None})
    result.peers_ranked = len(ranks)
    result.not_ranked = not_ranked(group, ranks, eng, peers)


def not_ranked(
    group: list[AreaCounts],
    ranks: dict[str, dict[str, int | None]],
    eng: Engine,
    peers: set[str] | None = None,
) -> list[dict[str, str]]:
    """The peers not compared, each with the reason: months missing from either rolling
    year, or no data of the source at all."""
    out = []
    seen = set()
    for r in group:
        seen.add(r.area)
        if r.area in ranks:
            continue
        missing = (12 - r.current_months) + (12 - r.previous_months)
        out.append(
            {
                "area": r.area,
                "name": eng.name(r.area) or r.area,
                "reason": f"incomplete data: {missing} month(s) of the two rolling years missing",
            }
        )
    for code in sorted((peers or set()) - seen):
        out.append(
            {
                "area": code,
                "name": eng.name(code) or code,
                "reason": "no complete month of this source in the two rolling years",
            }
        )
    return sorted(out, key=lambda row: row["name"])


def _notes(dashboard: Dashboard, eng: Engine, covered: set[str]) -> None:
    c = dashboard.comparison
    missing = [m for m in c.previous.months + c.current.months if m not in covered]
    if missing:
        dashboard.notes.append(
            f"No data for {len(missing)} month(s) of the two rolling years: "
            + ", ".join(missing)
            + ". Figures over incomplete windows are not compared, rated or ranked."
        )
    if dashboard.area.kind == "force":
        n = eng.unlocated(dashboard.area.code, c)
        dashboard.notes.append(
            f"{n:,} crime(s) in the rolling year had no location; they count for the force "
            "only, never for a local authority."
        )
        unplaced = eng.unplaced(dashboard.area.code, c)
        if unplaced:
            dashboard.notes.append(
                f"{unplaced:,} crime(s) in the rolling year have an LSOA code that no ONS "
                "lookup holds: they count for the force only."
            )
    if dashboard.source == "police-uk" and dashboard.area.kind in {"lad", "force"}:
        _coverage_notes(dashboard, eng)
    # Measures whose own data miss months the source as a whole has (the Met dashboard's
    # crime types end at other months than recorded crime): say which, per measure.
    own_gaps: dict[tuple[str, ...], list[str]] = {}
    for m in dashboard.measures:
        gaps = tuple(x for x in m.missing_previous + m.missing_current if x not in missing)
        if m.in_data and gaps:
            own_gaps.setdefault(gaps, []).append(m.label)
    for gaps, labels in own_gaps.items():
        dashboard.notes.append(
            f"No data for {', '.join(labels)} in {len(gaps)} month(s) of the two rolling "
            f"years: {', '.join(gaps)}. These figures are not compared, rated or ranked."
        )
    absent = [m.label for m in dashboard.measures if not m.in_data]
    if absent:
        dashboard.notes.append(
            "Not in the imported data for these two years (shown as no data, not zero): "
            + ", ".join(absent)
            + "."
        )
    if dashboard.population:
        dashboard.notes.append(
            f"Rates use the ONS mid-{dashboard.population[1]} population estimate "
            f"({dashboard.population[0]:,} residents)."
        )


def _coverage_notes(dashboard: Dashboard, eng: Engine) -> None:
    """Which force's street files a police.uk view lacks, and which imported months are
    extracts (a few crime types) rather than a force's full file."""
    c = dashboard.comparison
    window = c.previous.months + c.current.months
    area = dashboard.area
    forces = [area.code] if area.kind == "force" else eng.policing_forces(area.code)
    names = {slug: name for name, slug in FORCES.items()}
    for force in forces:
        have = set(eng.force_months(force))
        partial = {m for m in window if m in eng.partial_months("police-uk", "force", force)}
        lacking = [m for m in window if m not in have and m not in partial]
        if lacking and area.kind == "lad":
            dashboard.notes.append(
                f"{area.name} is policed by {names.get(force, force)}: its police.uk street "
                f"files are not imported for {len(lacking)} month(s) of the two rolling "
                f"years ({_span(lacking)}), so those months are incomplete. Rows other "
                "forces reported in the area never make a month complete."
            )
        if partial:
            dashboard.notes.append(
                f"The police.uk files of {names.get(force, force)} for {len(partial)} "
                f"month(s) ({_span(sorted(partial))}) hold fewer than 8 crime types, or "
                "under half the crimes of the force's other months: an extract, not the "
                "force's published street file, so those months are not counted as complete."
            )


def _span(months: list[str]) -> str:
    if len(months) <= 3:
        return ", ".join(months)
    return f"{months[0]} to {months[-1]}"


def trends(
    eng: Engine,
    source: str,
    area: AreaRef,
    to: str,
    cats: dict[str, list[str]],
    measures: list[Measure],
    months: int = 24,
) -> dict[str, list[TrendPoint]]:
    """Monthly counts for the ``months`` to ``to`` beside the same months a year earlier
    (``None`` where a month has no data)."""
    end = parse_month(to)
    first = end - months + 1
    series = eng.monthly(source, area.code, month_key(first - 12), to, cats, kind=area.kind)
    partial = eng.partial_months(source, area.kind, area.code)
    out = {}
    for m in measures:
        values: dict[str, float] = (
            monthly_ratios(series, m.slug, scale(m.definition))
            if is_ratio(m.definition)
            else dict(series.get(m.slug, {}))
        )
        bad = invalid_months(m.definition or {}, month_range(first - 12, end), partial)
        out[m.slug] = [
            TrendPoint(
                key,
                values.get(key) if key not in bad else None,
                values.get(month_key(parse_month(key) - 12))
                if month_key(parse_month(key) - 12) not in bad
                else None,
            )
            for key in month_range(first, end)
        ]
    return out


def hotspots(
    eng: Engine,
    source: str,
    area: AreaRef,
    comparison: Comparison,
    level: str,
    measure: str,
    label: str,
    categories: list[str],
    top: int = 10,
) -> Hotspots:
    """The wards or LSOAs with the most crimes, and with the largest rises."""
    rows, cur_months, prev_months = eng.hotspots(source, area.code, level, comparison, categories)
    spots = [Hotspot(*r) for r in rows]
    highest = sorted(spots, key=lambda h: (-h.current, h.name))[:top]
    complete = cur_months == 12 and prev_months == 12
    rises = (
        [h for h in sorted(spots, key=lambda h: (-h.change, h.name)) if h.change > 0][:top]
        if complete
        else []
    )
    return Hotspots(level, measure, label, complete, highest if cur_months else [], rises)
