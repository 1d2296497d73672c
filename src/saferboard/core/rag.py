"""RAG assessments: the value object, and the one function that changes a status.

A status changes only by appending a :class:`~saferboard.core.models.RagEntry` and
updating the subject's denormalised ``rag_*`` fields in the same transaction, with the
subject row locked, so the current value always equals the newest history row even
when two people rate the same thing at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, RagEntry, RagRated, RagStatus, User

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


@dataclass(frozen=True)
class ProposalProblem:
    """One reason a proposal cannot be submitted, and the part of it at fault
    (``field``: 'reason' or 'evidence'; a caller may add its own, such as 'text'), so a
    form shows the message beside that field without reading the message."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def proposal_check(
    last_accepted: RagAssessment | None, proposed: RagAssessment, *, has_evidence: bool
) -> list[ProposalProblem]:
    """Why a proposed RAG cannot be submitted yet (empty when it can), field by field.

    The evidence gate: a proposal that improves on the last accepted rating (e.g.
    Amber → Green, or Green → Blue) needs evidence attached, and a reason. A first
    rating or a worsening needs only a reason.
    """
    problems = []
    if not proposed.reason.strip():
        problems.append(ProposalProblem("reason", "Enter the reason for the RAG status"))
    if proposed.improves_on(last_accepted) and not has_evidence:
        problems.append(
            ProposalProblem(
                "evidence",
                f"Attach evidence to support improving the RAG status from "
                f"{last_accepted.label if last_accepted else 'none'} to {proposed.label}",
            )
        )
    return problems


def proposal_problems(
    last_accepted: RagAssessment | None, proposed: RagAssessment, *, has_evidence: bool
) -> list[str]:
    """The messages of :func:`proposal_check` (for callers that show them as a list)."""
    return [p.message for p in proposal_check(last_accepted, proposed, has_evidence=has_evidence)]


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


def record_rule_ratings(
    subjects: Sequence[RagRated],
    assessments: Sequence[RagAssessment],
    *,
    requested_by: User | None = None,
    request: HttpRequest | None = None,
    extra_fields: Sequence[str] = (),
) -> list[RagEntry]:
    """Many rule-set ratings at once (a measure's observations stored or re-rated).

    The bulk form of :func:`record_rag` for ratings a rule sets: each assessment names
    its rule (``assessment.rule``, ``"slug@version"``); one history entry and one audit
    event per subject, in one transaction, and the subjects' denormalised ``rag_*``
    fields (and any ``extra_fields`` the caller has set on them, such as the rule that
    rated an observation) updated to match. ``requested_by`` is the person who asked for
    a re-rating, named in the audit events (the entries stay the rule's).
    """
    if len(subjects) != len(assessments):
        raise ValueError("One assessment per subject")
    if not subjects:
        return []
    if any(not a.rule for a in assessments):
        raise ValueError("A rule-set rating names its rule")
    model = type(subjects[0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    with transaction.atomic():
        previous = {
            pk: status_label(status, second)
            for pk, status, second in model._default_manager.select_for_update()
            .filter(pk__in=[s.pk for s in subjects])
            .values_list("pk", "rag_status", "rag_second_status")
        }
        entries = RagEntry.objects.bulk_create(
            [
                RagEntry(
                    content_type=content_type,
                    object_id=subject.pk,
                    status=a.status,
                    second_status=a.second_status or "",
                    reason=a.reason,
                    rule=a.rule,
                    set_at=now,
                )
                for subject, a in zip(subjects, assessments, strict=True)
            ]
        )
        for subject, a in zip(subjects, assessments, strict=True):
            subject.rag_status = a.status
            subject.rag_second_status = a.second_status or ""
            subject.rag_reason = a.reason
            subject.rag_set_at = now
        model._default_manager.bulk_update(
            list(subjects),
            ["rag_status", "rag_second_status", "rag_reason", "rag_set_at", *extra_fields],
            batch_size=500,
        )
        audit.record_many(
            AuditAction.RAG_CHANGE,
            objects=list(subjects),
            actor=requested_by,
            request=request,
            actor_label="" if requested_by else f"rule {assessments[0].rule}",
            details=[
                {
                    "previous": (
                        None if previous.get(s.pk) == NOT_RATED_LABEL else previous.get(s.pk)
                    ),
                    "new": a.label,
                    "reason": a.reason[:500],
                    "rule": a.rule,
                }
                for s, a in zip(subjects, assessments, strict=True)
            ],
        )
    return entries
