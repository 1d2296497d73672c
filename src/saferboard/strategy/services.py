"""The reporting cycle's operations: open a round, save, submit, review, roll up.

Every change to an update goes through here, inside a transaction with the update's
row locked, and checks the update's ``version`` first: a save or review that started
from an older version raises :class:`StaleVersion` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.evidence import store_evidence
from saferboard.core.models import EvidenceFile, Organisation, RagEntry, RagStatus, User
from saferboard.core.rag import (
    RagAssessment,
    proposal_problems,
    record_rag,
    status_label,
    status_rank,
)
from saferboard.strategy.content import render_narrative
from saferboard.strategy.models import (
    Commitment,
    Contribution,
    ImprovementAcceptor,
    LineRating,
    PartnerUpdate,
    Priority,
    ReportingRound,
    RoundStatus,
    Strategy,
    UpdateEvent,
    UpdateState,
)
from saferboard.strategy.workflow import (
    Action,
    Actor,
    State,
    TransitionRefused,
    next_state,
    reviewer_for,
)

ROLLUP_RULE = "strategy.partner-range@1"


class StaleVersion(Exception):
    """The update changed since the person opened it; ``current`` is what is saved now."""

    def __init__(self, current: PartnerUpdate) -> None:
        super().__init__(f"update {current.pk} is at version {current.version}")
        self.current = current


# Rounds ------------------------------------------------------------------------------


def round_order_q(round: ReportingRound, *, inclusive: bool = False) -> Q:
    """Rounds of the same strategy before ``round`` (or up to it, if inclusive)."""
    earlier = Q(financial_year__lt=round.financial_year) | Q(
        financial_year=round.financial_year, quarter__lt=round.quarter
    )
    if inclusive:
        earlier |= Q(pk=round.pk)
    return Q(strategy_id=round.strategy_id) & earlier


def is_active_in(organisation: Organisation, round: ReportingRound) -> bool:
    """The organisation was a partner at some point in the round's quarter."""
    period = round.period
    return organisation.start_date <= period.end and (
        organisation.end_date is None or organisation.end_date >= period.start
    )


def expected_returns(round: ReportingRound) -> list[tuple[Commitment, Organisation]]:
    """(commitment, organisation) for every return the round asks for."""
    pairs = []
    commitments = (
        Commitment.objects.filter(priority__in=round.priorities_in_scope(), parent__isnull=True)
        # A commitment retired before the quarter began drops out of new rounds.
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=round.period.start))
        .select_related("priority")
        .prefetch_related("contributors")
        .order_by("priority__number", "number")
    )
    for commitment in commitments:
        for organisation in sorted(commitment.contributors.all(), key=lambda o: o.name):
            if is_active_in(organisation, round):
                pairs.append((commitment, organisation))
    return pairs


def last_accepted_update(
    commitment_id: int, organisation_id: int, round: ReportingRound
) -> PartnerUpdate | None:
    """The pair's accepted update from the latest round before ``round``."""
    return (
        PartnerUpdate.objects.filter(
            commitment_id=commitment_id,
            organisation_id=organisation_id,
            state=UpdateState.ACCEPTED,
            round__in=ReportingRound.objects.filter(round_order_q(round)),
        )
        .select_related("round")
        .order_by("-round__financial_year", "-round__quarter")
        .first()
    )


def last_accepted_rating(update: PartnerUpdate) -> RagAssessment | None:
    """The rating the evidence gate compares with: the last accepted one before this
    update's round (or the contribution's rating, if it was rated outside any round)."""
    previous = last_accepted_update(update.commitment_id, update.organisation_id, update.round)
    if previous is not None:
        return previous.proposed_rag
    contribution = Contribution.objects.filter(
        commitment_id=update.commitment_id, organisation_id=update.organisation_id
    ).first()
    return contribution.rag if contribution else None


def contribution_for(commitment: Commitment, organisation: Organisation) -> Contribution:
    contribution, _ = Contribution.objects.get_or_create(
        commitment=commitment, organisation=organisation
    )
    return contribution


