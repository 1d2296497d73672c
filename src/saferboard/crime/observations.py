"""Dashboard figures kept as Observations: the one path from the engine to every
rendering (issue 19).

A dashboard window (measure × area × rolling year) is computed by the engine
(:func:`saferboard.crime.dashboard.build_dashboard`), stored as an observation when it
is complete and not stored yet, or stored differently (a new import, a corrected
month), and rated then, by the measure's rule as it stands (``store_observations``).
Every rendering (the web dashboard, its CSV and XLSX downloads, ``saferboard crime
dashboard --json``, the board pack) shows the stored observation: its value and
comparators, and its rating with the rule version that set it. A window nobody asked
for before is stored the first time it is asked for; asking again writes nothing.
"""

from __future__ import annotations

import copy
import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from saferboard.core.models import Area, RagEntry
from saferboard.core.periods import Period
from saferboard.core.rag import RagAssessment
from saferboard.crime.dashboard import (
    Dashboard,
    MeasureResult,
    build_dashboard,
    default_source,
    measure_categories,
    resolve_area,
    source_measures,
)
from saferboard.crime.engine import Engine, engine
from saferboard.crime.geography import ensure_area
from saferboard.crime.mps_dashboard import FORMAT as DASHBOARD_FORMAT
from saferboard.crime.ratios import is_ratio
from saferboard.crime.sources import preferred_source
from saferboard.crime.windows import month_key, parse_month
from saferboard.measures.models import (
    DataImport,
    Measure,
    MeasureRating,
    Observation,
    RagRuleVersion,
    RuleKind,
)
from saferboard.measures.services import ObservationValue, store_observations


def latest_complete_month(
    source: str, area_text: str, measure: Measure | None = None
) -> str | None:
    """The latest month whose two rolling years both have every month of data (of the
    source, or of one measure's own data when ``measure`` is given)."""
    eng = engine()
    area = resolve_area(area_text, source, eng)
    if measure is None:
        months = set(eng.months(source, area.kind, area.code))
    else:
        cats = measure_categories(eng, source, [measure])[measure.slug]
        months = set(eng.measure_months(source, area.kind, area.code, cats)) if cats else set()
    for key in sorted(months, reverse=True):
        end = parse_month(key)
        if all(month_key(end - i) in months for i in range(24)):
            return key
    return None


def source_import(source: str, measure: Measure) -> DataImport | None:
    """The latest import of the data a measure is computed from: the Met's crime
    dashboard extract for dashboard measures, recorded crime for the others."""
    imports = DataImport.objects.filter(source_kind=source)
    if "dashboard" in (measure.definition or {}):
        imports = imports.filter(format=DASHBOARD_FORMAT)
    else:
        imports = imports.exclude(format=DASHBOARD_FORMAT)
    return imports.order_by("-imported_at").first()


def _window_partitions(board: Dashboard, eng: Engine) -> list[tuple[str, int]]:
    """(path, import id) of the store's partitions of the board's current rolling year."""
    months = set(board.comparison.current.months)
    return [
        (rel, int(meta["import_id"]))
        for rel, meta in eng.partitions().items()
        if meta.get("import_id") and rel.rsplit("/", 1)[-1][:7] in months
    ]


def window_period(board: Dashboard) -> tuple[date, date]:
    """The first and last day of the board's current rolling year: the period of its
    observations."""
    current = board.comparison.current
    return Period.parse(current.first).start, Period.parse(current.last).end


@dataclass(frozen=True)
class Figure:
    """One complete dashboard figure as it should be stored."""

    measure: Measure
    value: ObservationValue
    origin: DataImport | None
    data_as_at: date | None


def dashboard_figures(
    area_text: str,
    to: str,
    source: str | None = None,
    *,
    details: bool = True,
    hotspot_measure: str | None = None,
) -> tuple[Dashboard, dict[str, Observation]]:
    """The dashboard for an area and month with every complete figure read from its
    stored, rated observation, and those observations by measure slug.

    The engine computes the figures (with ranks, which are part of a stored figure;
    ``details`` adds trends and hotspots for the page). A complete figure not stored
    yet, or stored with other values or provenance, is stored now, and so rated by the
    measure's current rule; one stored as it is is only read, so a warm request writes
    nothing and a rule version added since shows only after a re-rating
    (:func:`saferboard.measures.rating.rerate`). An incomplete figure is not stored and
    keeps saying which months are missing. Raises ``DashboardError`` as
    :func:`build_dashboard` does.
    """
    source = source or default_source(area_text)
    board = engine_dashboard(
        area_text, to, source, details=details, hotspot_measure=hotspot_measure
    )
    return board, stored_figures(board)


