"""RAG assessments: the one function that changes a status (the value object and the
labels live in :mod:`saferboard.core.rag_values`, imported here as well).

A status changes only by appending a :class:`~saferboard.core.models.RagEntry` and
updating the subject's denormalised ``rag_*`` fields in the same transaction, with the
subject row locked, so the current value always equals the newest history row even
when two people rate the same thing at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, RagEntry, RagRated, User
from saferboard.core.rag_values import (
    NOT_RATED_LABEL,
    RAG_ORDER,
    RagAssessment,
    status_label,
    status_rank,
)

__all__ = [
    "NOT_RATED_LABEL",
    "RAG_ORDER",
    "RagAssessment",
    "status_label",
    "status_rank",
]


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
