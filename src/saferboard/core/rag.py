"""RAG assessments: the value object, and the one function that changes a status.

A status changes only by appending a :class:`~saferboard.core.models.RagEntry` and
updating the subject's denormalised ``rag_*`` fields in the same transaction, with the
subject row locked, so the current value always equals the newest history row even
when two people rate the same thing at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, RagEntry, RagRated, RagStatus, User

# Order used to say whether a proposal improves on the last rating. Blue (complete or no
# longer progressed) ranks above Green.
_RANK = {RagStatus.RED: 0, RagStatus.AMBER: 1, RagStatus.GREEN: 2, RagStatus.BLUE: 3}


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

    @property
    def is_split(self) -> bool:
        return self.second_status is not None

    @property
    def label(self) -> str:
        """'Amber' or, for a split rating, 'Amber/Green'."""
        first = RagStatus(self.status).label
        if self.second_status:
            return f"{first}/{RagStatus(self.second_status).label}"
        return first

    def rank(self) -> float:
        """Position on the Red → Blue scale; a split rating sits between its two parts."""
        first = _RANK[RagStatus(self.status)]
        if self.second_status:
            return (first + _RANK[RagStatus(self.second_status)]) / 2
        return float(first)

    def improves_on(self, other: RagAssessment | None) -> bool:
        """True if this rating is better than ``other`` (anything improves on no rating
        except that a first rating is not an 'improvement' needing evidence)."""
        if other is None:
            return False
        return self.rank() > other.rank()


def proposal_problems(
    last_accepted: RagAssessment | None, proposed: RagAssessment, *, has_evidence: bool
) -> list[str]:
    """Why a proposed RAG cannot be submitted yet (empty when it can).

    The evidence gate: a proposal that improves on the last accepted rating (e.g.
    Amber → Green, or Green → Blue) needs evidence attached, and a reason. A first
    rating or a worsening needs only a reason.
    """
    problems = []
    if not proposed.reason.strip():
        problems.append("Enter the reason for the RAG status")
    if proposed.improves_on(last_accepted) and not has_evidence:
        problems.append(
            f"Attach evidence to support improving the RAG status from "
            f"{last_accepted.label if last_accepted else 'none'} to {proposed.label}"
        )
    return problems


def record_rag(
    subject: RagRated,
    assessment: RagAssessment,
    *,
    actor: User | None = None,
    rule: str = "",
    request: HttpRequest | None = None,
    under_rule: str = "",
) -> RagEntry:
    """Append ``assessment`` to ``subject``'s RAG history and make it current.

    Exactly one of ``actor`` (a person) or ``rule`` (``"slug@version"``) names who set it.
    ``under_rule`` names the judgement rule a person applied, kept on the entry beside
    them. The change is audited.
    """
    if (actor is None) == (not rule):
        raise ValueError("A RAG change is set by exactly one of a person or a rule")
    if under_rule and actor is None:
        raise ValueError("Only a person applies a judgement rule")
    model = type(subject)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=subject.pk)
        previous = locked.rag
        now = timezone.now()
        entry = RagEntry.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=subject.pk,
            status=assessment.status,
            second_status=assessment.second_status or "",
            reason=assessment.reason,
            set_by=actor,
            rule=rule or under_rule,
            set_at=now,
        )
        model._default_manager.filter(pk=subject.pk).update(
            rag_status=assessment.status,
            rag_second_status=assessment.second_status or "",
            rag_reason=assessment.reason,
            rag_set_at=now,
        )
        audit.record(
            AuditAction.RAG_CHANGE,
            actor=actor,
            obj=subject,
            request=request,
            actor_label="" if actor else f"rule {rule}",
            previous=previous.label if previous else None,
            new=assessment.label,
            reason=assessment.reason[:500],
        )
    subject.rag_status = assessment.status
    subject.rag_second_status = assessment.second_status or ""
    subject.rag_reason = assessment.reason
    subject.rag_set_at = now
    return entry


def rag_history(subject: RagRated) -> list[RagEntry]:
    """Every RAG entry for ``subject``, oldest first."""
    return list(
        RagEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(subject)), object_id=subject.pk
        ).select_related("set_by")
    )
