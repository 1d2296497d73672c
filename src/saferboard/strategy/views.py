"""Strategy pages: rounds, my returns, the update form, review, chasing and reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core import audit
from saferboard.core.models import AuditAction, RagEntry
from saferboard.core.pages import AppPages
from saferboard.core.partnerships import current_partnership
from saferboard.strategy import report as reports
from saferboard.strategy.content import Figures
from saferboard.strategy.corrections import Correction, correct_update
from saferboard.strategy.forms import (
    RAG_CHOICES,
    RAG_HINTS,
    CorrectionForm,
    OpenRoundForm,
    ReviewForm,
    UpdateForm,
    line_changes,
)
from saferboard.strategy.models import (
    Commitment,
    Contribution,
    PartnerUpdate,
    Priority,
    ReportingRound,
    Strategy,
    UpdateState,
)
from saferboard.strategy.permissions import (
    editable_updates,
    is_board_member,
    is_coordinator,
    is_partner_lead,
    partner_lead_organisation_ids,
    readable_updates,
    reviewable_updates,
)
from saferboard.strategy.reminders import send_reminders
from saferboard.strategy.services import (
    StaleVersion,
    UpdateChanges,
    actor_kind,
    close_round,
    ensure_updates,
    improves,
    last_accepted_rating,
    last_accepted_update,
    open_round,
    rateable_lines,
    returns_by_organisation,
    review_update,
    reviewer_needed,
    save_update,
    submission_problems,
)
from saferboard.strategy.settings_views import can_set_up_strategy
from saferboard.strategy.workflow import Action, State, TransitionRefused

STALE_MESSAGE = (
    "Someone else saved this update after you opened it, so your changes have not been "
    "saved. Your text is kept below; the saved version is shown for comparison. Check it, "
    "then save again."
)


_render = AppPages("is_coordinator", is_coordinator)


def _require_coordinator(request: HttpRequest) -> None:
    if not is_coordinator(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


def _strategy() -> Strategy:
    partnership = current_partnership()
    strategy = Strategy.objects.filter(partnership=partnership).first() if partnership else None
    if strategy is None:
        raise Http404("No strategy has been set up")
    return strategy


# Index, rounds ---------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    partnership = current_partnership()
    strategy = Strategy.objects.filter(partnership=partnership).first() if partnership else None
    rounds = (
        strategy.rounds.prefetch_related("substantive_priorities").order_by(
            "-financial_year", "-quarter"
        )
        if strategy
        else ReportingRound.objects.none()
    )
    return _render(
        request,
        "strategy/index.html",
        {
            "strategy": strategy,
            "rounds": rounds,
            "priorities": strategy.priorities.prefetch_related(
                Prefetch("commitments", queryset=Commitment.objects.filter(parent__isnull=True))
            )
            if strategy
            else [],
            "is_partner_lead": is_partner_lead(request.user),
            "can_set_up": can_set_up_strategy(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    strategy = _strategy()
    taken = {f"{r.financial_year}-{r.quarter}" for r in strategy.rounds.all()}
    form = OpenRoundForm(request.POST or None, strategy=strategy, taken=taken)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round = open_round(
            strategy,
            financial_year=data["financial_year"],
            quarter=data["quarter_number"],
            deadline=data["deadline"],
            substantive=data["substantive"],
            is_end_of_year=data["is_end_of_year"],
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            f"The {round.label} round is open with {round.updates.count()} returns. "
            "Partner leads have been emailed.",
        )
        return redirect("strategy:round", pk=round.pk)
    return _render(request, "strategy/round_new.html", {"form": form, "strategy": strategy})


def _round(pk: int) -> ReportingRound:
    return get_object_or_404(
        ReportingRound.objects.select_related("strategy__partnership", "opened_by"), pk=pk
    )


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(pk)
    in_scope = round.priorities_in_scope().order_by("number")
    substantive = set(round.substantive_priorities.values_list("pk", flat=True))
    counts = {s.value: 0 for s in State}
    for state in round.updates.values_list("state", flat=True):
        counts[state] += 1
    return _render(
        request,
        "strategy/round_detail.html",
        {
            "round": round,
            "priorities": [(p, p.pk in substantive) for p in in_scope],
            "counts": [(State(s).label, n) for s, n in counts.items()],
            "total": sum(counts.values()),
        },
    )


@require_GET
def round_returns(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    round = _round(pk)
    if round.is_open:
        ensure_updates(round)
    today = timezone.localdate()
    return _render(
        request,
        "strategy/round_returns.html",
        {
            "round": round,
            "organisations": returns_by_organisation(round, today),
            "today": today,
            "reminders": round.reminders.select_related("organisation", "sent_by")[:30],
            "outstanding": round.updates.outstanding().count(),
            "states": [(s.value, s.label) for s in State],
        },
    )


@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    round = _round(pk)
    if not round.is_open:
        messages.error(request, "This round is closed: there is no one to remind")
        return redirect("strategy:round-returns", pk=round.pk)
    sent = send_reminders(round, actor=request.user, via="web")  # type: ignore[arg-type]
    emailed = [r for r in sent if r.recipients]
    missing = [r.organisation.name for r in sent if not r.recipients]
    if not sent:
        messages.success(request, "Every return is in: no reminders were needed")
    else:
        text = f"Reminders sent to {len(emailed)} partner organisation" + (
            "" if len(emailed) == 1 else "s"
        )
        if missing:
            text += f". No partner lead email address for: {', '.join(missing)}"
        messages.success(request, text)
    return redirect("strategy:round-returns", pk=round.pk)


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinator(request)
    round = _round(pk)
    try:
        close_round(round, actor=request.user)  # type: ignore[arg-type]
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"The {round.label} round is closed")
    return redirect("strategy:round", pk=round.pk)


# My returns and the update form -------------------------------------------------------------


@require_GET
def my_returns(request: HttpRequest) -> HttpResponse:
    org_ids = partner_lead_organisation_ids(request.user)  # type: ignore[arg-type]
    if not org_ids:
        raise PermissionDenied
    open_rounds = ReportingRound.objects.filter(status="open").order_by("deadline")
    for round in open_rounds:
        ensure_updates(round)
    updates = (
        editable_updates(request.user)  # type: ignore[arg-type]
        .filter(round__in=open_rounds)
        .select_related("round", "commitment__priority", "organisation")
        .order_by("round__deadline", "commitment__priority__number", "commitment__number")
    )
    today = timezone.localdate()
    groups: dict[ReportingRound, list[PartnerUpdate]] = {}
    for update in updates:
        groups.setdefault(update.round, []).append(update)
    return _render(
        request, "strategy/my_returns.html", {"groups": list(groups.items()), "today": today}
    )


def _update_form_initial(update: PartnerUpdate) -> dict:
    figures = Figures.from_json(update.figures)
    return {
        "version": update.version,
        "narrative": update.narrative,
        "case_study": update.case_study,
        "figures_caption": figures.caption if figures else "",
        "figures": figures.to_text() if figures else "",
        "figures_people": {True: "yes", False: "no"}.get(figures.counts_people, "")
        if figures and figures.counts_people is not None
        else "",
        "rag_status": update.rag_status,
        "rag_second_status": update.rag_second_status,
        "rag_reason": update.rag_reason,
    }


def _evidence(update: PartnerUpdate):  # type: ignore[no-untyped-def]
    return update.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


_EDIT_RELATED = ("round__strategy", "commitment__priority", "organisation", "carried_from__round")


@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        editable_updates(request.user).select_related(*_EDIT_RELATED),  # type: ignore[arg-type]
        pk=pk,
    )
    return _edit(request, update, on_behalf=False)


@require_http_methods(["GET", "POST"])
def update_on_behalf(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator enters a partner's update for an organisation without an account."""
    _require_coordinator(request)
    update = get_object_or_404(PartnerUpdate.objects.select_related(*_EDIT_RELATED), pk=pk)
    return _edit(request, update, on_behalf=True)


