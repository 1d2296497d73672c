"""Subject access requests: everything held about one person, as JSON and PDF.

Finding the person is the one deliberate exception to need-to-know (see
:func:`saferboard.panels.access.subject_access_cases`): an administrator answering a
request matches the exact name and date of birth the requester proved, records the
request's reference, and every match and export is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from saferboard.core.models import AuditEvent
from saferboard.panels import pseudonyms
from saferboard.panels.models import Case


def find_cases(full_name: str, date_of_birth: date) -> list[Case]:
    """Cases whose identity has exactly this name (ignoring case, accents, spacing) and
    date of birth. Not scoped: only :func:`access.subject_access_cases` may call it."""
    wanted = pseudonyms.normalise_name(full_name)
    candidates = Case.objects.filter(identity__date_of_birth=date_of_birth).select_related(
        "identity", "panel"
    )
    return [c for c in candidates if pseudonyms.normalise_name(c.identity.full_name) == wanted]


def name_fingerprints(full_name: str) -> set[str]:
    """Fingerprints of the searches that could have named this person: the whole name,
    each part of it, and first + last name."""
    parts = pseudonyms.normalise_name(full_name).split()
    terms = {" ".join(parts), *parts}
    if len(parts) > 2:
        terms.add(f"{parts[0]} {parts[-1]}")
    return {pseudonyms.term_fingerprint(t) for t in terms if t}


def audit_events_about(
    references: Iterable[str], fingerprints: Iterable[str] = ()
) -> QuerySet[AuditEvent]:
    """Audit events naming any of ``references`` (as the object, or in their detail),
    or recording a search whose term had one of ``fingerprints``."""
    query = Q(pk__in=[])
    for reference in references:
        query |= Q(object_repr=reference) | Q(detail__icontains=reference)
    for fingerprint in fingerprints:
        query |= Q(detail__icontains=fingerprint)
    return AuditEvent.objects.filter(query).order_by("at", "pk")


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def case_record(case: Case) -> dict[str, Any]:
    """One case, in full, as plain data."""
    identity = case.identity
    return {
        "reference": case.reference,
        "panel": case.panel.name,
        "panel_type": case.panel.get_type_display(),
        "legal_basis": case.panel.legal_basis,
        "information_sharing_agreement": case.panel.isa_reference,
        "identity": {
            "full_name": identity.full_name,
            "date_of_birth": _d(identity.date_of_birth),
            "address": identity.address,
        },
        "referral": {
            "source": case.referral_source.name,
            "date": _d(case.referral_date),
            "reason": case.referral_reason,
        },
        "lead_agency": case.lead_agency.name if case.lead_agency else None,
        "flags": case.flag_labels(),
        "risk_level": case.get_risk_level_display() or None,
        "status": case.get_status_display(),
        "closed_on": _d(case.closed_on),
        "youth_justice_ref": case.youth_justice_ref or None,
        "ethnicity": case.get_ethnicity_display(),
        "sex": case.get_sex_display(),
        "status_history": [
            {
                "status": s.get_status_display(),
                "effective_on": _d(s.effective_on),
                "reason": s.reason,
                "changed_by": s.changed_by.get_username(),
            }
            for s in case.status_history.select_related("changed_by")
        ],
        "risk_assessments": [
            {
                "assessed_on": _d(a.assessed_on),
                "likelihood": a.likelihood,
                "impact": a.impact,
                "level": a.get_level_display(),
                "rationale": a.rationale,
                "agency": a.assessed_by_agency.name,
            }
            for a in case.assessments.select_related("assessed_by_agency")
        ],
        "reviews": [
            {
                "meeting_date": _d(r.meeting_date),
                "summary": r.summary,
                "risk_before": r.get_risk_before_display() or None,
                "risk_after": r.get_risk_after_display() or None,
                "shared": [
                    {"agency": c.organisation.name, "shared": c.shared}
                    for c in r.contributions.select_related("organisation")
                ],
            }
            for r in case.reviews.order_by("meeting_date", "pk")
        ],
        "actions": [
            {
                "description": a.description,
                "owner_organisation": a.owner_organisation.name,
                "owner": a.owner.full_name if a.owner else None,
                "due_date": _d(a.due_date),
                "status": a.get_status_display(),
                "completed_on": _d(a.completed_on),
            }
            for a in case.actions.select_related("owner_organisation", "owner")
        ],
        "escalation": [
            {
                "step": s.label,
                "issued_on": _d(s.issued_on),
                "expires_on": _d(s.expires_on),
                "issued_by": s.issued_by.name,
                "notes": s.notes,
                "breaches": [
                    {"occurred_on": _d(b.occurred_on), "notes": b.notes} for b in s.breaches.all()
                ],
            }
            for s in case.escalations.select_related("issued_by")
        ],
    }


def audit_record(event: AuditEvent, references: Iterable[str]) -> dict[str, Any]:
    """One audit event for the answer, with other people's references redacted."""
    detail = {k: v for k, v in event.detail.items() if k != "term_fingerprint"}
    if isinstance(detail.get("cases"), list):
        own = set(references)
        named = detail["cases"]
        detail["cases"] = [r for r in named if r in own]
        if len(named) > len(detail["cases"]):
            detail["other_people_redacted"] = len(named) - len(detail["cases"])
    return {
        "at": event.at.isoformat(),
        "action": event.get_action_display(),
        "by": event.actor_label,
        "object": event.object_repr,
        "detail": detail,
    }


def build(full_name: str, cases: list[Case], *, sar_reference: str) -> dict[str, Any]:
    """The whole subject access answer for one person."""
    references = [case.reference for case in cases]
    events = audit_events_about(references, name_fingerprints(full_name))
    return {
        "subject_access_request": sar_reference,
        "produced_at": timezone.now().isoformat(),
        "subject": full_name,
        "cases": [case_record(case) for case in cases],
        "audit_events": [audit_record(event, references) for event in events],
        "notes": [
            "Audit events record who read, searched, exported or changed these records.",
            "Searches by name are recorded by a fingerprint of the search term, not the term.",
            "References to other people in the same events are redacted.",
        ],
    }


def render_pdf(answer: dict[str, Any]) -> bytes:
    """The same answer as an A4 PDF (WeasyPrint), for posting or handing over."""
    from weasyprint import HTML

    html = render_to_string("panels/sar_pdf.html", {"answer": answer})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
