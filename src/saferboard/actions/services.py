"""Changing actions: the service functions views, imports, meetings and the demo call.

Every change that matters to the record (a RAG, an update, a closure) goes through
here, in a transaction, with the acting user, and RAG changes through
:func:`saferboard.core.rag.record_rag` behind the evidence gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from saferboard.actions.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    BlueProposal,
    PlanReview,
    ProgressStep,
    ProposalState,
    Recommendation,
    UpdateKind,
)
from saferboard.actions.rollup import (
    ActionDates,
    Change,
    Overdue,
    RagCounts,
    changes_since,
    count_accepted,
    count_by_area,
    overdue,
)
from saferboard.core.errors import FieldError
from saferboard.core.evidence import store_evidence
from saferboard.core.models import EvidenceFile, Organisation, Person, RagEntry, User
from saferboard.core.rag import ProposalProblem, RagAssessment, proposal_check, record_rag


def letter_for(index: int) -> str:
    """0 → 'a', 25 → 'z', 26 → 'aa': the letters plans give actions under a number."""
    if index < 0:
        raise ValueError("index must not be negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _next_position(plan: ActionPlan) -> int:
    return (plan.actions.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def add_action(
    plan: ActionPlan,
    *,
    description: str,
    recommendation: Recommendation | None = None,
    reference: str = "",
    intended_outcome: str = "",
    lead_people: Iterable[Person] = (),
    lead_organisations: Iterable[Organisation] = (),
    lead_text: str = "",
    commence_date: date | None = None,
    completion_date: date | None = None,
    ongoing: bool = False,
    review_cadence: str = "",
    review_date: date | None = None,
    timescale_text: str = "",
    notes: str = "",
    steps: Sequence[str] = (),
) -> Action:
    """Add an action; without a reference it takes the next letter under its
    recommendation (1a, 1b…) or, in a board log, the next 'A' number."""
    # Lock the plan row so two people adding actions at once get different references.
    ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if not reference:
        if recommendation is not None:
            taken = recommendation.actions.count()
            reference = f"{recommendation.number}{letter_for(taken)}"
            while plan.actions.filter(reference=reference).exists():
                taken += 1
                reference = f"{recommendation.number}{letter_for(taken)}"
        else:
            n = plan.actions.count() + 1
            while plan.actions.filter(reference=f"A{n}").exists():
                n += 1
            reference = f"A{n}"
    action = Action.objects.create(
        plan=plan,
        recommendation=recommendation,
        reference=reference,
        position=_next_position(plan),
        description=description,
        intended_outcome=intended_outcome,
        lead_text=lead_text,
        commence_date=commence_date,
        completion_date=completion_date,
        ongoing=ongoing,
        review_cadence=review_cadence,
        review_date=review_date,
        timescale_text=timescale_text,
        notes=notes,
    )
    action.lead_people.set(list(lead_people))
    action.lead_organisations.set(list(lead_organisations))
    ProgressStep.objects.bulk_create(
        ProgressStep(action=action, position=i, text=text) for i, text in enumerate(steps, 1)
    )
    return action


@dataclass(frozen=True)
class UpdateResult:
    # Each problem names the part at fault ('text', 'reason' or 'evidence').
    problems: list[ProposalProblem]
    update: ActionUpdate | None = None
    rag_entry: RagEntry | None = None
    # A lead's Blue, held for the board to accept (the rating is unchanged until then).
    proposal: BlueProposal | None = None


def record_update(
    action: Action,
    *,
    user: User,
    text: str,
    proposed: RagAssessment | None = None,
    evidence: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> UpdateResult:
    """Record a progress update and, optionally, a new RAG status, all or nothing.

    The evidence gate applies: improving the RAG (Amber → Green, Green → Blue) needs
    evidence, uploaded now or attached since the last rating. A Blue from someone who
    cannot accept it (a lead) is held for the board (see :mod:`.completion`). Recording
    an update counts as reviewing the action (it resets the review clock).
    """
    from saferboard.actions.completion import needs_acceptance, pending_proposal

    text = text.strip()
    problems = [] if text or proposed else [ProposalProblem("text", "Enter the progress update")]
    if proposed is not None:
        has_evidence = bool(evidence) or _evidence_since_last_rating(action)
        problems += proposal_check(action.rag, proposed, has_evidence=has_evidence)
        to_board = needs_acceptance(user, proposed)
        if to_board and pending_proposal(action) is not None:
            problems.append(ProposalProblem("reason", "Blue is already proposed to the board"))
    if problems:
        return UpdateResult(problems=problems)
    now = timezone.now()
    with transaction.atomic():
        owner = action.plan.owner
        for upload in evidence:
            try:
                store_evidence(upload, user=user, organisation=owner, attach_to=action)
            except ValidationError as error:  # the file was refused: it belongs to evidence
                raise FieldError("evidence", error.messages[0]) from error
        update = None
        if text:
            update = ActionUpdate.objects.create(
                action=action, kind=UpdateKind.UPDATE, text=text, at=now, by=user
            )
        entry = None
        proposal = None
        if proposed is not None and needs_acceptance(user, proposed):
            from saferboard.actions.completion import propose_blue

            proposal = propose_blue(action, user=user, reason=proposed.reason, request=request)
        elif proposed is not None and (action.rag is None or _differs(action.rag, proposed)):
            entry = record_rag(action, proposed, actor=user, request=request)
        Action.objects.filter(pk=action.pk).update(last_reviewed=timezone.localdate())
        action.last_reviewed = timezone.localdate()
    return UpdateResult(problems=[], update=update, rag_entry=entry, proposal=proposal)


def _differs(current: RagAssessment, proposed: RagAssessment) -> bool:
    return (current.status, current.second_status, current.reason) != (
        proposed.status,
        proposed.second_status,
        proposed.reason,
    )


def _evidence_since_last_rating(action: Action) -> bool:
    files = EvidenceFile.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=action.pk
    )
    if action.rag_set_at is not None:
        files = files.filter(uploaded_at__gt=action.rag_set_at)
    return files.exists()


def evidence_for(action: Action) -> list[EvidenceFile]:
    """The evidence files attached to ``action``, oldest first."""
    return list(
        EvidenceFile.objects.filter(
            content_type=ContentType.objects.get_for_model(Action), object_id=action.pk
        )
    )


@transaction.atomic
def set_step(step: ProgressStep, *, user: User, done: bool) -> None:
    """Tick or untick a progress step; ticking is written to the action's history."""
    if step.done == done:
        return
    step.done = done
    step.done_at = timezone.now() if done else None
    step.done_by = user if done else None
    step.save(update_fields=["done", "done_at", "done_by"])
    ActionUpdate.objects.create(
        action=step.action,
        kind=UpdateKind.STEP,
        text=f"{'Done' if done else 'Not done'}: {step.text}",
        at=timezone.now(),
        by=user,
    )