# The engine's dashboards, remembered per engine (one engine is one version of the
# store: an import makes a new one, and these go with the old). Only the engine's
# answer is remembered, never a figure's rating or what is shown: every request still
# compares with, and shows, the stored observations. Keyed also by the measures'
# definitions and the preferred source, which change without an import.
_BOARDS: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[object, ...], Dashboard]] = (
    weakref.WeakKeyDictionary()
)
_BOARDS_LOCK = threading.Lock()
BOARDS_REMEMBERED = 64
"""Dashboards remembered per engine (an area's page and its downloads share one)."""


def engine_dashboard(
    area_text: str,
    to: str,
    source: str,
    *,
    details: bool = True,
    hotspot_measure: str | None = None,
) -> Dashboard:
    """:func:`build_dashboard` with ranks, remembered for this version of the store; a
    copy, so a request may show stored figures on it without touching another's."""
    eng = engine()
    measures = source_measures(source)
    key = (
        area_text.strip().lower(),
        to,
        source,
        details,
        hotspot_measure,
        preferred_source(),
        tuple(
            (
                m.pk,
                m.slug,
                m.label,
                m.unit,
                m.direction,
                m.display_order,
                m.is_retired,
                json.dumps(m.definition, sort_keys=True),
            )
            for m in measures
        ),
    )
    with _BOARDS_LOCK:
        boards = _BOARDS.setdefault(eng, OrderedDict())
        board = boards.get(key)
        if board is not None:
            boards.move_to_end(key)
    if board is None:
        board = _build_once(
            eng,
            key,
            boards,
            lambda: build_dashboard(
                area_text, to, source, details=details, hotspot_measure=hotspot_measure, ranks=True
            ),
        )
    return copy.deepcopy(board)


# The dashboards being built now, by engine and key. Right after an import every
# thread that opens the crime page finds no dashboard for the new engine; without this
# each built the same one at once (the two-server load run's 5-9 s crime pages, 2026-12-07).
_BUILDING: dict[tuple[object, ...], threading.Lock] = {}


def _build_once(
    eng: Engine,
    key: tuple[object, ...],
    boards: OrderedDict[tuple[object, ...], Dashboard],
    build: Callable[[], Dashboard],
) -> Dashboard:
    """``build()``'s dashboard for ``key``, built by one thread of the process while
    the others asking for the same key wait for it and share it."""
    with _BOARDS_LOCK:
        building = _BUILDING.setdefault((eng, key), threading.Lock())
    try:
        with building:
            with _BOARDS_LOCK:
                board = boards.get(key)
            if board is None:
                board = build()
                with _BOARDS_LOCK:
                    boards[key] = board
                    while len(boards) > BOARDS_REMEMBERED:
                        boards.popitem(last=False)
            return board
    finally:
        with _BOARDS_LOCK:
            if _BUILDING.get((eng, key)) is building:
                del _BUILDING[(eng, key)]


def stored_figures(board: Dashboard, only: Collection[str] | None = None) -> dict[str, Observation]:
    """Store the board's complete figures that are not stored as they are (of the
    ``only`` measures, if given), then show the stored observations on the board:
    each complete result takes its figures and rating from its observation, and a
    judgement-rule measure the judgement set for the window. Returns them by slug."""
    measures = {m.slug: m for m in source_measures(board.source)}
    start, end = window_period(board)
    results = [
        r
        for r in board.measures
        # Only what is known: a complete year of a measure the data hold (never a zero
        # for a measure with no data).
        if r.complete
        and r.in_data
        and r.measure in measures
        and (only is None or r.measure in only)
    ]
    if not results:
        return {}
    area = ensure_area(board.area.kind, board.area.code, board.area.name)
    wanted = {m.slug: m for m in (measures[r.measure] for r in results)}
    stored = _read(wanted.values(), area, start, end)
    figures = _figures(board, results, wanted, start, end)
    stale = [f for slug, f in figures.items() if not _same(stored.get(slug), f)]
    for figure in stale:
        store_observations(
            figure.measure, [figure.value], source=figure.origin, data_as_at=figure.data_as_at
        )
    if stale:
        stored = _read(wanted.values(), area, start, end)
    judgements = _judgements(wanted.values(), area, start, end)
    for result in results:
        obs = stored.get(result.measure)
        if obs is not None:
            show_observation(result, obs, wanted[result.measure])
        result.judgement = judgements.get(result.measure)
    return stored


