"""Action plan pages: plans, their roll-up, actions, updates, import and export.

Views are thin: they check who may do what (:mod:`saferboard.actions.access`), call
the services, and render. Another organisation's restricted plan is a 404.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.actions import access, export
from saferboard.actions.completion import can_accept, pending_proposal
from saferboard.actions.forms import (
    ActionForm,
    CloseForm,
    ImportUploadForm,
    MappingForm,
    PlanForm,
    RecommendationForm,
    ReviewForm,
    StepForm,
    UpdateForm,
)
from saferboard.actions.importing import (
    TableError,
    commit_plan,
    guess_mapping,
    parse_plan,
    read_table,
)
from saferboard.actions.models import (
    Action,
    ActionPlan,
    PlanKind,
    ProposalState,
    Recommendation,
)
from saferboard.actions.rollup import count_rag
from saferboard.actions.services import (
    add_action,
    add_step,
    blue_proposed_ids,
    close_action,
    evidence_for,
    plan_summary,
    record_review,
    record_update,
    reopen_action,
    set_step,
)
from saferboard.core import audit
from saferboard.core.errors import FieldError
from saferboard.core.guards import require
from saferboard.core.models import AuditAction, Organisation
from saferboard.core.pages import AppPages
from saferboard.core.partnerships import current_partnership
from saferboard.core.rag import RagAssessment, rag_history
from saferboard.core.redirects import safe_next

SESSION_KEY = "actions_import"


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    plans = ActionPlan.objects.visible_to(request.user).select_related("owner", "partnership")
    return get_object_or_404(plans, pk=pk)


def _action(request: HttpRequest, plan_pk: int, reference: str) -> Action:
    plan = _plan(request, plan_pk)
    return get_object_or_404(
        Action.objects.select_related("plan", "recommendation", "closed_by"),
        plan=plan,
        reference=reference,
    )


_render = AppPages("can_manage", access.can_manage)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    plans = list(
        ActionPlan.objects.visible_to(request.user)
        .select_related("owner")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("plan", "rag_status")))
        .order_by("kind", "title")
    )
    rows = [(plan, count_rag(a.rag_status for a in plan.actions.all())) for plan in plans]
    return _render(
        request,
        "actions/index.html",
        {
            "plans": [r for r in rows if r[0].kind != PlanKind.BOARD_LOG],
            "logs": [r for r in rows if r[0].kind == PlanKind.BOARD_LOG],
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    require(request, access.can_manage)
    partnership = current_partnership()
    form = PlanForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        plan = ActionPlan.objects.create(partnership=partnership, **form.cleaned_data)
        messages.success(request, f"Plan ‘{plan.title}’ created")
        return redirect("actions:plan", pk=plan.pk)
    return _render(request, "actions/plan_form.html", {"form": form})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    summary = plan_summary(plan)
    actions = list(
        plan.actions.select_related("recommendation").prefetch_related(
            "lead_people", "lead_organisations", "steps"
        )
    )
    recommendations = []
    for rec in plan.recommendations.all():
        recommendations.append((rec, [a for a in actions if a.recommendation_id == rec.pk]))
    loose = [a for a in actions if a.recommendation_id is None]
    proposed = blue_proposed_ids(plan)
    for a in actions:
        a.blue_proposed = a.pk in proposed  # type: ignore[attr-defined]  # for the tables
    board = getattr(plan, "board", None) if plan.is_board_log else None
    return _render(
        request,
        "actions/plan_detail.html",
        {
            "plan": plan,
            "summary": summary,
            "recommendations": recommendations,
            "loose": loose,
            "board": board,
            "review_form": ReviewForm(),
            "changes": summary.changes[:50],
            "awaiting_board": [a for a in actions if a.pk in proposed],
            "inspection": getattr(plan, "inspection", None),
        },
    )


@require_POST
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    require(request, access.can_manage)
    form = ReviewForm(request.POST)
    form.is_valid()
    record_review(plan, user=request.user, note=form.cleaned_data.get("note", ""))  # type: ignore[arg-type]
    messages.success(request, "Review recorded: changes will now be counted from today")
    return redirect("actions:plan", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    require(request, access.can_manage)
    form = RecommendationForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        Recommendation.objects.create(plan=plan, **form.cleaned_data)
        messages.success(request, f"Recommendation {form.cleaned_data['number']} added")
        return redirect("actions:plan", pk=plan.pk)
    return _render(request, "actions/recommendation_form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    require(request, access.can_manage)
    initial = {}
    if rec := request.GET.get("recommendation"):
        initial["recommendation"] = rec
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        steps = [line.strip() for line in data.pop("steps").splitlines() if line.strip()]
        action = add_action(plan, steps=steps, **data)
        messages.success(request, f"Action {action.reference} added")
        return redirect("actions:action", pk=plan.pk, reference=action.reference)
    return _render(request, "actions/action_form.html", {"form": form, "plan": plan})


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    action = _action(request, pk, reference)
    require(request, access.can_manage)
    plan = action.plan
    initial = {
        "recommendation": action.recommendation_id,
        "description": action.description,
        "intended_outcome": action.intended_outcome,
        "lead_people": [p.pk for p in action.lead_people.all()],
        "lead_organisations": [o.pk for o in action.lead_organisations.all()],
        "commence_date": action.commence_date,
        "completion_date": action.completion_date,
        "ongoing": action.ongoing,
        "review_cadence": action.review_cadence,
        "notes": action.notes,
    }
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    del form.fields["steps"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for name in (
            "description",
            "intended_outcome",
            "commence_date",
            "completion_date",
            "ongoing",
            "review_cadence",
            "notes",
        ):
            setattr(action, name, data[name])
        if "recommendation" in data:
            action.recommendation = data["recommendation"]
        action.save()
        action.lead_people.set(data["lead_people"])
        action.lead_organisations.set(data["lead_organisations"])
        messages.success(request, f"Action {action.reference} saved")
        return redirect("actions:action", pk=plan.pk, reference=action.reference)
    return _render(
        request, "actions/action_form.html", {"form": form, "plan": plan, "action": action}
    )


# Which field of the update form shows each of record_update's problems.
_UPDATE_FIELDS = {"text": "text", "reason": "rag_reason", "evidence": "evidence"}
# Which field of the close form shows each of close_action's errors (FieldError.field).
_CLOSE_FIELDS = {"reason": "reason"}


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """The action, its checklist and history; leads and managers record progress here."""
    action = _action(request, pk, reference)
    user = request.user
    can_update = access.can_update(user, action)  # type: ignore[arg-type]
    forms = {
        "update_form": UpdateForm(),
        "close_form": CloseForm(),
        "step_form": StepForm(),
    }
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        which = request.POST.get("form")
        if which == "update":
            forms["update_form"] = form = UpdateForm(request.POST, request.FILES)
            saved = _post_update(request, action, form)
            if saved is not None:
                return saved
        elif which == "close":
            form = CloseForm(request.POST)
            forms["close_form"] = form
            if form.is_valid():
                if not access.can_manage(user) and not access.is_lead(user, action):  # type: ignore[arg-type]
                    raise PermissionDenied
                try:
                    close_action(action, user=user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
                except FieldError as error:
                    form.add_error(_CLOSE_FIELDS[error.field], error.message)
                else:
                    messages.success(request, f"Action {action.reference} closed")
                    return redirect(safe_next(request, request.POST.get("next"), request.path))
        elif which == "reopen":
            require(request, access.can_manage)
            reopen_action(action, user=user, reason=request.POST.get("reason", "") or "Reopened")  # type: ignore[arg-type]
            messages.success(request, f"Action {action.reference} reopened")
            return redirect(request.path)
        elif which == "step":
            form = StepForm(request.POST)
            forms["step_form"] = form
            if form.is_valid():
                add_step(action, form.cleaned_data["text"])
                messages.success(request, "Progress step added")
                return redirect(request.path)
        elif which == "steps":
            done = set(request.POST.getlist("done"))
            for step in action.steps.all():
                set_step(step, user=user, done=str(step.pk) in done)  # type: ignore[arg-type]
            messages.success(request, "Progress steps saved")
            return redirect(request.path)
        else:
            raise Http404
    all_forms = [f for f in forms.values() if f.is_bound]
    return _render(
        request,
        "actions/action_detail.html",
        {
            "plan": action.plan,
            "action": action,
            "steps": action.steps.all(),
            "updates": action.updates.select_related("by").order_by("-at", "-pk"),
            "rag_history": list(reversed(rag_history(action))),
            "evidence": evidence_for(action),
            "can_update": can_update,
            "proposal": pending_proposal(action),
            "can_accept": can_accept(user),  # type: ignore[arg-type]
            "decided_proposals": action.blue_proposals.exclude(state=ProposalState.PENDING),
            "minute_items": action.minute_items.select_related("meeting", "board"),
            "errors": any(f.errors for f in all_forms),
            "error_form": next((f for f in all_forms if f.errors), None),
            **forms,
        },
        status=200,
    )


def _post_update(request: HttpRequest, action: Action, form: UpdateForm) -> HttpResponse | None:
    """Record a posted progress update (with a proposed RAG and evidence, if given);
    None when the form is to be shown again with what is wrong on it."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    proposed = None
    if data["rag_status"]:
        proposed = RagAssessment(status=data["rag_status"], reason=data["rag_reason"])
    uploads = [data["evidence"]] if data["evidence"] else []
    try:
        result = record_update(
            action,
            user=request.user,  # type: ignore[arg-type]
            text=data["text"],
            proposed=proposed,  # type: ignore[arg-type]
            evidence=uploads,
            request=request,
        )
    except FieldError as error:  # e.g. the evidence file was refused
        form.add_error(_UPDATE_FIELDS[error.field], error.message)
        return None
    if result.problems:
        for problem in result.problems:
            form.add_error(_UPDATE_FIELDS[problem.field], problem.message)
        return None
    done = f"Action {action.reference} updated"
    if result.proposal is not None:
        done += ": Blue proposed, for the board to accept"
    messages.success(request, done)
    return redirect(request.path)


