"""Changes to panels and cases, each in one transaction with its audit event.

Views call these; none of them checks access (the views have already loaded the case
through :func:`saferboard.panels.access.cases_visible_to`). Audit events name a case
by its pseudonymous reference only: identity never goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, Organisation, Person, User
from saferboard.core.rag import RagAssessment, record_rag
from saferboard.panels import pseudonyms
from saferboard.panels.models import (
    Breach,
    Case,
    CaseIdentity,
    CaseStatus,
    CaseStatusChange,
    Contribution,
    EscalationStep,
    Panel,
    PanelAction,
    PanelMembership,
    Review,
    RiskAssessment,
    RiskLevel,
)

# Audit actions this app writes beyond core's READ_PERSONAL_DATA, EXPORT,
# PERMISSION_CHANGE and RAG_CHANGE. (Core's AuditAction should gain these two values
# with the same strings; stored rows need no change when it does.)
CHANGE_PERSONAL_DATA = "change_personal_data"
DELETE_PERSONAL_DATA = "delete_personal_data"

# Allowed status moves. A closed case is not reopened: a new referral is a new case.
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.REFERRED: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.OPEN: {CaseStatus.STEPPED_DOWN, CaseStatus.CLOSED},
    CaseStatus.STEPPED_DOWN: {CaseStatus.OPEN, CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}

RISK_RAG = {
    RiskLevel.LOW: "green",
    RiskLevel.MEDIUM: "amber",
    RiskLevel.HIGH: "red",
    RiskLevel.VERY_HIGH: "red",
}


def risk_level_for(likelihood: int, impact: int) -> RiskLevel:
    """Risk level from a 4×4 likelihood × impact matrix (scores 1–16).

    1–3 low, 4–6 medium, 8–9 high, 12–16 very high.
    """
    if not (1 <= likelihood <= 4 and 1 <= impact <= 4):
        raise ValueError("Likelihood and impact are each scored 1 to 4")
    score = likelihood * impact
    if score <= 3:
        return RiskLevel.LOW
    if score <= 6:
        return RiskLevel.MEDIUM
    if score <= 9:
        return RiskLevel.HIGH
    return RiskLevel.VERY_HIGH


# Audit ----------------------------------------------------------------------------------


def audit_case_read(request: HttpRequest, case: Case, what: str) -> None:
    """One read of one case (its identity or detail)."""
    audit.record(
        AuditAction.READ_PERSONAL_DATA,
        request=request,
        obj=case,
        what=what,
        panel=case.panel.slug,
        cases=[case.reference],
    )


def audit_cases(
    request: HttpRequest,
    panel: Panel | None,
    cases: Iterable[Case],
    what: str,
    action: str = AuditAction.READ_PERSONAL_DATA,
    **detail: Any,
) -> None:
    """One read or export of several cases (a list, search results, an export file)."""
    references = [case.reference for case in cases]
    audit.record(
        action,
        request=request,
        obj=panel,
        what=what,
        cases=references,
        count=len(references),
        **detail,
    )


def _audit_change(actor: User, case: Case, what: str, request: HttpRequest | None) -> None:
    audit.record(
        CHANGE_PERSONAL_DATA,
        actor=actor,
        request=request,
        obj=case,
        what=what,
        panel=case.panel.slug,
        cases=[case.reference],
    )


# Cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    full_name: str
    date_of_birth: date
    address: str = ""


@transaction.atomic
def refer_case(
    *,
    panel: Panel,
    actor: User,
    identity: Identity,
    referral_source: Organisation,
    referral_date: date,
    referral_reason: str,
    flags: Sequence[str] = (),
    lead_agency: Organisation | None = None,
    ethnicity: str = "not_known",
    sex: str = "not_known",
    youth_justice_ref: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Put a person on a panel's list: the case, its identity apart, the first status."""
    unknown = set(flags) - set(panel.flags)
    if unknown:
        raise ValidationError(f"Flags not used by this panel: {', '.join(sorted(unknown))}")
    case = Case(
        panel=panel,
        referral_source=referral_source,
        referral_date=referral_date,
        referral_reason=referral_reason,
        lead_agency=lead_agency,
        flags=list(flags),
        ethnicity=ethnicity,
        sex=sex,
        youth_justice_ref=youth_justice_ref,
        status=CaseStatus.REFERRED,
        status_changed_on=referral_date,
        created_by=actor,
    )
    case.reference = pseudonyms.case_reference(panel.type, str(case.internal_id))
    case.save()
    CaseIdentity.objects.create(
        case=case,
        full_name=identity.full_name.strip(),
        date_of_birth=identity.date_of_birth,
        address=identity.address.strip(),
    )
    CaseStatusChange.objects.create(
        case=case,
        status=CaseStatus.REFERRED,
        reason=f"Referred by {referral_source.name}",
        effective_on=referral_date,
        changed_at=timezone.now(),
        changed_by=actor,
    )
    _audit_change(actor, case, "referral", request)
    return case