def store_dashboard(area_text: str, source: str | None = None, to: str | None = None) -> int:
    """Store the area's rolling-year figures (latest complete month unless ``to``) as
    observations, each with its previous year, change, significance, rate and rank,
    rated when stored. Returns how many figures the dashboard has stored.

    Without ``to``, a measure whose own data end earlier than the source's (the Met
    dashboard's crime types) is stored for its own latest complete rolling year, so
    the board pack shows its latest figure rather than none."""
    source = source or default_source(area_text)
    given = to
    to = to or latest_complete_month(source, area_text)
    if to is None:
        return 0
    board, stored = dashboard_figures(area_text, to, source, details=False)
    count = len(stored)
    if given is None:
        measures = {m.slug: m for m in source_measures(source)}
        earlier: dict[str, set[str]] = {}
        for result in board.measures:
            if result.complete or not result.in_data or result.measure not in measures:
                continue
            month = latest_complete_month(source, area_text, measures[result.measure])
            if month is not None and month < to:
                earlier.setdefault(month, set()).add(result.measure)
        for month, slugs in sorted(earlier.items()):
            older = build_dashboard(area_text, month, source, details=False, ranks=True)
            count += len(stored_figures(older, only=slugs))
    return count


def show_observation(result: MeasureResult, obs: Observation, measure: Measure) -> None:
    """Make ``result`` show the stored observation: its value, previous value,
    comparators, rank and (through ``result.observation``) its rating."""
    c = obs.comparators or {}
    result.observation = obs
    # Counts as whole numbers, as the engine gives them (JSON and CSV show 23796).
    count = measure.unit == "count"
    result.current = _number(obs.value, count)
    result.previous = _number(c.get("previous_period"), count)
    if is_ratio(measure.definition):
        result.numerator = _int(obs.numerator)
        result.denominator = _int(obs.denominator)
    result.p_value = c.get("p_value")
    result.rate_per_1000 = c.get("rate_per_1000")
    if result.rank:
        result.rank = {
            "count": obs.rank,
            "rate": c.get("rank_rate"),
            "change": c.get("rank_change"),
        }
        result.peers_ranked = obs.peer_group_size or 0
    if result.fytd is not None and c.get("fytd_from"):
        current, previous = c.get("fytd"), c.get("fytd_previous")
        complete = bool(c.get("fytd_complete"))
        result.fytd = {
            **result.fytd,
            "from": c["fytd_from"],
            "to": c.get("fytd_to"),
            "current_count": current,
            "previous_count": previous,
            "change": current - previous
            if complete and current is not None and previous is not None
            else None,
            "change_pct": c.get("fytd_change_pct"),
            "complete": complete,
        }


# Storing -------------------------------------------------------------------------------
def _figures(
    board: Dashboard,
    results: list[MeasureResult],
    measures: dict[str, Measure],
    start: date,
    end: date,
) -> dict[str, Figure]:
    """What each complete result stores: its figures, comparators and provenance."""
    source = board.source
    eng = engine()
    cats = measure_categories(eng, source, list(measures.values()))
    in_window = _window_partitions(board, eng)
    supplied_ids: dict[str, tuple[int, ...]] = {}
    by_prefixes: dict[tuple[str, ...], tuple[int, ...]] = {}
    for result in results:
        # The partitions that supplied the year: a ratio's key holds both parts'
        # categories, so the imports of either count. Measures drawn from the same
        # partitions (every police.uk measure of an area) are looked up once.
        prefixes = tuple(
            eng.supplying_partitions(
                source, board.area.code, board.area.kind, cats.get(result.measure, [])
            )
        )
        if prefixes not in by_prefixes:
            by_prefixes[prefixes] = tuple(
                sorted({i for rel, i in in_window if rel.startswith(prefixes)})
            )
        supplied_ids[result.measure] = by_prefixes[prefixes]
    # Not their file lists and details: an import of every force's files lists
    # thousands, and a warm request must stay quick.
    imports = DataImport.objects.only("pk", "label", "data_as_at", "period_end").in_bulk(
        {i for ids in supplied_ids.values() for i in ids}
    )
    out: dict[str, Figure] = {}
    for result in results:
        measure = measures[result.measure]
        supplied = [imports[i] for i in supplied_ids[result.measure] if i in imports]
        origin = supplied[-1] if supplied else source_import(source, measure)
        as_at = max((i.data_as_at for i in supplied if i.data_as_at), default=None)
        value = ObservationValue(
            area_code=board.area.code,
            period_start=start,
            period_end=end,
            value=float(result.current or 0),
            # A ratio's own parts; a count's rate is per resident.
            numerator=float(
                result.numerator if result.numerator is not None else result.current or 0
            ),
            denominator=float(result.denominator)
            if result.denominator is not None
            else float(board.population[0])
            if board.population
            else None,
            comparators={
                "previous_period": result.previous,
                "change": result.change,
                "change_pct": result.change_pct,
                "significant": result.significant,
                "p_value": result.p_value,
                "rate_per_1000": result.rate_per_1000,
                "rank_rate": result.rank.get("rate"),
                "rank_change": result.rank.get("change"),
                "source": source,
                # Financial year to date against the same months a year earlier (issue
                # 17), as the dashboard's JSON 'fytd' (months as YYYY-MM).
                **_fytd_comparators(result.fytd),
                # Every import that supplied the year (ids and labels, oldest first).
                "imports": ",".join(str(i.pk) for i in supplied),
                "import_labels": "; ".join(i.label for i in supplied),
            },
            rank=result.rank.get("count"),
            peer_group=board.peer_group if result.rank else "",
            peer_group_size=result.peers_ranked or None,
        )
        out[result.measure] = Figure(
            measure,
            value,
            origin,
            as_at or (origin.data_as_at or origin.period_end if origin else None),
        )
    return out


