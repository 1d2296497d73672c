"""Completing an action: a lead proposes Blue, the board accepts it (or returns it).

A lead's Blue is a claim that the action is done; the board decides. So a Blue
proposed by a lead is held as a :class:`~saferboard.actions.models.BlueProposal` and
the action keeps its accepted rating: the roll-up counts that rating and shows "Blue
proposed" beside it. A coordinator, an administrator or a board's chair or vice-chair
accepts it (Blue is recorded and the action closed) or returns it with a reason.
Every step is in the action's history and the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.actions.access import can_manage
from saferboard.actions.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionUpdate,
    BlueProposal,
    ProposalState,
    UpdateKind,
)
from saferboard.core import audit
from saferboard.core.models import AuditAction, User
from saferboard.core.rag import RagAssessment, record_rag

if TYPE_CHECKING:
    from saferboard.meetings.arising import ProposedCompletion

# The board roles that may accept a proposed Blue, beside coordinators and administrators.
CHAIR_ROLES = ("Chair", "Vice-chair")


class CompletionError(ValueError):
    """A proposal cannot be made or decided (already pending, already decided…)."""


def needs_acceptance(user: User, proposed: RagAssessment) -> bool:
    """True when ``proposed`` is a Blue that must go to the board: Blue from anyone who
    cannot accept it themselves."""
    return proposed.status == "blue" and not can_accept(user)


def can_accept(user: User) -> bool:
    """Coordinators, administrators and the current chair or vice-chair of a board."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage(user):
        return True
    from saferboard.meetings.models import BoardMember

    today = timezone.localdate()
    return (
        BoardMember.objects.filter(person__user=user, role__in=CHAIR_ROLES, start_date__lte=today)
        .exclude(end_date__lt=today)
        .exists()
    )


def pending_proposal(action: Action) -> BlueProposal | None:
    """The proposal awaiting the board for ``action``, if any."""
    return action.blue_proposals.filter(state=ProposalState.PENDING).first()


def propose_blue(
    action: Action, *, user: User, reason: str, request: HttpRequest | None = None
) -> BlueProposal:
    """Hold a lead's Blue for the board; the action's rating does not change yet.

    The caller has already applied the evidence gate (see ``services.record_update``).
    """
    reason = reason.strip()
    if not reason:
        raise CompletionError("Enter why the action is complete")
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        if locked.status == ActionStatus.CLOSED:
            raise CompletionError(f"Action {locked.reference} is already closed")
        if locked.blue_proposals.filter(state=ProposalState.PENDING).exists():
            raise CompletionError(f"Blue is already proposed for action {locked.reference}")
        now = timezone.now()
        proposal = BlueProposal.objects.create(
            action=action, reason=reason, proposed_by=user, proposed_at=now
        )
        ActionUpdate.objects.create(
            action=action, kind=UpdateKind.BLUE_PROPOSED, text=reason, at=now, by=user
        )
        audit.record(
            AuditAction.RAG_CHANGE,
            actor=user,
            obj=action,
            request=request,
            what="Blue proposed",
            current=locked.rag.label if locked.rag else None,
            reason=reason[:500],
        )
    return proposal


def accept_blue(
    proposal: BlueProposal,
    *,
    user: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> Action:
    """The board accepts: Blue is recorded (by the person accepting) and the action closes."""
    if not can_accept(user):
        raise PermissionError("Only a coordinator, an administrator or a chair accepts Blue")
    note = note.strip()
    with transaction.atomic():
        locked = BlueProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.PENDING:
            raise CompletionError("This proposal has already been decided")
        action = Action.objects.select_for_update().get(pk=locked.action_id)
        now = timezone.now()
        reason = f"Accepted by the board: {locked.reason}" + (f" ({note})" if note else "")
        record_rag(action, RagAssessment(status="blue", reason=reason), actor=user, request=request)
        locked.state = ProposalState.ACCEPTED
        locked.decided_by, locked.decided_at, locked.decision_reason = user, now, note
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.BLUE_ACCEPTED,
            text=note or "Blue accepted",
            at=now,
            by=user,
        )
        if action.status == ActionStatus.OPEN:
            Action.objects.filter(pk=action.pk).update(
                status=ActionStatus.CLOSED,
                closed_at=now,
                closed_by=user,
                closed_reason=f"Complete (Blue accepted): {locked.reason}",
            )
            ActionUpdate.objects.create(
                action=action, kind=UpdateKind.CLOSED, text=locked.reason, at=now, by=user
            )
        audit.record(
            AuditAction.RAG_CHANGE,
            actor=user,
            obj=action,
            request=request,
            what="Blue accepted",
            proposed_by=locked.proposed_by.get_username(),
            note=note[:500],
        )
    action.refresh_from_db()
    return action