def ensure_updates(round: ReportingRound) -> list[PartnerUpdate]:
    """Create the round's missing updates, each carried forward from the pair's last
    accepted update. Idempotent; returns the updates it created."""
    existing = set(round.updates.values_list("commitment_id", "organisation_id"))
    created = []
    for commitment, organisation in expected_returns(round):
        if (commitment.pk, organisation.pk) in existing:
            continue
        update = PartnerUpdate(round=round, commitment=commitment, organisation=organisation)
        previous = last_accepted_update(commitment.pk, organisation.pk, round)
        if previous is not None:
            carry_forward(update, previous)
        update.save()
        if previous is not None:
            # The sub-commitment ratings carry forward with the text.
            LineRating.objects.bulk_create(
                LineRating(
                    update=update,
                    sub_commitment_id=line.sub_commitment_id,
                    rag_status=line.rag_status,
                    rag_second_status=line.rag_second_status,
                    rag_reason=line.rag_reason,
                )
                for line in previous.lines.filter(sub_commitment__retired_on__isnull=True)
            )
        contribution_for(commitment, organisation)
        created.append(update)
    return created


def carry_forward(update: PartnerUpdate, previous: PartnerUpdate) -> None:
    """Start ``update`` from ``previous``'s accepted text and rating."""
    update.narrative = previous.narrative
    update.narrative_html = previous.narrative_html
    update.case_study = previous.case_study
    update.case_study_html = previous.case_study_html
    update.figures = previous.figures
    update.rag_status = previous.rag_status
    update.rag_second_status = previous.rag_second_status
    update.rag_reason = previous.rag_reason
    update.carried_forward = True
    update.carried_from = previous


@transaction.atomic
def open_round(
    strategy: Strategy,
    *,
    financial_year: int,
    quarter: int,
    deadline: date,
    substantive: Iterable[Priority],
    is_end_of_year: bool = False,
    actor: User | None,
    notify: bool = True,
    via: str = "web",
    at: datetime | None = None,
) -> ReportingRound:
    """Open a round, create every expected update (carried forward), and tell each
    contributing organisation's partner leads by email."""
    round = ReportingRound.objects.create(
        strategy=strategy,
        financial_year=financial_year,
        quarter=quarter,
        deadline=deadline,
        is_end_of_year=is_end_of_year,
        opened_by=actor,
        opened_at=at or timezone.now(),
    )
    round.substantive_priorities.set(list(substantive))
    ensure_updates(round)
    if notify:
        from saferboard.strategy.reminders import send_round_opened

        transaction.on_commit(lambda: send_round_opened(round, actor=actor, via=via))
    return round


@transaction.atomic
def close_round(
    round: ReportingRound, *, actor: User, at: datetime | None = None
) -> ReportingRound:
    round = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if round.status == RoundStatus.CLOSED:
        raise TransitionRefused("This reporting round is already closed")
    round.status = RoundStatus.CLOSED
    round.closed_at = at or timezone.now()
    round.save(update_fields=["status", "closed_at"])
    return round


# Saving and submitting -----------------------------------------------------------------


@dataclass
class UpdateChanges:
    """What the partner typed into the update form."""

    narrative: str = ""
    case_study: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    rag_status: str = ""
    rag_second_status: str = ""
    rag_reason: str = ""


@dataclass
class SaveOutcome:
    update: PartnerUpdate
    submitted: bool
    # (field name, message) pairs saying why a submission was refused
    problems: list[tuple[str, str]]


def _lock(update: PartnerUpdate, version: int) -> PartnerUpdate:
    locked = (
        PartnerUpdate.objects.select_for_update()
        .select_related("round__strategy", "commitment", "organisation")
        .get(pk=update.pk)
    )
    if locked.version != version:
        raise StaleVersion(locked)
    return locked


def _log(
    update: PartnerUpdate,
    action: str,
    before: str,
    actor: User | None,
    *,
    at: datetime,
    comment: str = "",
) -> None:
    UpdateEvent.objects.create(
        update=update,
        action=action,
        from_state=before,
        to_state=update.state,
        actor=actor,
        at=at,
        comment=comment,
    )