def add_step(action: Action, text: str) -> ProgressStep:
    position = (action.steps.aggregate(m=Max("position"))["m"] or 0) + 1
    return ProgressStep.objects.create(action=action, position=position, text=text.strip())


@transaction.atomic
def close_action(action: Action, *, user: User, reason: str) -> Action:
    """Close an open action, recording who, when and why."""
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "Enter why the action is being closed")
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.status == ActionStatus.CLOSED:
        raise FieldError("reason", f"Action {locked.reference} is already closed")
    now = timezone.now()
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.CLOSED, closed_at=now, closed_by=user, closed_reason=reason
    )
    ActionUpdate.objects.create(action=action, kind=UpdateKind.CLOSED, text=reason, at=now, by=user)
    action.refresh_from_db()
    return action


@transaction.atomic
def reopen_action(action: Action, *, user: User, reason: str) -> Action:
    """Reopen a closed action; the closure stays in its history."""
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "Enter why the action is being reopened")
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.OPEN, closed_at=None, closed_by=None, closed_reason=""
    )
    ActionUpdate.objects.create(
        action=action, kind=UpdateKind.REOPENED, text=reason, at=timezone.now(), by=user
    )
    action.refresh_from_db()
    return action


def record_review(plan: ActionPlan, *, user: User, note: str = "") -> PlanReview:
    """Mark the plan as reviewed now: 'what changed' counts from here next time."""
    return PlanReview.objects.create(plan=plan, at=timezone.now(), by=user, note=note.strip())


# Read models for pages and documents ---------------------------------------------


def action_dates(action: Action) -> ActionDates:
    return ActionDates(
        reference=action.reference,
        is_open=action.is_open,
        rag_status=action.rag_status or None,
        commence=action.commence_date,
        completion=action.completion_date,
        ongoing=action.ongoing,
        review=action.cadence,
        last_reviewed=action.last_reviewed,
        review_date=action.review_date,
    )


def plan_changes(plan: ActionPlan) -> list[Change]:
    """Every recorded change to the plan's actions (RAG changes, updates, steps, closures)."""
    actions = {a.pk: a.reference for a in plan.actions.all()}
    changes = [
        Change(actions[u.action_id], u.at, u.get_kind_display(), u.text)
        for u in ActionUpdate.objects.filter(action__plan=plan)
    ]
    entries = RagEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id__in=list(actions)
    )
    changes += [
        Change(
            actions[e.object_id],
            e.set_at,
            "RAG status",
            f"{RagAssessment(e.status, e.second_status or None).label}: {e.reason}",
        )
        for e in entries
    ]
    return changes


@dataclass(frozen=True)
class PlanSummary:
    counts: RagCounts
    by_area: dict[str, RagCounts]
    overdue: Overdue
    last_review: PlanReview | None
    changes: list[Change]


def plan_summary(plan: ActionPlan, today: date | None = None) -> PlanSummary:
    """The plan's roll-up: counts overall and per area, overdue, changes since review."""
    today = today or timezone.localdate()
    actions = list(plan.actions.select_related("recommendation"))
    proposed = blue_proposed_ids(plan)
    counts = count_accepted((a.rag_status, a.pk in proposed) for a in actions)
    by_area = count_by_area(
        (
            _area_label(a.recommendation) if a.recommendation else "Actions",
            a.rag_status,
            a.pk in proposed,
        )
        for a in actions
    )
    last_review = plan.reviews.order_by("-at", "-pk").first()
    return PlanSummary(
        counts=counts,
        by_area=by_area,
        overdue=overdue((action_dates(a) for a in actions), today),
        last_review=last_review,
        changes=changes_since(plan_changes(plan), last_review.at if last_review else None),
    )


def blue_proposed_ids(plan: ActionPlan) -> set[int]:
    """The plan's actions with a Blue awaiting the board."""
    return set(
        BlueProposal.objects.filter(action__plan=plan, state=ProposalState.PENDING).values_list(
            "action_id", flat=True
        )
    )


def _area_label(recommendation: Recommendation) -> str:
    if recommendation.area:
        return recommendation.area
    return f"Recommendation {recommendation.number}"
