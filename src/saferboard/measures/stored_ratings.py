"""What a measure's stored ratings say about its rule: which figures were rated under an
earlier version of it, how many an explicit re-rating would rate, and a sentence saying
what a re-rating did. Shared by the measure page and ``saferboard measure rerate``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from saferboard.measures.models import Measure
from saferboard.measures.rating import Rerating, assess, current_config


@dataclass(frozen=True)
class OutdatedRatings:
    """Stored ratings set by an earlier version of the measure's rule."""

    current: str  # the rule's current version, 'slug@version'
    by_rule: tuple[tuple[str, int], ...]  # (older version, how many figures), oldest first

    @property
    def count(self) -> int:
        return sum(n for _, n in self.by_rule)

    @property
    def rules(self) -> str:
        """'x@1' or 'x@1 and x@2'."""
        refs = [ref for ref, _ in self.by_rule]
        return refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]


def _version_number(ref: str) -> int:
    try:
        return int(ref.rpartition("@")[2])
    except ValueError:
        return 0


def outdated_ratings(measure: Measure) -> OutdatedRatings | None:
    """The measure's figures rated under another version of its rule than the current
    one, counted by version; ``None`` when every rating is current (or there is no
    automatic rule to re-rate with)."""
    config = current_config(measure)
    if config is None:
        return None
    counts = (
        measure.observations.exclude(rag_rule="")
        .exclude(rag_rule=config.ref)
        .order_by()  # no default ordering in the GROUP BY
        .values_list("rag_rule")
        .annotate(n=Count("pk"))
    )
    by_rule = tuple(sorted(((ref, n) for ref, n in counts), key=lambda r: _version_number(r[0])))
    return OutdatedRatings(config.ref, by_rule) if by_rule else None


def would_rerate(measure: Measure) -> int:
    """How many figures :func:`~saferboard.measures.rating.rerate` would rate now: those
    not rated by the current version that the current version can rate."""
    config = current_config(measure)
    if config is None:
        return 0
    candidates = (
        measure.observations.exclude(rag_rule=config.ref)
        .only("value", "comparators", "rag_rule")
        .iterator(chunk_size=2000)
    )
    return sum(1 for obs in candidates if assess(config, obs) is not None)


def rerating_sentence(result: Rerating) -> str:
    """What a re-rating did, in one sentence (the page's banner and the command line)."""
    label = result.measure.label
    if not result.rule:
        return f"‘{label}’ has no rule that rates figures: nothing was re-rated"
    if not result.rated:
        return (
            f"Every figure of ‘{label}’ that can be rated is rated under {result.rule}: "
            "nothing changed"
        )
    figures = "figure" if result.rated == 1 else "figures"
    return (
        f"{result.rated} {figures} of ‘{label}’ re-rated under {result.rule}; "
        f"{result.changed} changed status"
    )