@transaction.atomic
def update_case(
    case: Case, *, actor: User, request: HttpRequest | None = None, **fields: object
) -> Case:
    """Change case detail (flags, lead agency, demographics, youth justice link)."""
    allowed = {"flags", "lead_agency", "ethnicity", "sex", "youth_justice_ref", "referral_reason"}
    if set(fields) - allowed:
        raise ValueError(f"Cannot change {', '.join(sorted(set(fields) - allowed))} here")
    if "flags" in fields:
        flags = fields["flags"]
        if not isinstance(flags, list | tuple):
            raise ValueError("Flags are given as a list of codes")
        unknown = set(flags) - set(case.panel.flags)
        if unknown:
            raise ValidationError(f"Flags not used by this panel: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=list(fields))
    _audit_change(actor, case, "case detail: " + ", ".join(sorted(fields)), request)
    return case


@transaction.atomic
def change_status(
    case: Case,
    status: str,
    *,
    reason: str,
    actor: User,
    effective_on: date | None = None,
    request: HttpRequest | None = None,
) -> CaseStatusChange:
    """Move a case to ``status``: append to the history and update the current status.

    The case row is locked so two people changing it at once cannot leave the current
    status out of step with the newest history row.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            f"A {locked.get_status_display().lower()} case cannot be "
            f"{CaseStatus(status).label.lower()}"
        )
    if not reason.strip():
        raise ValidationError("Enter the reason for the change")
    effective_on = effective_on or timezone.localdate()
    if effective_on < locked.status_changed_on:
        raise ValidationError("The date cannot be before the case's last status change")
    change = CaseStatusChange.objects.create(
        case=locked,
        status=status,
        reason=reason.strip(),
        effective_on=effective_on,
        changed_at=timezone.now(),
        changed_by=actor,
    )
    closed_on = effective_on if status == CaseStatus.CLOSED else None
    Case.objects.filter(pk=case.pk).update(
        status=status, status_changed_on=effective_on, closed_on=closed_on
    )
    case.status, case.status_changed_on, case.closed_on = status, effective_on, closed_on
    _audit_change(actor, case, f"status {status}", request)
    return change


@transaction.atomic
def assess_risk(
    case: Case,
    *,
    likelihood: int,
    impact: int,
    rationale: str,
    agency: Organisation,
    actor: User,
    assessed_on: date | None = None,
    request: HttpRequest | None = None,
) -> RiskAssessment:
    """Record a structured assessment and set the case's risk level and RAG.

    The RAG reason is generated from the scores so that the append-only RAG history
    (kept after the case is deleted under retention) holds nothing about the person.
    """
    level = risk_level_for(likelihood, impact)
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_on=assessed_on or timezone.localdate(),
        likelihood=likelihood,
        impact=impact,
        level=level,
        rationale=rationale.strip(),
        assessed_by_agency=agency,
        recorded_by=actor,
    )
    Case.objects.filter(pk=case.pk).update(risk_level=level)
    case.risk_level = level
    reason = (
        f"{RiskLevel(level).label} risk: likelihood {likelihood} × impact {impact} "
        f"= {likelihood * impact} ({assessment.assessed_on:%d/%m/%Y})"
    )
    record_rag(case, RagAssessment(status=RISK_RAG[level], reason=reason), actor=actor)
    _audit_change(actor, case, "risk assessment", request)
    return assessment


@transaction.atomic
def record_review(
    case: Case,
    *,
    meeting_date: date,
    summary: str,
    contributions: Sequence[tuple[Organisation, str]],
    actor: User,
    new_assessment: tuple[int, int, str, Organisation] | None = None,
    request: HttpRequest | None = None,
) -> Review:
    """Record a case's discussion at a meeting: what each agency shared, any new risk."""
    before = case.risk_level
    if new_assessment is not None:
        likelihood, impact, rationale, agency = new_assessment
        assess_risk(
            case,
            likelihood=likelihood,
            impact=impact,
            rationale=rationale,
            agency=agency,
            actor=actor,
            assessed_on=meeting_date,
            request=request,
        )
    review = Review.objects.create(
        case=case,
        meeting_date=meeting_date,
        summary=summary.strip(),
        risk_before=before,
        risk_after=case.risk_level,
        recorded_by=actor,
    )
    for organisation, shared in contributions:
        if shared.strip():
            Contribution.objects.create(review=review, organisation=organisation, shared=shared)
    _audit_change(actor, case, "review", request)
    return review


@transaction.atomic
def add_action(
    case: Case,
    *,
    description: str,
    owner_organisation: Organisation,
    due_date: date,
    actor: User,
    owner: Person | None = None,
    review: Review | None = None,
    request: HttpRequest | None = None,
) -> PanelAction:
    if owner is not None and owner.organisation_id != owner_organisation.pk:
        raise ValidationError("The owner must work for the owning organisation")
    action = PanelAction.objects.create(
        case=case,
        review=review,
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    _audit_change(actor, case, "action added", request)
    return action


@transaction.atomic
def complete_action(
    action: PanelAction, *, actor: User, status: str = "done", request: HttpRequest | None = None
) -> PanelAction:
    action.status = status
    action.completed_on = timezone.localdate()
    action.save(update_fields=["status", "completed_on"])
    _audit_change(actor, action.case, f"action {status}", request)
    return action


@transaction.atomic
def record_escalation(
    case: Case,
    *,
    kind: str,
    issued_on: date,
    issued_by: Organisation,
    actor: User,
    expires_on: date | None = None,
    other_detail: str = "",
    notes: str = "",
    request: HttpRequest | None = None,
) -> EscalationStep:
    if not case.panel.has_escalation:
        raise ValidationError("This panel does not use the ASB escalation ladder")
    if expires_on and expires_on < issued_on:
        raise ValidationError("The expiry date must be on or after the date issued")
    step = EscalationStep.objects.create(
        case=case,
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
        issued_by=issued_by,
        other_detail=other_detail,
        notes=notes,
        recorded_by=actor,
    )
    _audit_change(actor, case, f"escalation {kind}", request)
    return step


@transaction.atomic
def record_breach(
    step: EscalationStep,
    *,
    occurred_on: date,
    actor: User,
    notes: str = "",
    request: HttpRequest | None = None,
) -> Breach:
    if occurred_on < step.issued_on:
        raise ValidationError("A breach cannot come before the step was issued")
    breach = Breach.objects.create(step=step, occurred_on=occurred_on, notes=notes)
    _audit_change(actor, step.case, f"breach of {step.kind}", request)
    return breach


# Membership -----------------------------------------------------------------------------


@transaction.atomic
def add_member(
    panel: Panel,
    *,
    person: Person,
    role: str,
    actor: User,
    start_date: date | None = None,
    request: HttpRequest | None = None,
) -> PanelMembership:
    """Ask for a seat for a named person, for their organisation (which must sit on the
    panel). The seat gives no access until someone else approves it
    (:func:`approve_member`): another administrator or the panel's chair or coordinator,
    who is neither the person seated nor the one who asked.

    Nobody asks for a seat for themselves (refused), so nobody grants themselves access
    to personal data, not even an administrator setting up a new panel with no chair:
    the first chair's seat, asked for by one administrator, is approved by a second.
    """
    if person.user_id is not None and person.user_id == actor.pk:
        raise ValidationError(
            "You cannot ask for a seat for yourself: another administrator or the "
            "panel's chair must ask for it"
        )
    if not panel.member_organisations.filter(pk=person.organisation_id).exists():
        raise ValidationError(f"{person.organisation} is not a member organisation of the panel")
    if PanelMembership.objects.filter(panel=panel, person=person, ended_at__isnull=True).exists():
        raise ValidationError(f"{person} already has a seat, or one awaiting approval")
    membership = PanelMembership.objects.create(
        panel=panel,
        person=person,
        organisation_id=person.organisation_id,
        role=role,
        start_date=start_date or timezone.localdate(),
        added_by=actor,
        approved_at=None,
        approved_by=None,
    )
    audit.record(
        AuditAction.PERMISSION_CHANGE,
        actor=actor,
        request=request,
        obj=panel,
        what="panel seat requested (awaits approval)",
        person=person.pk,
        role=role,
        membership=membership.pk,
    )
    return membership


def may_approve(user: User, membership: PanelMembership) -> bool:
    """Another administrator, or the panel's chair or coordinator, who is neither the
    person seated nor the one who asked."""
    from saferboard.panels import access

    return (
        user.is_authenticated
        and membership.approved_at is None
        and membership.ended_at is None
        and user.pk != membership.added_by_id
        and membership.person.user_id != user.pk
        and access.may_manage_members(user, membership.panel)
    )


@transaction.atomic
def approve_member(
    membership: PanelMembership, *, actor: User, request: HttpRequest | None = None
) -> PanelMembership:
    """Approve a seat someone else asked for: it gives access from now."""
    membership = PanelMembership.objects.select_for_update().get(pk=membership.pk)
    if not may_approve(actor, membership):
        raise PermissionDenied(
            "Someone other than the person seated and the one who asked must approve the seat"
        )
    membership.approved_at = timezone.now()
    membership.approved_by = actor
    membership.save(update_fields=["approved_at", "approved_by"])
    audit.record(
        AuditAction.PERMISSION_CHANGE,
        actor=actor,
        request=request,
        obj=membership.panel,
        what="panel seat approved",
        person=membership.person_id,
        role=membership.role,
        membership=membership.pk,
        asked_by=membership.added_by_id,
    )
    return membership


@transaction.atomic
def remove_member(
    membership: PanelMembership, *, actor: User, request: HttpRequest | None = None
) -> PanelMembership:
    """End a seat now: the person's next request no longer sees the panel's cases."""
    membership.ended_at = timezone.now()
    membership.ended_by = actor
    membership.save(update_fields=["ended_at", "ended_by"])
    audit.record(
        AuditAction.PERMISSION_CHANGE,
        actor=actor,
        request=request,
        obj=membership.panel,
        what="panel member removed",
        person=membership.person_id,
    )
    return membership


# Search ---------------------------------------------------------------------------------


def search_by_name(
    cases: Iterable[Case], term: str, *, reason: str, request: HttpRequest
) -> list[Case]:
    """Cases (already scoped to the user) whose person's name contains ``term``.

    The reason is required and recorded; the term itself is not written to the audit
    log, only its keyed fingerprint, so a later subject access request can still find
    the searches that named the person.
    """
    if not reason.strip():
        raise ValidationError("Enter the reason for the search")
    wanted = pseudonyms.normalise_name(term)
    if len(wanted) < 2:
        raise ValidationError("Enter at least 2 letters of the name")
    matches = [
        case for case in cases if wanted in pseudonyms.normalise_name(case.identity.full_name)
    ]
    audit.record(
        AuditAction.READ_PERSONAL_DATA,
        request=request,
        what="search by name",
        reason=reason.strip()[:500],
        term_fingerprint=pseudonyms.term_fingerprint(term),
        cases=[case.reference for case in matches],
        count=len(matches),
    )
    return matches