def _edit(request: HttpRequest, update: PartnerUpdate, *, on_behalf: bool) -> HttpResponse:
    if not update.is_editable or not update.round.is_open:
        return redirect("strategy:update", pk=update.pk)
    conflict = None
    form = UpdateForm(
        request.POST or None, request.FILES or None, initial=_update_form_initial(update)
    )
    lines = rateable_lines(update)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit = request.POST.get("action") == "submit"
        changes = UpdateChanges(
            narrative=data["narrative"],
            case_study=data["case_study"],
            figures=data.get("figures_json", {}),
            rag_status=data["rag_status"],
            rag_second_status=data["rag_second_status"],
            rag_reason=data["rag_reason"],
        )
        try:
            outcome = save_update(
                update,
                changes,
                version=data["version"],
                actor=request.user,  # type: ignore[arg-type]
                submit=submit,
                upload=data.get("evidence_file"),
                upload_description=data.get("evidence_description", ""),
                on_behalf=on_behalf,
                lines=line_changes(request.POST, lines),
                request=request,
            )
        except StaleVersion as stale:
            conflict = stale.current
            form = _rebound(form, version=conflict.version)
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            form.add_error("evidence_file", error.messages[0])
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("strategy:update", pk=update.pk)
        else:
            if submit and outcome.submitted:
                whose = f"{update.organisation.name}'s" if on_behalf else "Your"
                messages.success(
                    request,
                    f"{whose} update on commitment {update.commitment.number} has been "
                    "submitted for review",
                )
                if on_behalf:
                    return redirect("strategy:round-returns", pk=update.round_id)
                return redirect("strategy:my-returns")
            if not submit:
                messages.success(request, "The draft has been saved")
                name = "strategy:update-on-behalf" if on_behalf else "strategy:update-edit"
                return redirect(name, pk=update.pk)
            update = outcome.update
            form = _rebound(form, version=update.version, clear_upload=True)
            messages.info(request, "Your changes have been saved as a draft, but not submitted")
            for where, message in outcome.problems:
                form.add_error(where, message)
    return _update_form_page(
        request, update, form, conflict, on_behalf=on_behalf, lines=_line_rows(request, update)
    )


