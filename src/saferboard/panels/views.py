"""Panel pages. Thin: load through the scoped queryset, call a service, render.

Every case-level object is loaded from :func:`access.cases_visible_to`, so anything
outside the user's current panels is "not found". Every page that shows identity or
case detail, every search and every export writes an audit event naming the cases by
pseudonymous reference.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core import audit
from saferboard.core.editing import save_or_show, save_posted
from saferboard.core.models import AuditAction
from saferboard.core.pages import render_page
from saferboard.core.spreadsheet_cells import safe_text
from saferboard.panels import access, board, services, subject_access
from saferboard.panels.forms import (
    ActionForm,
    AssessmentForm,
    AuditSearchForm,
    BreachForm,
    EscalationForm,
    MemberForm,
    ReferralForm,
    ReviewForm,
    SearchForm,
    StatusForm,
    SubjectAccessForm,
)
from saferboard.panels.models import (
    ActionStatus,
    Case,
    CaseStatus,
    EscalationStep,
    Panel,
    PanelAction,
    PanelMembership,
)
from saferboard.panels.setup_views import may_set_up_panels

GET_POST = require_http_methods(["GET", "POST"])
EXPORT_FORMATS = [("json", "Download JSON"), ("pdf", "Download PDF")]


def _refused(request: HttpRequest, obj: Model | None, **asked: object) -> Http404:
    """Audit a refused attempt to read personal data ("access refused", on the audit log
    page for administrators) and return the 404 to raise: the answer does not say
    whether the thing exists, the log does."""
    audit.record(
        AuditAction.ACCESS_REFUSED,
        request=request,
        obj=obj,
        path=request.path[:200],
        method=request.method,
        **asked,
    )
    return Http404()


def _member_panel(request: HttpRequest, slug: str) -> Panel:
    panel = access.panels_where_member(request.user).filter(slug=slug).first()  # type: ignore[arg-type]
    if panel is None:
        raise _refused(request, Panel.objects.filter(slug=slug).first(), panel=slug[:100])
    return panel


def _case(request: HttpRequest, reference: str) -> Case:
    """The case, if the user may see it now; otherwise 404 (audited as refused)."""
    case = (
        access.cases_visible_to(request.user)  # type: ignore[arg-type]
        .select_related("identity", "panel", "referral_source", "lead_agency")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise _refused(
            request, Case.objects.filter(reference=reference).first(), case=reference[:40]
        )
    return case


def _administrator(request: HttpRequest) -> None:
    if not request.user.is_administrator:  # type: ignore[union-attr]
        raise _refused(request, None, page="administrators only")


# Panels ---------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every panel, with a link to its list for members and to its aggregates for all."""
    member_of = access.member_panel_ids(request.user)  # type: ignore[arg-type]
    panels = Panel.objects.filter(is_active=True).order_by("name")
    rows = [{"panel": p, "member": p.pk in member_of} for p in panels]
    return render_page(
        request,
        "panels/index.html",
        {
            "rows": rows,
            "is_administrator": request.user.is_administrator,  # type: ignore[union-attr]
            "may_set_up": may_set_up_panels(request.user),  # type: ignore[arg-type]
        },
    )


@require_GET
def panel_cases(request: HttpRequest, slug: str) -> HttpResponse:
    """The panel's list with identities: current members only."""
    panel = _member_panel(request, slug)
    show = request.GET.get("show", "on-list")
    cases = (
        access.cases_visible_to(request.user)  # type: ignore[arg-type]
        .filter(panel=panel)
        .select_related("identity", "lead_agency")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PanelAction.objects.filter(status=ActionStatus.OPEN).order_by("due_date"),
                to_attr="open_actions",
            )
        )
        .order_by("reference")
    )
    if show == "on-list":
        cases = cases.on_list()
    elif show in CaseStatus.values:
        cases = cases.filter(status=show)
    else:
        show = "all"
    cases = list(cases)
    services.audit_cases(request, panel, cases, f"panel list ({show})")
    today = timezone.localdate()
    return render_page(
        request,
        "panels/panel_cases.html",
        {
            "panel": panel,
            "cases": cases,
            "show": show,
            "today": today,
            "filters": [("on-list", "On the list"), *CaseStatus.choices, ("all", "All")],
            "summary": board.panel_aggregates(panel, today, publish=False),
            "runs_panel": access.runs_panel(request.user, panel),  # type: ignore[arg-type]
            "may_manage": access.may_manage_members(request.user, panel),  # type: ignore[arg-type]
        },
    )


@require_GET
def aggregates(request: HttpRequest, slug: str) -> HttpResponse:
    """What leaves the panel: counts and make-up with small numbers suppressed."""
    panel = get_object_or_404(Panel, slug=slug, is_active=True)
    return render_page(
        request,
        "panels/aggregates.html",
        {"panel": panel, "agg": board.panel_aggregates(panel, timezone.localdate())},
    )


