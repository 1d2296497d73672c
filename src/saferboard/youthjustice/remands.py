"""Remands from the case records: episodes started in a period, children remanded, and
what followed a remand to youth detention accommodation.

Pure functions over :class:`RemandEpisode` rows (no database), so every figure can be
computed by hand in a test. Definitions follow the Youth Justice Statistics (YJB/MoJ),
which count remand *episodes* (a child may have several) as well as children, and tell
custodial remands (to youth detention accommodation, YDA) from community ones (remand to
local authority accommodation, bail); see docs/methodology.md, "Remands". Who is on
remand on a given date is the custody snapshot's business (:mod:`.custody`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# remands.csv `remand_type`: the custodial remand first, then the community ones.
YDA = "youth_detention_accommodation"
REMAND_TYPES: tuple[str, ...] = (
    YDA,
    "local_authority_accommodation",
    "bail_iss",
    "conditional_bail",
    "unconditional_bail",
)
REMAND_LABELS: dict[str, str] = {
    YDA: "Remand to youth detention accommodation",
    "local_authority_accommodation": "Remand to local authority accommodation",
    "bail_iss": "Bail with intensive supervision and surveillance",
    "conditional_bail": "Conditional bail",
    "unconditional_bail": "Unconditional bail",
}
# remands.csv `outcome`: what the case ended in (blank: not known, or not ended).
REMAND_OUTCOMES: tuple[str, ...] = (
    "custodial_sentence",
    "community_sentence",
    "acquitted",
    "other",
)


@dataclass(frozen=True)
class RemandEpisode:
    """One remand episode: the child (any id), its type, dates and outcome ("" not known)."""

    child: int
    remand_type: str
    start: date
    end: date | None
    outcome: str = ""


@dataclass(frozen=True)
class RemandFigures:
    """Remands in one period (start and end included)."""

    episodes_by_type: dict[str, int]
    """Episodes started in the period, for every type in REMAND_TYPES order (0 if none)."""
    children_remanded: int
    """Children with at least one episode started in the period (any type)."""
    children_remanded_yda: int
    """Children with a remand to youth detention accommodation started in the period."""
    yda_ended: int
    """Remands to youth detention accommodation that ended in the period."""
    yda_ended_custodial: int
    """... of which the outcome was a custodial sentence."""
    yda_ended_not_known: int
    """... of which the outcome is not known (left out of the percentage)."""

    @property
    def episodes(self) -> int:
        """Every episode started in the period."""
        return sum(self.episodes_by_type.values())

    @property
    def yda_not_custodial_pct(self) -> float | None:
        """Of the YDA remands ended in the period with a known outcome, the percentage
        that did not end in a custodial sentence (None when there are none)."""
        known = self.yda_ended - self.yda_ended_not_known
        if known == 0:
            return None
        return round(100 * (known - self.yda_ended_custodial) / known, 1)


def remand_figures(episodes: Iterable[RemandEpisode], start: date, end: date) -> RemandFigures:
    """The remand figures of the period ``start``..``end`` (both included)."""
    by_type = dict.fromkeys(REMAND_TYPES, 0)
    children: set[int] = set()
    children_yda: set[int] = set()
    ended = custodial = not_known = 0
    for episode in episodes:
        if start <= episode.start <= end:
            by_type[episode.remand_type] = by_type.get(episode.remand_type, 0) + 1
            children.add(episode.child)
            if episode.remand_type == YDA:
                children_yda.add(episode.child)
        if episode.remand_type == YDA and episode.end and start <= episode.end <= end:
            ended += 1
            custodial += episode.outcome == "custodial_sentence"
            not_known += not episode.outcome
    return RemandFigures(by_type, len(children), len(children_yda), ended, custodial, not_known)