def submission_problems(update: PartnerUpdate) -> list[tuple[str, str]]:
    """Why ``update`` cannot be submitted as it stands, with the form field for each."""
    problems: list[tuple[str, str]] = []
    if not update.narrative_html.strip():
        problems.append(("narrative", "Enter your update on this commitment"))
    proposed = update.proposed_rag
    if proposed is None:
        problems.append(("rag_status", "Choose the RAG status you propose"))
        return problems
    has_evidence = update.evidence.exists()
    for message in proposal_problems(
        last_accepted_rating(update), proposed, has_evidence=has_evidence
    ):
        where = "evidence_file" if message.startswith("Attach evidence") else "rag_reason"
        problems.append((where, message))
    return problems


def save_update(
    update: PartnerUpdate,
    changes: UpdateChanges,
    *,
    version: int,
    actor: User,
    submit: bool = False,
    upload: UploadedFile | None = None,
    upload_description: str = "",
    at: datetime | None = None,
    on_behalf: bool = False,
    lines: Iterable[LineChange] | None = None,
    request: HttpRequest | None = None,
) -> SaveOutcome:
    """Save the partner's changes and, if asked, submit them.

    A save that started from an older version raises :class:`StaleVersion`; a bad file
    raises ``ValidationError``; both leave everything as it was. A submission the gate
    refuses still saves the draft (and any evidence), and reports the problems.

    With ``on_behalf`` a coordinator enters the update for an organisation without an
    account: the update and its history say who entered it, and the entry is audited.
    ``lines`` are the optional ratings of the commitment's sub-commitments.
    """
    with transaction.atomic():
        locked = _lock(update, version)
        before = locked.state
        comment = ""
        if on_behalf:
            comment = f"Entered by {_name(actor)} on behalf of {locked.organisation.name}"
            locked.entered_by = actor
        locked.state = next_state(
            before, Action.SAVE, Actor.PARTNER, round_open=locked.round.is_open
        )
        locked.narrative = changes.narrative
        locked.narrative_html = render_narrative(changes.narrative)
        locked.case_study = changes.case_study
        locked.case_study_html = render_narrative(changes.case_study)
        locked.figures = changes.figures or {}
        locked.rag_status = changes.rag_status
        locked.rag_second_status = changes.rag_second_status if changes.rag_status else ""
        locked.rag_reason = changes.rag_reason.strip()
        source = locked.carried_from
        locked.carried_forward = source is not None and (
            locked.narrative == source.narrative
            and locked.case_study == source.case_study
            and (locked.figures or {}) == (source.figures or {})
        )
        if upload is not None:
            store_evidence(
                upload,
                user=actor,
                organisation=locked.organisation,
                attach_to=locked,
                description=upload_description,
            )
        now = at or timezone.now()
        locked.updated_at, locked.updated_by = now, actor
        locked.version += 1
        locked.save()
        if lines is not None:
            save_line_ratings(locked, lines)
        _log(locked, "saved", before, actor, at=now, comment=comment)
        if on_behalf:
            audit.record_change(
                locked,
                before={"entered_by": None, "state": before},
                after={"entered_by": actor.get_username(), "state": locked.state},
                actor=actor,
                request=request,
                what="update entered on behalf of an organisation",
                organisation=locked.organisation.name,
            )
        problems: list[tuple[str, str]] = []
        submitted = False
        if submit:
            problems = submission_problems(locked)
            if not problems:
                before = locked.state
                locked.state = next_state(before, Action.SUBMIT, Actor.PARTNER)
                locked.submitted_at, locked.submitted_by = now, actor
                locked.save(update_fields=["state", "submitted_at", "submitted_by"])
                _log(locked, locked.state, before, actor, at=now, comment=comment)
                submitted = True
    return SaveOutcome(update=locked, submitted=submitted, problems=problems)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class LineChange:
    """A partner's optional rating of one sub-commitment (no status: no rating)."""

    sub_commitment_id: int
    rag_status: str = ""
    rag_second_status: str = ""
    rag_reason: str = ""


def rateable_lines(update: PartnerUpdate) -> list[Commitment]:
    """The sub-commitments the update's organisation may rate: the commitment's current
    ones it contributes to."""
    return list(
        update.commitment.children.filter(
            retired_on__isnull=True, contributors=update.organisation_id
        ).order_by("number")
    )