def _record_risk(
    request: HttpRequest, case: Case, data: dict[str, Any], *, assessed_on: Any
) -> None:
    """Record the risk assessment a referral or assessment form holds, by the user."""
    services.assess_risk(
        case,
        likelihood=data["likelihood"],
        impact=data["impact"],
        rationale=data["rationale"],
        agency=data["agency"],
        assessed_on=assessed_on,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )


@GET_POST
def refer(request: HttpRequest, slug: str) -> HttpResponse:
    panel = _member_panel(request, slug)
    form = ReferralForm(request.POST or None, panel=panel)
    referred: list[Case] = []

    def save(data: dict[str, Any]) -> str:
        case = services.refer_case(
            panel=panel,
            actor=request.user,  # type: ignore[arg-type]
            identity=services.Identity(data["full_name"], data["date_of_birth"], data["address"]),
            referral_source=data["referral_source"],
            referral_date=data["referral_date"],
            referral_reason=data["referral_reason"],
            flags=data["flags"],
            lead_agency=data["lead_agency"],
            ethnicity=data["ethnicity"],
            sex=data["sex"],
            youth_justice_ref=data["youth_justice_ref"],
            request=request,
        )
        referred.append(case)
        if data.get("likelihood"):
            _record_risk(request, case, data, assessed_on=data["referral_date"])
        return f"Referral added as {case.reference}"

    saved = save_posted(
        request, form, save, then=lambda: reverse("panels:case", args=[referred[0].reference])
    )
    if saved is not None:
        return saved
    return _form_page(
        request,
        form,
        title=f"Refer someone to the {panel.name}",
        back=reverse("panels:panel", args=[panel.slug]),
        submit="Add referral",
        sections=[
            ("The person", ["full_name", "date_of_birth", "address", "ethnicity", "sex"]),
            (
                "The referral",
                [
                    "referral_source",
                    "referral_date",
                    "referral_reason",
                    "lead_agency",
                    "flags",
                    "youth_justice_ref",
                ],
            ),
            ("First risk assessment (optional)", ["likelihood", "impact", "rationale", "agency"]),
        ],
        panel=panel,
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    submit: str,
    sections: list[tuple[str, list[str]]] | None = None,
    **extra: Any,
) -> HttpResponse:
    if sections is None:
        sections = [("", list(form.fields))]
    grouped = [(heading, [form[name] for name in names]) for heading, names in sections]
    return render_page(
        request,
        "panels/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "sections": grouped,
            **extra,
        },
    )


