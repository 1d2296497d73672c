"""Children assessed as high risk of serious harm (ROSH), from AssetPlus assessments.

Pure functions over :class:`RoshAssessment` rows (no database). The YJB's levels are
low, medium, high and very high risk of serious harm; "high" is counted as high *or*
very high. An assessment whose level was not recorded is *not known*: never counted as
"not high", left out of the denominator and shown on its own (as the 2023 KPIs do). See
docs/methodology.md, "Risk of serious harm".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ROSH_LEVELS: tuple[str, ...] = ("low", "medium", "high", "very_high")
HIGH_LEVELS = frozenset({"high", "very_high"})


@dataclass(frozen=True)
class RoshAssessment:
    """One assessment: the child (any id), its date and level ("" not known)."""

    child: int
    on: date
    level: str = ""


@dataclass(frozen=True)
class RoshFigures:
    """Children assessed in a period, by the level of their latest assessment in it."""

    assessed: int
    """Children with at least one assessment dated in the period."""
    high: int
    """... whose latest assessment by the period's end is high or very high."""
    very_high: int
    """... of which very high."""
    not_known: int
    """... whose latest assessment has no level recorded (not in the denominator)."""

    @property
    def known(self) -> int:
        """The denominator: children assessed in the period with a known level."""
        return self.assessed - self.not_known

    @property
    def high_pct(self) -> float | None:
        """High or very high as a percentage of ``known`` (None when it is 0)."""
        return None if self.known == 0 else round(100 * self.high / self.known, 1)


def rosh_figures(assessments: Iterable[RoshAssessment], start: date, end: date) -> RoshFigures:
    """For each child assessed in ``start``..``end`` (both included), the level of the
    latest assessment on or before ``end``.

    Two assessments of a child on the same day cannot both be latest; the import refuses
    them, and here the higher level would win (the cautious reading).
    """
    latest: dict[int, RoshAssessment] = {}
    for assessment in assessments:
        if not start <= assessment.on <= end:
            continue
        held = latest.get(assessment.child)
        if held is None or (assessment.on, _rank(assessment.level)) > (held.on, _rank(held.level)):
            latest[assessment.child] = assessment
    levels = [a.level for a in latest.values()]
    return RoshFigures(
        assessed=len(levels),
        high=sum(level in HIGH_LEVELS for level in levels),
        very_high=sum(level == "very_high" for level in levels),
        not_known=sum(not level for level in levels),
    )


def _rank(level: str) -> int:
    return ROSH_LEVELS.index(level) + 1 if level in ROSH_LEVELS else 0