def reject_blue(
    proposal: BlueProposal,
    *,
    user: User,
    reason: str,
    request: HttpRequest | None = None,
) -> BlueProposal:
    """The board returns the proposal to the lead, with why; the action stays open."""
    if not can_accept(user):
        raise PermissionError("Only a coordinator, an administrator or a chair decides Blue")
    reason = reason.strip()
    if not reason:
        raise CompletionError("Enter why the Blue is not accepted")
    with transaction.atomic():
        locked = BlueProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.PENDING:
            raise CompletionError("This proposal has already been decided")
        now = timezone.now()
        locked.state = ProposalState.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_reason = user, now, reason
        locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        ActionUpdate.objects.create(
            action_id=locked.action_id,
            kind=UpdateKind.BLUE_REJECTED,
            text=reason,
            at=now,
            by=user,
        )
        audit.record(
            AuditAction.RAG_CHANGE,
            actor=user,
            obj=locked.action,
            request=request,
            what="Blue not accepted",
            proposed_by=locked.proposed_by.get_username(),
            reason=reason[:500],
        )
    return locked


def awaiting_board(
    plans: Iterable[ActionPlan], *, public: bool = False
) -> dict[int, list[ProposedCompletion]]:
    """The Blues awaiting the board on each of ``plans``, by plan id, each with the
    lead's evidence and the page where it is decided (an absolute address when
    ``SABO_BASE_URL`` is set, since the PDF is read away from Saferboard).

    ``public``: for the public pack, leave out actions raised only in exempt minutes
    (their matter is exempt) and the actions of restricted plans."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django.urls import reverse

    from saferboard.core.models import EvidenceFile
    from saferboard.meetings.arising import ProposedCompletion

    plan_ids = [p.pk for p in plans if not (public and p.restricted)]
    proposals = (
        BlueProposal.objects.filter(
            state=ProposalState.PENDING, action__plan_id__in=plan_ids, action__status="open"
        )
        .select_related("action__plan", "proposed_by")
        .prefetch_related("action__minute_items")
        .order_by("pk")
    )
    listed = list(proposals)
    files = dict(
        EvidenceFile.objects.filter(
            content_type=ContentType.objects.get_for_model(Action),
            object_id__in=[p.action_id for p in listed],
        )
        .values_list("object_id")
        .annotate(n=Count("pk"))
    )
    base = getattr(settings, "SABO_BASE_URL", "") or ""
    found: dict[int, list[ProposedCompletion]] = {}
    for proposal in listed:
        action = proposal.action
        minutes = list(action.minute_items.all())
        if public and minutes and all(m.exempt for m in minutes):
            continue
        first = min(minutes, key=lambda m: (m.number, m.suffix), default=None)
        path = reverse("actions:blue-decision", args=[action.plan_id, action.reference])
        found.setdefault(action.plan_id, []).append(
            ProposedCompletion(
                plan_id=action.plan_id,
                plan_title=action.plan.title,
                reference=action.reference,
                matter=action.description,
                proposed_by=proposal.proposed_by.get_full_name() or proposal.proposed_by.username,
                proposed_on=timezone.localtime(proposal.proposed_at).date(),
                reason=proposal.reason,
                evidence_files=files.get(action.pk, 0),
                decision_url=base + path,
                minute=f"{first.number}{first.suffix}" if first else "",
            )
        )
    return found