def save_line_ratings(update: PartnerUpdate, lines: Iterable[LineChange]) -> None:
    """Make the update's sub-commitment ratings exactly ``lines`` (those with a status)."""
    allowed = {c.pk for c in rateable_lines(update)}
    wanted = {
        line.sub_commitment_id: line
        for line in lines
        # Only a real status on a line the organisation contributes to is kept.
        if line.rag_status in RagStatus.values and line.sub_commitment_id in allowed
    }
    update.lines.exclude(sub_commitment_id__in=wanted).delete()
    for sub_id, line in wanted.items():
        second = line.rag_second_status
        if second == line.rag_status or second not in RagStatus.values:
            second = ""
        LineRating.objects.update_or_create(
            update=update,
            sub_commitment_id=sub_id,
            defaults={
                "rag_status": line.rag_status,
                "rag_second_status": second,
                "rag_reason": line.rag_reason.strip(),
            },
        )


def remove_evidence(
    update: PartnerUpdate, evidence: EvidenceFile, *, version: int, actor: User
) -> PartnerUpdate:
    """Detach and delete an evidence record from an editable update."""
    with transaction.atomic():
        locked = _lock(update, version)
        next_state(locked.state, Action.SAVE, Actor.PARTNER, round_open=locked.round.is_open)
        locked.evidence.filter(pk=evidence.pk).delete()
        locked.version += 1
        locked.updated_at, locked.updated_by = timezone.now(), actor
        locked.save(update_fields=["version", "updated_at", "updated_by"])
        _log(
            locked,
            "evidence removed",
            locked.state,
            actor,
            at=locked.updated_at,
            comment=evidence.original_name,
        )
    return locked


# Reviewing ----------------------------------------------------------------------------


def improves(update: PartnerUpdate) -> bool:
    proposed = update.proposed_rag
    return proposed is not None and proposed.improves_on(last_accepted_rating(update))


def board_reviews_improvements(update: PartnerUpdate) -> bool:
    return update.round.strategy.improvements_accepted_by == ImprovementAcceptor.BOARD


def reviewer_needed(update: PartnerUpdate) -> Actor:
    return reviewer_for(
        improves=improves(update), improvements_by_board=board_reviews_improvements(update)
    )


def actor_kind(user: User, needed: Actor) -> Actor:
    """The role ``user`` acts in as a reviewer: the one needed if they hold it."""
    from saferboard.strategy.permissions import is_board_member, is_coordinator

    holds = {Actor.COORDINATOR: is_coordinator(user), Actor.BOARD: is_board_member(user)}
    if holds.get(needed):
        return needed
    if holds[Actor.COORDINATOR]:
        return Actor.COORDINATOR
    if holds[Actor.BOARD]:
        return Actor.BOARD
    return Actor.PARTNER


def review_update(
    update: PartnerUpdate,
    *,
    action: Action,
    actor: User,
    version: int,
    comment: str = "",
    request: HttpRequest | None = None,
    at: datetime | None = None,
) -> PartnerUpdate:
    """Accept or return a submitted update.

    Accepting applies the proposed RAG to the organisation's contribution through
    :func:`record_rag` (history and audit) and refreshes the commitment's roll-up,
    unless a later round's update for the same pair was already accepted (then the
    later rating stays current).
    """
    with transaction.atomic():
        locked = _lock(update, version)
        before = locked.state
        needed = reviewer_needed(locked)
        locked.state = next_state(
            before,
            action,
            actor_kind(actor, needed),
            round_open=locked.round.is_open,
            comment=comment,
            improves=improves(locked),
            improvements_by_board=board_reviews_improvements(locked),
        )
        if action is Action.ACCEPT:
            proposed = locked.proposed_rag
            if proposed is None:
                raise TransitionRefused("This update proposes no RAG status: return it instead")
            problems = proposal_problems(
                last_accepted_rating(locked), proposed, has_evidence=locked.evidence.exists()
            )
            if problems:
                raise TransitionRefused(problems[0])
            if not _later_round_accepted(locked):
                contribution = contribution_for(locked.commitment, locked.organisation)
                locked.rag_entry = record_rag(contribution, proposed, actor=actor, request=request)
                update_commitment_rollup(locked.commitment)
                _accept_lines(locked, actor=actor, request=request)
            locked.return_comment = ""
        else:
            locked.return_comment = comment.strip()
        now = at or timezone.now()
        locked.reviewed_at, locked.reviewed_by = now, actor
        locked.version += 1
        locked.save()
        _log(locked, action.value, before, actor, at=now, comment=comment.strip())
    return locked