@GET_POST
def search(request: HttpRequest, slug: str) -> HttpResponse:
    """Search the panel's cases by name: a reason is required and audited."""
    panel = _member_panel(request, slug)
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        cases = (
            access.cases_visible_to(request.user)  # type: ignore[arg-type]
            .filter(panel=panel)
            .select_related("identity")
        )
        try:
            results = services.search_by_name(
                cases,
                form.cleaned_data["name"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
    return render_page(
        request, "panels/search.html", {"panel": panel, "form": form, "results": results}
    )


@require_GET
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The panel's list with identities as CSV, for members: audited as an export."""
    panel = _member_panel(request, slug)
    cases = list(
        access.cases_visible_to(request.user)  # type: ignore[arg-type]
        .filter(panel=panel)
        .on_list()
        .select_related("identity", "lead_agency")
        .order_by("reference")
    )
    services.audit_cases(request, panel, cases, "panel list CSV", action=AuditAction.EXPORT)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Reference",
            "Name",
            "Date of birth",
            "Status",
            "Risk",
            "Flags",
            "Lead agency",
            "Referral date",
        ]
    )
    for case in cases:
        writer.writerow(
            [
                safe_text(case.reference),
                safe_text(case.identity.full_name),
                case.identity.date_of_birth.isoformat(),
                case.get_status_display(),
                case.get_risk_level_display(),
                safe_text("; ".join(case.flag_labels())),
                safe_text(case.lead_agency.name) if case.lead_agency else "",
                case.referral_date.isoformat(),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{panel.slug}-list-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@GET_POST
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Who sits on the panel: administrators and the panel's chair or coordinator."""
    panel = get_object_or_404(Panel, slug=slug)
    if not access.may_manage_members(request.user, panel):  # type: ignore[arg-type]
        raise Http404
    form = MemberForm(request.POST or None, panel=panel)

    def save(data: dict[str, Any]) -> str:
        membership = services.add_member(
            panel,
            person=data["person"],
            role=data["role"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return (
            f"A seat for {membership.person} is asked for: another administrator or "
            "the panel's chair must approve it before they can see the list"
        )

    def page() -> dict[str, Any]:
        memberships = panel.memberships.select_related("person", "organisation").order_by(
            "person__full_name", "start_date"
        )
        now = timezone.now()
        return {
            "panel": panel,
            "form": form,
            "current": [m for m in memberships if m.is_current(now)],
            "past": [
                m
                for m in memberships
                if not m.is_current(now) and not (m.approved_at is None and m.ended_at is None)
            ],
            "awaiting": [
                (m, services.may_approve(request.user, m))  # type: ignore[arg-type]
                for m in memberships
                if m.approved_at is None and m.ended_at is None
            ],
        }

    return save_or_show(
        request,
        form,
        save,
        then=reverse("panels:members", args=[panel.slug]),
        template="panels/members.html",
        context=page,
    )


@require_POST
def approve_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Approve a seat someone else asked for (not one's own seat, nor one's own request)."""
    panel = get_object_or_404(Panel, slug=slug)
    if not access.may_manage_members(request.user, panel):  # type: ignore[arg-type]
        raise Http404
    membership = get_object_or_404(PanelMembership.objects.awaiting_approval(), panel=panel, pk=pk)
    if not services.may_approve(request.user, membership):  # type: ignore[arg-type]
        raise PermissionDenied(
            "Someone other than the person seated and the one who asked must approve the seat"
        )
    services.approve_member(membership, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, f"{membership.person}'s seat on the panel approved")
    return redirect("panels:members", slug=panel.slug)


@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    panel = get_object_or_404(Panel, slug=slug)
    if not access.may_manage_members(request.user, panel):  # type: ignore[arg-type]
        raise Http404
    membership = get_object_or_404(
        PanelMembership.objects.current() | PanelMembership.objects.awaiting_approval(),
        panel=panel,
        pk=pk,
    )
    services.remove_member(membership, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, f"{membership.person} removed from the panel")
    return redirect("panels:members", slug=panel.slug)


# Cases ----------------------------------------------------------------------------------


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.audit_case_read(request, case, "case record")
    today = timezone.localdate()
    return render_page(
        request,
        "panels/case_detail.html",
        {
            "case": case,
            "panel": case.panel,
            "age": case.identity.age_on(today),
            "today": today,
            "history": case.status_history.select_related("changed_by"),
            "assessments": case.assessments.select_related("assessed_by_agency").order_by(
                "-assessed_on", "-pk"
            ),
            "reviews": case.reviews.prefetch_related("contributions__organisation"),
            "actions": case.actions.select_related("owner", "owner_organisation"),
            "escalations": case.escalations.select_related("issued_by").prefetch_related(
                "breaches"
            ),
            "runs_panel": access.runs_panel(request.user, case.panel),  # type: ignore[arg-type]
        },
    )


def _case_form(
    request: HttpRequest,
    case: Case,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], str],
    reading: str,
    error_field: str | None = None,
    **page: Any,
) -> HttpResponse:
    """What every form on a case does: on a valid post, ``save`` the cleaned data and go
    back to the case with the message it returns (a ValidationError from the service is
    shown on ``error_field``, or above the form); otherwise audit that the case was read
    through the form named ``reading`` and show the form."""
    back = reverse("panels:case", args=[case.reference])
    saved = save_posted(request, form, save, then=back, field=error_field)
    if saved is not None:
        return saved
    services.audit_case_read(request, case, reading)
    return _form_page(request, form, back=back, case=case, **page)


@GET_POST
def change_status(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not access.runs_panel(request.user, case.panel):  # type: ignore[arg-type]
        raise PermissionDenied
    if not services.TRANSITIONS[case.status]:
        messages.info(request, "A closed case cannot change status: refer the person again")
        return redirect("panels:case", reference=case.reference)

    def save(data: dict[str, Any]) -> str:
        services.change_status(
            case,
            data["status"],
            reason=data["reason"],
            effective_on=data["effective_on"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return f"{case.reference} is now {case.get_status_display()}"

    return _case_form(
        request,
        case,
        StatusForm(request.POST or None, case=case),
        save=save,
        reading="status form",
        title=f"Change the status of {case.reference}",
        submit="Change status",
    )


@GET_POST
def assess(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)

    def save(data: dict[str, Any]) -> str:
        _record_risk(request, case, data, assessed_on=data["assessed_on"])
        return f"Risk assessment recorded for {case.reference}"

    return _case_form(
        request,
        case,
        AssessmentForm(request.POST or None, panel=case.panel),
        save=save,
        reading="assessment form",
        title=f"Assess the risk for {case.reference}",
        submit="Record assessment",
        sections=[("", ["agency", "assessed_on", "likelihood", "impact", "rationale"])],
        scoring_help=True,
    )


@GET_POST
def review(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = ReviewForm(request.POST or None, panel=case.panel)

    def save(data: dict[str, Any]) -> str:
        new = (
            (data["likelihood"], data["impact"], data["rationale"], data["agency"])
            if data.get("likelihood")
            else None
        )
        services.record_review(
            case,
            meeting_date=data["meeting_date"],
            summary=data["summary"],
            contributions=form.contributions(),
            new_assessment=new,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return f"Review recorded for {case.reference}"

    rows = [name for n in range(1, 4) for name in (f"agency_{n}", f"shared_{n}")]
    return _case_form(
        request,
        case,
        form,
        save=save,
        reading="review form",
        title=f"Record a review of {case.reference}",
        submit="Record review",
        sections=[
            ("", ["meeting_date", "summary"]),
            ("What each agency shared", rows),
            ("Change in risk (optional)", ["agency", "likelihood", "impact", "rationale"]),
        ],
        scoring_help=True,
    )


@GET_POST
def add_action(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)

    def save(data: dict[str, Any]) -> str:
        services.add_action(
            case,
            description=data["description"],
            owner_organisation=data["owner_organisation"],
            owner=data["owner"],
            due_date=data["due_date"],
            review=case.reviews.first(),
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return f"Action added for {case.reference}"

    return _case_form(
        request,
        case,
        ActionForm(request.POST or None, panel=case.panel),
        save=save,
        reading="action form",
        title=f"Add an action for {case.reference}",
        submit="Add action",
    )


@require_POST
def complete_action(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    action = get_object_or_404(case.actions.filter(status=ActionStatus.OPEN), pk=pk)
    services.complete_action(action, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, "Action marked as done")
    return redirect("panels:case", reference=case.reference)


@GET_POST
def add_escalation(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not case.panel.has_escalation:
        raise Http404

    def save(data: dict[str, Any]) -> str:
        services.record_escalation(
            case,
            kind=data["kind"],
            other_detail=data["other_detail"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            issued_by=data["issued_by"],
            notes=data["notes"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return f"Escalation step recorded for {case.reference}"

    return _case_form(
        request,
        case,
        EscalationForm(request.POST or None, panel=case.panel),
        save=save,
        reading="escalation form",
        title=f"Record an escalation step for {case.reference}",
        submit="Record step",
        sections=[("", ["kind", "other_detail", "issued_by", "issued_on", "expires_on", "notes"])],
    )


@GET_POST
def add_breach(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    step: EscalationStep = get_object_or_404(case.escalations, pk=pk)

    def save(data: dict[str, Any]) -> str:
        services.record_breach(
            step,
            occurred_on=data["occurred_on"],
            notes=data["notes"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
        return f"Breach recorded for {case.reference}"

    return _case_form(
        request,
        case,
        BreachForm(request.POST or None),
        save=save,
        reading="breach form",
        error_field="occurred_on",
        title=f"Record a breach of the {step.label.lower()}",
        submit="Record breach",
    )


# Subject access and the audit trail (administrators) -----------------------------------


@GET_POST
def subject_access_request(request: HttpRequest) -> HttpResponse:
    """Find one person's records (exact name and date of birth) and export them."""
    _administrator(request)
    form = SubjectAccessForm(request.POST or None)
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = access.subject_access_cases(
            request.user,  # type: ignore[arg-type]
            data["full_name"],
            data["date_of_birth"],
        )
        wanted = request.POST.get("format")
        if wanted in {"json", "pdf"}:
            return _subject_access_export(request, data, matches, wanted)
        services.audit_cases(
            request,
            None,
            matches,
            "subject access search",
            sar_reference=data["sar_reference"],
        )
    return render_page(
        request,
        "panels/subject_access.html",
        {"form": form, "matches": matches, "formats": EXPORT_FORMATS},
    )


def _subject_access_export(
    request: HttpRequest, data: dict[str, Any], matches: list[Case], wanted: str
) -> HttpResponse:
    answer = subject_access.build(data["full_name"], matches, sar_reference=data["sar_reference"])
    services.audit_cases(
        request,
        None,
        matches,
        f"subject access export ({wanted.upper()})",
        action=AuditAction.EXPORT,
        sar_reference=data["sar_reference"],
    )
    stamp = f"{timezone.localdate():%Y-%m-%d}"
    name = f"subject-access-{_slug(data['sar_reference'])}-{stamp}"
    if wanted == "json":
        response = HttpResponse(
            json.dumps(answer, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    else:
        response = HttpResponse(subject_access.render_pdf(answer), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _slug(value: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in value)[:40] or "request"


@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    """Audit events about one case, by its pseudonymous reference."""
    _administrator(request)
    form = AuditSearchForm(request.GET or None)
    events = None
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        events = list(subject_access.audit_events_about([reference]).select_related("actor"))
        audit.record(
            AuditAction.READ_PERSONAL_DATA,
            request=request,
            what="audit log search by case",
            cases=[reference],
            count=len(events),
        )
    return render_page(request, "panels/audit_search.html", {"form": form, "events": events})