def _line_rows(request: HttpRequest, update: PartnerUpdate) -> list[dict[str, Any]]:
    """Each sub-commitment the organisation may rate, with the rating as typed or saved."""
    saved = {line.sub_commitment_id: line for line in update.lines.all()}
    rows = []
    for sub in rateable_lines(update):
        if request.method == "POST":
            status = request.POST.get(f"line-{sub.pk}", "")
            reason = request.POST.get(f"line-{sub.pk}-reason", "")
        else:
            line = saved.get(sub.pk)
            status = line.rag_status if line else ""
            reason = line.rag_reason if line else ""
        rows.append(
            {
                "sub": sub,
                "number": f"{update.commitment.priority.number}.{update.commitment.number}."
                f"{sub.number}",
                "status": status,
                "reason": reason,
            }
        )
    return rows


def _rebound(form: UpdateForm, *, version: int, clear_upload: bool = False) -> UpdateForm:
    """The same typed values, with the version the next save should start from."""
    data = form.data.copy()
    data["version"] = str(version)
    if clear_upload:
        data["evidence_description"] = ""
    rebound = UpdateForm(data, None)
    rebound.is_valid()
    rebound._errors = {}  # errors are added back by the caller
    return rebound


def _update_form_page(
    request: HttpRequest,
    update: PartnerUpdate,
    form: UpdateForm,
    conflict: PartnerUpdate | None,
    *,
    on_behalf: bool = False,
    lines: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    previous = last_accepted_update(update.commitment_id, update.organisation_id, update.round)
    last = last_accepted_rating(update)
    return _render(
        request,
        "strategy/update_form.html",
        {
            "update": update,
            "form": form,
            "conflict": conflict,
            "previous": previous,
            "last_rating": last,
            "evidence": _evidence(update),
            "rag_hints": RAG_HINTS,
            "today": timezone.localdate(),
            "on_behalf": on_behalf,
            "lines": lines or [],
            "line_choices": [("", "No rating"), *RAG_CHOICES],
        },
    )


@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    # A coordinator entering the update on the partner's behalf may remove evidence too.
    on_behalf = request.POST.get("on_behalf") == "1" and is_coordinator(request.user)  # type: ignore[arg-type]
    updates = PartnerUpdate.objects.all() if on_behalf else editable_updates(request.user)  # type: ignore[arg-type]
    update = get_object_or_404(updates, pk=pk)
    evidence = get_object_or_404(_evidence(update), pk=evidence_pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        from saferboard.strategy.services import remove_evidence

        remove_evidence(update, evidence, version=version, actor=request.user)  # type: ignore[arg-type]
    except StaleVersion:
        messages.error(request, STALE_MESSAGE.split(". Your text")[0])
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"{evidence.original_name} has been removed")
    return redirect(
        "strategy:update-on-behalf" if on_behalf else "strategy:update-edit", pk=update.pk
    )


@require_GET
def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        readable_updates(request.user).select_related(  # type: ignore[arg-type]
            "round__strategy", "commitment__priority", "organisation", "reviewed_by"
        ),
        pk=pk,
    )
    user = request.user
    can_edit = (
        update.organisation_id in partner_lead_organisation_ids(user)  # type: ignore[arg-type]
        and update.is_editable
        and update.round.is_open
    )
    can_review = (
        State(update.state) in {State.SUBMITTED, State.RESUBMITTED}
        and update.round.is_open
        and reviewable_updates(user).filter(pk=update.pk).exists()  # type: ignore[arg-type]
    )
    coordinator = is_coordinator(user)  # type: ignore[arg-type]
    return _render(
        request,
        "strategy/update_detail.html",
        {
            "update": update,
            "figures": Figures.from_json(update.figures),
            "evidence": _evidence(update),
            "events": update.events.select_related("actor"),
            "can_edit": can_edit,
            "can_review": can_review,
            "can_enter_on_behalf": coordinator and update.is_editable and update.round.is_open,
            "can_correct": coordinator and update.state == UpdateState.ACCEPTED,
            "corrections": update.corrections.select_related("actor"),
            "lines": update.lines.select_related("sub_commitment"),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def update_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator corrects an accepted update's text, giving the reason."""
    _require_coordinator(request)
    update = get_object_or_404(
        PartnerUpdate.objects.select_related("round", "commitment__priority", "organisation"),
        pk=pk,
    )
    if update.state != UpdateState.ACCEPTED:
        messages.error(request, "Only an accepted update is corrected")
        return redirect("strategy:update", pk=update.pk)
    form = CorrectionForm(
        request.POST or None,
        initial={
            "version": update.version,
            "narrative": update.narrative,
            "case_study": update.case_study,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correct_update(
                update,
                Correction(
                    reason=data["reason"],
                    narrative=data["narrative"],
                    case_study=data["case_study"],
                ),
                version=data["version"],
                actor=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE.split(". Your text")[0])
        except TransitionRefused as refusal:
            where = "reason" if "reason" in refusal.message else "narrative"
            form.add_error(where, refusal.message)
        else:
            messages.success(request, "The correction has been saved; the earlier text is kept")
            return redirect("strategy:update", pk=update.pk)
    return _render(request, "strategy/update_correct.html", {"update": update, "form": form})


# Review -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def update_review(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        reviewable_updates(request.user).select_related(  # type: ignore[arg-type]
            "round__strategy", "commitment__priority", "organisation", "submitted_by"
        ),
        pk=pk,
    )
    user = request.user
    if State(update.state) not in {State.SUBMITTED, State.RESUBMITTED} or not update.round.is_open:
        messages.error(request, "This update is not waiting for review")
        return redirect("strategy:update", pk=update.pk)
    needed = reviewer_needed(update)
    if actor_kind(user, needed) is not needed:  # type: ignore[arg-type]
        raise PermissionDenied
    form = ReviewForm(request.POST or None, initial={"version": update.version})
    if request.method == "POST" and form.is_valid():
        action = Action.ACCEPT if form.cleaned_data["decision"] == "accept" else Action.RETURN
        try:
            review_update(
                update,
                action=action,
                actor=user,  # type: ignore[arg-type]
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except StaleVersion as stale:
            update = stale.current
            form = ReviewForm({**request.POST.dict(), "version": update.version})
            form.is_valid()
            form.add_error(
                None, "The update changed after you opened it. Read it again, then decide."
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            verb = "accepted" if action is Action.ACCEPT else "returned to the partner"
            messages.success(
                request,
                f"{update.organisation.name}'s update on commitment "
                f"{update.commitment.priority.number}.{update.commitment.number} has been {verb}",
            )
            if is_coordinator(user):  # type: ignore[arg-type]
                return redirect("strategy:round-returns", pk=update.round_id)
            return redirect("strategy:round", pk=update.round_id)
    previous = last_accepted_update(update.commitment_id, update.organisation_id, update.round)
    last = last_accepted_rating(update)
    return _render(
        request,
        "strategy/update_review.html",
        {
            "update": update,
            "form": form,
            "previous": previous,
            "previous_figures": Figures.from_json(previous.figures) if previous else None,
            "figures": Figures.from_json(update.figures),
            "last_rating": last,
            "improves": improves(update),
            "gate_problems": [m for _, m in submission_problems(update)],
            "evidence": _evidence(update),
            "events": update.events.select_related("actor"),
            "board_review": needed.value == "board",
            "today": timezone.localdate(),
        },
    )


# Reports ----------------------------------------------------------------------------------


def _report_for(pk: int, number: int) -> tuple[ReportingRound, Priority, reports.PriorityReport]:
    round = _round(pk)
    priority = get_object_or_404(round.priorities_in_scope(), number=number)
    return round, priority, reports.build_priority_report(round, priority)


@require_GET
def priority_report(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    round, priority, report = _report_for(pk, number)
    return _render(
        request,
        "strategy/report/page.html",
        {"round": round, "priority": priority, "report": report},
    )


@require_GET
def priority_report_docx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    round, _priority, report = _report_for(pk, number)
    audit.record(
        AuditAction.EXPORT, request=request, obj=round, what="priority report DOCX", priority=number
    )
    response = HttpResponse(
        reports.render_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="priority-{number}-{round.financial_year}-q{round.quarter}.docx"'
    )
    return response


@require_GET
def priority_report_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    round, _priority, report = _report_for(pk, number)
    audit.record(
        AuditAction.EXPORT, request=request, obj=round, what="priority report PDF", priority=number
    )
    response = HttpResponse(reports.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="priority-{number}-{round.financial_year}-q{round.quarter}.pdf"'
    )
    return response


@require_GET
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A commitment's RAG history: each partner's and the roll-up's, who, why and when."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("priority__strategy").prefetch_related(
            Prefetch("contributions", queryset=Contribution.objects.select_related("organisation"))
        ),
        pk=pk,
    )
    contributions = list(commitment.contributions.all())
    entries = RagEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Contribution),
        object_id__in=[c.pk for c in contributions],
    ).select_related("set_by")
    by_contribution = {c.pk: c for c in contributions}
    rows = [(by_contribution[e.object_id].organisation.name, e) for e in entries]
    rollup_entries = RagEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Commitment), object_id=commitment.pk
    ).select_related("set_by")
    rows += [("All partners (range)", e) for e in rollup_entries]
    rows.sort(key=lambda r: (r[1].set_at, r[1].pk))
    updates = (
        PartnerUpdate.objects.filter(commitment=commitment, state=UpdateState.ACCEPTED)
        .select_related("round", "organisation")
        .order_by("-round__financial_year", "-round__quarter", "organisation__name")
    )
    return _render(
        request,
        "strategy/commitment_detail.html",
        {
            "commitment": commitment,
            "contributions": contributions,
            "history": list(reversed(rows)),
            "accepted": updates,
            "can_see_board": is_board_member(request.user),
            "returns_url": reverse("strategy:index"),
        },
    )
