"""What the figure check compares narrative with: the measures' names and the stored
observations (the one source of truth), read for one meeting's pack.

The matching itself is pure (:func:`saferboard.reports.figurecheck.check_against_data`);
this module only gathers its inputs:

- the names of each measure in use: its label and its synonyms (the measure's own
  ``synonyms`` field, one a line; when that is blank, the few defaults below). A name
  shared by two measures (Burglary from police.uk and from the Met) is kept for the
  partnership's chosen crime source only, and dropped when that does not settle it;
- the area: the partnership's local authority, unless the sentence names another
  local authority;
- the period: the one the sentence names, else the pack's reporting period for the
  measure: the period of the figure the pack itself shows (the crime dashboard's
  rolling year), else the latest rolling year before the meeting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from saferboard.reports.figurecheck import (
    Issue,
    MeasureTerms,
    Narrative,
    ObservedFigure,
    StoredFigure,
    check_against_data,
    measures_named,
)

if TYPE_CHECKING:
    from saferboard.core.models import Partnership
    from saferboard.measures.models import Measure, Observation
    from saferboard.meetings.models import Meeting

# Names boards use for the standard measures, used while a measure's own synonyms are
# blank (an administrator's list replaces them).
DEFAULT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "knife-crime": ("knife offences", "knife-enabled crime", "knife enabled crime"),
    "gun-crime": ("gun offences", "firearms offences"),
    "burglary": ("burglaries",),
    "residential-burglary": ("residential burglaries", "home burglary", "home burglaries"),
    "domestic-abuse": ("domestic abuse offences", "domestic abuse crimes"),
    "hate-crime": ("hate crimes", "hate offences"),
    "robbery": ("robberies",),
    "first-time-entrants": ("first time entrants", "FTEs"),
}


def synonyms_of(measure: Measure) -> tuple[str, ...]:
    """The measure's other names: its own list, else the defaults for its slug."""
    own = tuple(line.strip() for line in (measure.synonyms or "").splitlines() if line.strip())
    return own or DEFAULT_SYNONYMS.get(measure.slug, ())


def measure_names(
    measures: Iterable[Measure], preferred_source: str | None = None
) -> list[MeasureTerms]:
    """Each measure with the names that point to it alone (see the module docstring)."""
    measures = list(measures)
    owners: dict[str, list[Measure]] = {}
    for measure in measures:
        for term in {measure.label.lower(), *(s.lower() for s in synonyms_of(measure))}:
            owners.setdefault(" ".join(term.split()), []).append(measure)
    terms: dict[int, list[str]] = {}
    for term, claimed in owners.items():
        if len(claimed) > 1:
            claimed = [m for m in claimed if m.source_kind == preferred_source]
        if len(claimed) == 1:
            terms.setdefault(claimed[0].pk, []).append(term)
    return [
        MeasureTerms(str(m.pk), m.label, tuple(sorted(terms[m.pk])), m.unit)
        for m in measures
        if m.pk in terms
    ]


def _period_label(obs: Observation) -> str:
    from saferboard.core.periods import Period

    try:
        return Period(obs.period_start, obs.period_end).label
    except (TypeError, ValueError):
        return f"{obs.period_start:%b %Y} to {obs.period_end:%b %Y}"


def _previous(obs: Observation) -> float | None:
    comparators = obs.comparators or {}
    value = comparators.get("previous_period", comparators.get("previous"))
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def stored_figure(obs: Observation) -> StoredFigure:
    """An observation as the figure check shows it: value, previous, period, source."""
    source = obs.source.label if obs.source else "entered or computed directly"
    as_at = obs.data_as_at or (obs.source.data_as_at if obs.source else None)
    if as_at:
        source += f", data as at {as_at:%-d %B %Y}"
    return StoredFigure(
        measure=str(obs.measure_id),
        area=obs.area.name,
        start=obs.period_start,
        end=obs.period_end,
        value=obs.value,
        previous=_previous(obs),
        period_label=_period_label(obs),
        source_label=source,
        measure_label=obs.measure.label,
        unit=obs.measure.unit,
    )


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def check_pack_against_data(
    meeting: Meeting,
    narratives: Sequence[Narrative],
    observed: Sequence[ObservedFigure] = (),
) -> list[Issue]:
    """The figure check's comparison of the pack's narratives with the stored
    observations, for ``meeting`` (figures before the meeting date only)."""
    from saferboard.core.models import Area, AreaKind
    from saferboard.crime.sources import preferred_source
    from saferboard.measures.models import Measure, Observation

    partnership: Partnership = meeting.board.partnership
    home = partnership.local_authority
    if home is None or not narratives:
        return []
    preferred = preferred_source(partnership)
    names = measure_names(Measure.objects.in_use(meeting.date), preferred)
    named = {ident for narrative in narratives for ident in measures_named(narrative.text, names)}
    if not named:
        return []
    areas = list(Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY).values_list("name", flat=True))
    observations = list(
        Observation.objects.filter(
            measure_id__in=[int(i) for i in named],
            period_end__lt=meeting.date,
            area__kind=AreaKind.LOCAL_AUTHORITY,
        )
        .exclude(value__isnull=True)
        .select_related("measure", "area", "source")
        .order_by("measure_id", "period_end", "period_start")
    )
    by_slug = {n.ident: n for n in names}
    shown: dict[str, tuple[date, date]] = {}
    for figure in observed:  # the figures the pack itself shows, by measure slug
        start, _, end = figure.period.partition("/")
        for obs in observations:
            if (
                obs.measure.slug == figure.measure
                and str(obs.measure_id) in by_slug
                and obs.area_id == home.pk
                and (obs.period_start.isoformat(), obs.period_end.isoformat()) == (start, end)
            ):
                shown[str(obs.measure_id)] = (obs.period_start, obs.period_end)
    defaults = dict(shown)
    for obs in observations:  # else the latest rolling year (ordered: the last wins)
        ident = str(obs.measure_id)
        rolling_year = _months(obs.period_start, obs.period_end) == 12
        if ident not in shown and obs.area_id == home.pk and rolling_year:
            defaults[ident] = (obs.period_start, obs.period_end)
    return check_against_data(
        narratives,
        names,
        [stored_figure(o) for o in observations],
        home_area=home.name,
        defaults=defaults,
        areas=areas,
    )
