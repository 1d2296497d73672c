"""RAG values: the statuses, their order and labels, and the assessment value object.

Pure: no database and nothing of the apps, so the models (``RagRated.rag``) and every
app can use them without an import cycle; :mod:`saferboard.core.rag` changes a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models


class RagStatus(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


RAG_ORDER: tuple[str, ...] = (
    RagStatus.RED.value,
    RagStatus.AMBER.value,
    RagStatus.GREEN.value,
    RagStatus.BLUE.value,
)
"""Worst to best. Blue (complete, or no longer progressed) ranks above Green."""

# Order used to say whether a proposal improves on the last rating.
_RANK = {status: position for position, status in enumerate(RAG_ORDER)}


def status_rank(status: str, second_status: str | None = None) -> float:
    """Position of a status on the Red → Blue scale (0 to 3); a split rating sits halfway
    between its two parts. The one ordering of RAG statuses every app uses."""
    first = _RANK[str(status)]
    if second_status:
        return (first + _RANK[str(second_status)]) / 2
    return float(first)


NOT_RATED_LABEL = "Not rated"
"""What a missing rating reads as, wherever one is shown or counted."""


def status_label(status: str, second_status: str | None = None) -> str:
    """'Amber', or 'Amber/Green' for a split rating; 'Not rated' when there is none."""
    if not status:
        return NOT_RATED_LABEL
    first = RagStatus(status).label
    return f"{first}/{RagStatus(second_status).label}" if second_status else str(first)


@dataclass(frozen=True)
class RagAssessment:
    """A RAG rating: status, optional second status for a split rating, and why."""

    status: str
    second_status: str | None = None
    reason: str = ""
    set_by: str = ""
    rule: str = ""
    set_at: datetime | None = None

    def __post_init__(self) -> None:
        valid = set(RagStatus.values)
        if self.status not in valid:
            raise ValueError(f"Unknown RAG status {self.status!r}")
        if self.second_status is not None and self.second_status not in valid:
            raise ValueError(f"Unknown RAG status {self.second_status!r}")
        if self.second_status == self.status:
            raise ValueError("A split rating needs two different statuses")

    @classmethod
    def of(
        cls, status: str, second_status: str = "", reason: str = "", set_at: datetime | None = None
    ) -> RagAssessment | None:
        """The assessment kept in a record's ``rag_*`` fields (a blank second status is
        none), or ``None`` when no status is chosen."""
        if not status:
            return None
        return cls(status=status, second_status=second_status or None, reason=reason, set_at=set_at)

    @property
    def is_split(self) -> bool:
        return self.second_status is not None

    @property
    def label(self) -> str:
        """'Amber' or, for a split rating, 'Amber/Green'."""
        return status_label(self.status, self.second_status)

    def rank(self) -> float:
        """Position on the Red → Blue scale; a split rating sits between its two parts."""
        return status_rank(self.status, self.second_status)

    def improves_on(self, other: RagAssessment | None) -> bool:
        """True if this rating is better than ``other`` (anything improves on no rating
        except that a first rating is not an 'improvement' needing evidence)."""
        if other is None:
            return False
        return self.rank() > other.rank()