def _same(obs: Observation | None, figure: Figure) -> bool:
    """Whether ``obs`` already holds ``figure``: its value, parts, comparators, rank and
    provenance (compared as stored, JSON and all). The code version is not compared:
    an unchanged figure is not stored again for a new release alone."""
    if obs is None:
        return False
    v = figure.value
    comparators = json.loads(json.dumps(dict(v.comparators)))
    return (
        obs.value == v.value
        and obs.numerator == v.numerator
        and obs.denominator == v.denominator
        and (obs.comparators or {}) == comparators
        and obs.rank == v.rank
        and obs.peer_group == v.peer_group
        and obs.peer_group_size == v.peer_group_size
        and obs.provisional == v.provisional
        and obs.source_id == (figure.origin.pk if figure.origin else None)
        and obs.data_as_at == figure.data_as_at
    )


# Reading -------------------------------------------------------------------------------
def _read(
    measures: Collection[Measure], area: Area, start: date, end: date
) -> dict[str, Observation]:
    """The stored observations of the window, by measure slug (one query)."""
    found = Observation.objects.filter(
        measure__in=list(measures), area=area, period_start=start, period_end=end
    ).select_related("measure", "area")  # the source import by id only: its JSON is big
    return {o.measure.slug: o for o in found}


def _judgements(
    measures: Collection[Measure], area: Area, start: date, end: date
) -> dict[str, RagAssessment]:
    """The judgement ratings set for the window, by measure slug, of the measures whose
    rule is a judgement rule now (each with the person, reason and rule version)."""
    ratings = list(
        MeasureRating.objects.filter(
            measure__in=list(measures), area=area, period_start=start, period_end=end
        )
        .exclude(rag_status="")
        .select_related("measure")
    )
    if not ratings:
        return {}
    kinds: dict[int, str] = {}
    for version in RagRuleVersion.objects.filter(
        rule_id__in={r.measure.rag_rule_id for r in ratings if r.measure.rag_rule_id}
    ).order_by("rule_id", "-version"):
        kinds.setdefault(version.rule_id, version.kind)
    entries = _latest_entries(ratings)
    out: dict[str, RagAssessment] = {}
    for rating in ratings:
        if kinds.get(rating.measure.rag_rule_id or 0) != RuleKind.MANUAL:
            continue
        entry = entries.get(rating.pk)
        out[rating.measure.slug] = RagAssessment(
            status=rating.rag_status,
            second_status=rating.rag_second_status or None,
            reason=rating.rag_reason,
            set_by=entry.set_by.get_full_name() if entry and entry.set_by else "",
            rule=entry.rule if entry else "",
            set_at=rating.rag_set_at,
        )
    return out


def _latest_entries(ratings: list[MeasureRating]) -> dict[int, RagEntry]:
    """The newest RAG history entry of each rating (it names the rule version)."""
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(MeasureRating)
    out: dict[int, RagEntry] = {}
    for entry in (
        RagEntry.objects.filter(Q(content_type=kind) & Q(object_id__in=[r.pk for r in ratings]))
        .select_related("set_by")
        .order_by("object_id", "-set_at", "-pk")
    ):
        out.setdefault(entry.object_id, entry)
    return out


def _number(value: Any, count: bool) -> Any:
    """A stored figure as the engine gave it: a count as an int, else as it is."""
    if count and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _fytd_comparators(fytd: dict[str, Any] | None) -> dict[str, Any]:
    """The dashboard's financial year to date, flattened into comparators."""
    if not fytd:
        return {}
    return {
        "fytd_from": fytd["from"],
        "fytd_to": fytd["to"],
        "fytd": fytd["current_count"],
        "fytd_previous": fytd["previous_count"],
        "fytd_change_pct": fytd["change_pct"],
        "fytd_complete": fytd["complete"],
    }