def _accept_lines(update: PartnerUpdate, *, actor: User, request: HttpRequest | None) -> None:
    """Record each sub-commitment rating on the organisation's contribution to that line
    (RAG history and audit), and the line's roll-up across partners."""
    for line in update.lines.select_related("sub_commitment"):
        contribution = contribution_for(line.sub_commitment, update.organisation)
        current = (contribution.rag_status, contribution.rag_second_status, contribution.rag_reason)
        if current == (line.rag_status, line.rag_second_status, line.rag_reason):
            continue
        line.rag_entry = record_rag(contribution, line.proposed_rag, actor=actor, request=request)
        line.save(update_fields=["rag_entry"])
        update_commitment_rollup(line.sub_commitment)


def _later_round_accepted(update: PartnerUpdate) -> bool:
    later = ReportingRound.objects.filter(strategy_id=update.round.strategy_id).exclude(
        round_order_q(update.round, inclusive=True)
    )
    return PartnerUpdate.objects.filter(
        round__in=later,
        commitment_id=update.commitment_id,
        organisation_id=update.organisation_id,
        state=UpdateState.ACCEPTED,
    ).exists()


# Roll-up -------------------------------------------------------------------------------


def partner_range(ratings: Iterable[RagAssessment | None]) -> RagAssessment | None:
    """A commitment's roll-up: the span of its partners' ratings.

    Every partner the same: that status. Otherwise a split from the worst part of any
    partner's rating to the best ("Amber/Green" when partners range from Amber to
    Green), so a board sees at once that partners differ and how far.
    """
    parts = []
    for rating in ratings:
        if rating is None:
            continue
        parts.append(rating.status)
        if rating.second_status:
            parts.append(rating.second_status)
    if not parts:
        return None
    worst = min(parts, key=status_rank)
    best = max(parts, key=status_rank)
    if worst == best:
        return RagAssessment(
            status=worst, reason=f"Every partner's rating is {status_label(worst)}"
        )
    return RagAssessment(
        status=worst,
        second_status=best,
        reason=f"Partners' ratings range from {status_label(worst)} to {status_label(best)}",
    )


def update_commitment_rollup(commitment: Commitment) -> RagEntry | None:
    """Record the commitment's roll-up (by rule) if its partners' ratings changed it."""
    rollup = partner_range(c.rag for c in commitment.contributions.all())
    if rollup is None:
        return None
    commitment.refresh_from_db(fields=["rag_status", "rag_second_status"])
    current = (commitment.rag_status, commitment.rag_second_status)
    if current == (rollup.status, rollup.second_status or ""):
        return None
    return record_rag(commitment, rollup, rule=ROLLUP_RULE)


# Returns --------------------------------------------------------------------------------


@dataclass
class OrganisationReturns:
    """One organisation's returns for a round, for the coordinator's chasing page."""

    organisation: Organisation
    updates: list[PartnerUpdate]
    counts: dict[str, int]
    late: int
    last_reminder: object | None = None

    @property
    def outstanding(self) -> int:
        return sum(1 for u in self.updates if u.is_editable)

    @property
    def total(self) -> int:
        return len(self.updates)


def returns_by_organisation(
    round: ReportingRound, today: date | None = None
) -> list[OrganisationReturns]:
    today = today or timezone.localdate()
    by_org: dict[int, OrganisationReturns] = {}
    updates = round.updates.select_related(
        "organisation", "commitment__priority", "round"
    ).order_by("organisation__name", "commitment__priority__number", "commitment__number")
    for update in updates:
        entry = by_org.get(update.organisation_id)
        if entry is None:
            entry = by_org[update.organisation_id] = OrganisationReturns(
                organisation=update.organisation,
                updates=[],
                counts={s.value: 0 for s in State},
                late=0,
            )
        entry.updates.append(update)
        entry.counts[update.state] += 1
        if update.is_late(today):
            entry.late += 1
    reminders = {}
    for reminder in round.reminders.order_by("sent_at", "pk"):
        reminders[reminder.organisation_id] = reminder
    for org_id, entry in by_org.items():
        entry.last_reminder = reminders.get(org_id)
    return list(by_org.values())