# Import ---------------------------------------------------------------------------


def _import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "files" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY)
    if not state:
        raise Http404
    return state


def _pending_table(state: dict[str, Any]):  # type: ignore[no-untyped-def]
    data = (_import_dir() / state["token"]).read_bytes()
    return read_table(state["file_name"], data)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the spreadsheet and the plan it becomes."""
    require(request, access.can_manage)
    partnership = current_partnership()
    form = ImportUploadForm(request.POST or None, request.FILES or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        data = upload.read()
        name = Path(upload.name or "upload").name
        try:
            table = read_table(name, data)
        except TableError as error:
            form.add_error("spreadsheet", str(error))
        else:
            token = secrets.token_hex(16) + Path(name).suffix.lower()
            (_import_dir() / token).write_bytes(data)
            request.session[SESSION_KEY] = {
                "token": token,
                "file_name": name,
                "title": form.cleaned_data["title"],
                "kind": form.cleaned_data["kind"],
                "owner": form.cleaned_data["owner"].pk,
                "description": form.cleaned_data["description"],
                "restricted": form.cleaned_data["restricted"],
                "mapping": guess_mapping(table.headers),
            }
            return redirect("actions:import-mapping")
    return _render(request, "actions/import_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest) -> HttpResponse:
    """Step 2: which field each column holds."""
    require(request, access.can_manage)
    state = _pending(request)
    table = _pending_table(state)
    form = MappingForm(
        request.POST or None, headers=table.headers, initial_mapping=state["mapping"]
    )
    if request.method == "POST" and form.is_valid():
        state["mapping"] = form.mapping()
        request.session[SESSION_KEY] = state
        return redirect("actions:import-preview")
    samples = [
        next((cells[i] for _, cells in table.rows if cells[i]), "")
        for i in range(len(table.headers))
    ]
    return _render(
        request,
        "actions/import_mapping.html",
        {
            "form": form,
            "table": table,
            "state": state,
            "columns": list(zip(form, samples, strict=True)),
        },
    )


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    """Step 3: what would be imported, or every problem; commit imports all or nothing."""
    require(request, access.can_manage)
    state = _pending(request)
    partnership = current_partnership()
    table = _pending_table(state)
    parsed = parse_plan(table, state["mapping"], partnership)
    if request.method == "POST" and not parsed.errors:
        owner = get_object_or_404(Organisation, pk=state["owner"], partnership=partnership)
        plan = commit_plan(
            parsed,
            partnership=partnership,
            title=state["title"],
            kind=state["kind"],
            owner=owner,
            user=request.user,  # type: ignore[arg-type]
            file_name=state["file_name"],
        )
        if state["description"] or state["restricted"]:
            plan.description = state["description"]
            plan.restricted = state["restricted"]
            plan.save(update_fields=["description", "restricted"])
        (_import_dir() / state["token"]).unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            f"Imported {len(parsed.recommendations)} recommendations and "
            f"{parsed.action_count} actions",
        )
        return redirect("actions:plan", pk=plan.pk)
    return _render(
        request,
        "actions/import_preview.html",
        {"parsed": parsed, "state": state, "table": table},
        status=200,
    )


# Export ---------------------------------------------------------------------------


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = _plan(request, pk)
    doc = export.plan_document(plan, timezone.localdate())
    audit.record(AuditAction.EXPORT, request=request, obj=plan, what=f"action plan {kind}")
    if kind == "xlsx":
        body = export.to_xlsx(doc)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = export.to_docx(doc)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="action-plan-{plan.pk}.{kind}"'
    return response


@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@require_GET
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")
