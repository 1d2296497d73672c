"""The small interface other apps use to read and write measures and observations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from saferboard.core.code_version import code_version
from saferboard.core.models import Area
from saferboard.measures.models import DataImport, Measure, Observation
from saferboard.measures.rating import figure_of, rate_new_figures


@dataclass(frozen=True)
class ObservationValue:
    """An observation to store, as the engines produce it."""

    area_code: str
    period_start: date
    period_end: date
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    # Stored as JSON: figures (previous period, peer groups), and the crime dashboard's
    # RAG, rule and significance alongside them.
    comparators: Mapping[str, float | str | bool | None] = field(default_factory=dict)
    rank: int | None = None
    peer_group: str = ""
    peer_group_size: int | None = None
    provisional: bool = False


STORED_FIELDS = [
    "value",
    "numerator",
    "denominator",
    "comparators",
    "rank",
    "peer_group",
    "peer_group_size",
    "provisional",
    "source",
    "data_as_at",
    "code_version",
    "definition_version",
    "computed_at",
]
"""What storing an observation again replaces (all but its identity)."""


def store_observations(
    measure: Measure,
    values: Iterable[ObservationValue],
    *,
    source: DataImport | None = None,
    data_as_at: date | None = None,
) -> int:
    """Insert or replace observations of ``measure`` in one transaction, and rate them;
    returns the count.

    An observation is identified by measure, area and period: storing it again replaces
    the value (re-computation after a re-import), never adds a duplicate. A new figure,
    or one whose value changed, is rated by the measure's rule as it stands
    (:mod:`saferboard.measures.rating`); one stored again unchanged keeps its rating.
    """
    values = list(values)
    codes = {v.area_code for v in values}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    missing = codes - areas.keys()
    if missing:
        raise ValueError(f"Unknown area codes: {', '.join(sorted(missing)[:10])}")
    version = code_version()
    definition = measure.definition_version
    rows = {
        # The last value given for a key wins, as it did when each was stored in turn.
        (v.area_code, v.period_start, v.period_end): Observation(
            measure=measure,
            area=areas[v.area_code],
            period_start=v.period_start,
            period_end=v.period_end,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            comparators=v.comparators,
            rank=v.rank,
            peer_group=v.peer_group,
            peer_group_size=v.peer_group_size,
            provisional=v.provisional,
            source=source,
            data_as_at=data_as_at,
            code_version=version,
            definition_version=definition,
        )
        for v in values
    }
    # One upsert per batch instead of a select and a write per observation: a youth
    # justice service's refresh stores thousands, and each import recomputes them all.
    with transaction.atomic():
        existing = _stored(measure, rows.keys())
        before = {obs.pk: figure_of(obs) for obs in existing}
        Observation.objects.bulk_create(
            list(rows.values()),
            batch_size=500,
            update_conflicts=True,
            unique_fields=["measure", "area", "period_start", "period_end"],
            update_fields=STORED_FIELDS,
        )
        rate_new_figures(measure, _stored(measure, rows.keys()), before)
    return len(values)


def _stored(measure: Measure, keys: Iterable[tuple[str, date, date]]) -> list[Observation]:
    """The stored observations of ``measure`` with these (area code, start, end) keys."""
    keys = set(keys)
    if not keys:
        return []
    starts = {k[1] for k in keys}
    ends = {k[2] for k in keys}
    codes = {k[0] for k in keys}
    found = Observation.objects.filter(
        measure=measure,
        area__code__in=codes,
        period_start__in=starts,
        period_end__in=ends,
    ).select_related("measure", "area")
    return [o for o in found if (o.area.code, o.period_start, o.period_end) in keys]
