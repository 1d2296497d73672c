"""Comparing a service's figures with its peers', from what is stored: each peer
group's comparator value, the service's ranks (1 is best), rank sentences, and which
comparator figures are synthetic (the demo's).

Ranks: 1 is best: the lowest value for a "lower is better" measure, the highest for a
"higher is better" one (the measure's ``direction`` in the catalogue; a measure with no
direction of good, or not in the catalogue, ranks lowest first). Services that share a
value share a rank and the next rank is skipped ("standard competition" ranking:
1, 2, 2, 4).

This module only reads: the observations (:mod:`.observations`) store the comparisons
it gives, and the importers (:mod:`.benchmarks`, :mod:`.published`) write the figures
it reads, so it sits below both and imports neither (no import cycle, issue 23).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from saferboard.core.formats import ordinal
from saferboard.measures.models import DataImport, Direction, Measure, Observation, SourceKind
from saferboard.measures.ranking import competition_ranks as rank_values
from saferboard.youthjustice.definitions import PEER_GROUPS
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service

# How a rank sentence names each standard group ("ranked 18th of 31 in London").
GROUP_PHRASES = {
    "london": "in London",
    "statistical-neighbours": "among statistical neighbours",
    "surrounding": "among surrounding areas",
    "england-wales": "in England and Wales",
}


def competition_ranks(
    values: Sequence[tuple[str, float]], *, higher_is_better: bool = False
) -> list[tuple[str, float, int]]:
    """Rank so that 1 is best (:func:`saferboard.measures.ranking.competition_ranks`),
    listed best first; ties share a rank (1, 2, 2, 4) and are listed by name."""
    direction = Direction.HIGHER_IS_BETTER if higher_is_better else Direction.LOWER_IS_BETTER
    ranks = rank_values(dict(values), direction)
    sign = -1 if higher_is_better else 1
    ordered = sorted(values, key=lambda item: (sign * item[1], item[0]))
    return [(name, value, ranks[name] or 0) for name, value in ordered]


def measure_direction(measure: str) -> str:
    """The catalogue direction of a youth justice measure (lower is better if unknown)."""
    found = (
        Measure.objects.filter(source_kind=SourceKind.YOUTH_JUSTICE, slug=measure)
        .values_list("direction", flat=True)
        .first()
    )
    return found or Direction.LOWER_IS_BETTER


def _direction_words(direction: str) -> str:
    return str(Direction(direction).label).lower() if direction in Direction.values else direction


@dataclass(frozen=True)
class RankEntry:
    service: str
    value: float
    rank: int
    source: str  # "case records" or "published"


@dataclass(frozen=True)
class RankTable:
    measure: str
    period_from: date
    period_to: date
    group_slug: str
    group_name: str
    entries: list[RankEntry]
    without_value: list[str]
    direction: str = Direction.LOWER_IS_BETTER
    source: str = "published"  # which figures are ranked: "published" or "local"
    synthetic: bool = False  # some of the published figures are synthetic (the demo's)

    @property
    def size(self) -> int:
        return len(self.entries)

    def phrase(self) -> str:
        return GROUP_PHRASES.get(self.group_slug, f"in {self.group_name}")

    def entry(self, service: str) -> RankEntry | None:
        return next((e for e in self.entries if e.service == service), None)

    def sentence(self, service: str) -> str | None:
        """'ranked 18th of 31 in London', or None when the service has no value."""
        entry = self.entry(service)
        if entry is None:
            return None
        return f"ranked {ordinal(entry.rank)} of {self.size} {self.phrase()}"

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "peers": self.group_slug,
            "peer_group_name": self.group_name,
            "direction": _direction_words(self.direction),
            "source": self.source,
            "comparators_synthetic": self.synthetic,
            "size": self.size,
            "ranks": [
                {
                    "service": e.service,
                    "value": e.value,
                    "rank": e.rank,
                    "source": e.source,
                    "sentence": self.sentence(e.service),
                }
                for e in self.entries
            ],
            "without_value": self.without_value,
        }


@dataclass(frozen=True)
class Comparison:
    """One comparator for a service's figure: a peer group's value, and the service's
    ranks in it, each among figures of one source only."""

    group_slug: str
    group_name: str
    label: str  # what the comparator value is: "London", "England", "mean of 9"
    value: float | None
    rank: int | None  # the local figure among other members' local figures
    size: int | None
    sentence: str | None
    published_rank: int | None = None  # the service's published figure among published ones
    published_size: int | None = None
    published_sentence: str | None = None


def _rank_of(
    service: str, values: list[tuple[str, float]], higher_is_better: bool
) -> tuple[int, int] | None:
    """The service's rank and the table's size, when there is someone to rank against."""
    if len(values) < 2:
        return None
    ranked = competition_ranks(values, higher_is_better=higher_is_better)
    return next(r[2] for r in ranked if r[0] == service), len(ranked)


def local_values(measure: str, start: date, end: date) -> dict[int, float]:
    """Stored figures from case records for a measure and period, by service id (read
    only: never computed here, so ranking one service never computes another's)."""
    return local_values_by_period(measure, [(start, end)]).get((start, end), {})


def local_values_by_period(
    measure: str, periods: Sequence[tuple[date, date]]
) -> dict[tuple[date, date], dict[int, float]]:
    """:func:`local_values` for several periods in one query."""
    if not periods:
        return {}
    wanted = set(periods)
    services = {
        (s.area_id, s.last_import_id): s.pk
        for s in Service.objects.filter(data_to__isnull=False, last_import__isnull=False)
    }
    found: dict[tuple[date, date], dict[int, float]] = {}
    for area_id, source_id, start, end, value in Observation.objects.filter(
        measure__source_kind=SourceKind.YOUTH_JUSTICE,
        measure__slug=measure,
        period_start__in={p[0] for p in periods},
        period_end__in={p[1] for p in periods},
        value__isnull=False,
    ).values_list("area_id", "source_id", "period_start", "period_end", "value"):
        pk = services.get((area_id, source_id))
        if pk is not None and value is not None and (start, end) in wanted:
            found.setdefault((start, end), {})[pk] = value
    return found


def comparisons(
    service: Service,
    measure: str,
    start: date,
    end: date,
    own_value: float | None,
    groups: Sequence[PeerGroup] | None = None,
    published: dict[int, float] | None = None,
    local: dict[int, float] | None = None,
) -> list[Comparison]:
    """The service's figure against each peer group it belongs to (or whose aggregate is
    published).

    The group's comparator is its published aggregate (e.g. London, England) where one
    is loaded, else the mean of the other members' published figures. Ranks never mix
    sources: the service's own value (from its case records) is ranked only among other
    members' figures from case records (``local``), and its published figure, where
    there is one, among the other members' published figures.
    """
    if groups is None:
        groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    if published is None:
        published = dict(
            BenchmarkFigure.objects.filter(
                measure=measure, period_from=start, period_to=end
            ).values_list("service_id", "value")
        )
    if local is None:
        local = local_values(measure, start, end)
    higher_is_better = measure_direction(measure) == Direction.HIGHER_IS_BETTER
    result = []
    for group in groups:
        members = list(group.members.all())
        is_member = service in members
        aggregate = group.aggregate_id and published.get(group.aggregate_id)
        if not is_member and aggregate is None:
            continue
        others = [(m.name, published[m.pk]) for m in members if m != service and m.pk in published]
        phrase = GROUP_PHRASES.get(group.slug, f"in {group.name}")
        rank_value = size = sentence = None
        if is_member and own_value is not None:
            others_local = [
                (m.name, local[m.pk]) for m in members if m != service and m.pk in local
            ]
            found = _rank_of(
                service.name, [(service.name, own_value), *others_local], higher_is_better
            )
            if found:
                rank_value, size = found
                sentence = f"ranked {ordinal(rank_value)} of {size} {phrase} (case records)"
        p_rank = p_size = p_sentence = None
        if is_member and service.pk in published:
            found = _rank_of(
                service.name, [(service.name, published[service.pk]), *others], higher_is_better
            )
            if found:
                p_rank, p_size = found
                p_sentence = f"ranked {ordinal(p_rank)} of {p_size} {phrase} (published figures)"
        if aggregate is not None and group.aggregate is not None:
            value, label = aggregate, group.aggregate.name
        elif others:
            value = sum(v for _, v in others) / len(others)
            label = f"mean of {len(others)} {'member' if len(others) == 1 else 'members'}"
        else:
            value, label = None, "no published figures"
        result.append(
            Comparison(
                group.slug,
                group.name,
                label,
                value,
                rank_value,
                size,
                sentence,
                p_rank,
                p_size,
                p_sentence,
            )
        )
    order = {slug: i for i, slug in enumerate(PEER_GROUPS)}
    return sorted(result, key=lambda c: (order.get(c.group_slug, 99), c.group_name))


def group_value(table: RankTable) -> float | None:
    """The group's own comparator: its published aggregate, else the mean of its members."""
    group = PeerGroup.objects.filter(slug=table.group_slug).select_related("aggregate").first()
    if group is not None and group.aggregate is not None:
        figure = BenchmarkFigure.objects.filter(
            service=group.aggregate,
            measure=table.measure,
            period_from=table.period_from,
            period_to=table.period_to,
        ).first()
        if figure is not None:
            return figure.value
    if not table.entries:
        return None
    return sum(e.value for e in table.entries) / len(table.entries)


# Which comparator figures are synthetic (the demo's, never published)


def synthetic_sources() -> set[int]:
    """The ids of imports of comparator figures that are synthetic (the demo's)."""
    return {
        pk
        for pk, detail, files in DataImport.objects.filter(
            source_kind=SourceKind.PUBLISHED
        ).values_list("pk", "detail", "files")
        if (detail or {}).get("synthetic")
        or any(str(f.get("name", "")).lower().startswith("synthetic") for f in files or [])
    }


def comparators_synthetic(measure: str, start: date, end: date) -> bool:
    """Whether any comparator figure of this measure and period is synthetic."""
    return (measure, start, end) in synthetic_figures()


def synthetic_figures() -> set[tuple[str, date, date]]:
    """(measure, period_from, period_to) of every synthetic comparator figure (one query
    after the imports'; few distinct keys, as a synthetic file covers a few years)."""
    ids = synthetic_sources()
    if not ids:
        return set()
    return set(
        BenchmarkFigure.objects.filter(source_id__in=ids)
        .values_list("measure", "period_from", "period_to")
        .distinct()
    )
