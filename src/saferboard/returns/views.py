"""Pages for partner data returns: the list, each template's periods, the form, uploads,
the chasing list and the combined datasheet. Thin: the work is in services and xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core import audit
from saferboard.core.models import AuditAction
from saferboard.core.pages import render_page
from saferboard.core.periods import Period
from saferboard.returns import access, chasing, services
from saferboard.returns.forms import ReturnForm, UploadForm
from saferboard.returns.models import Channel, ReturnTemplate, Submission
from saferboard.returns.schedule import due_date, period_from_slug, period_slug
from saferboard.returns.setup_views import may_set_up_returns
from saferboard.returns.xlsx import MAX_UPLOAD_BYTES, UploadRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIODS_SHOWN = 12


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    slug: str
    due: date
    submission: Submission | None
    late: bool


def _template(request: HttpRequest, slug: str) -> ReturnTemplate:
    return get_object_or_404(access.visible_templates(request.user), slug=slug)  # type: ignore[arg-type]


def _period(template: ReturnTemplate, text: str) -> Period:
    try:
        period = period_from_slug(text, template.period_kind)
    except ValueError as error:
        raise Http404("No such period") from error
    first = template.period_for(template.first_period_start)
    if period < first or period.start > timezone.localdate():
        raise Http404("The template does not cover this period")
    return period


def _period_rows(template: ReturnTemplate, today: date) -> list[PeriodRow]:
    latest = {
        s.period_start: s
        for s in Submission.objects.filter(template=template)
        .current()
        .select_related("submitted_by")
    }
    first = template.period_for(template.first_period_start)
    period = template.period_for(today)
    rows = []
    while period >= first and len(rows) < PERIODS_SHOWN:
        due = due_date(period, template.due_days)
        submission = latest.get(period.start)
        rows.append(
            PeriodRow(period, period_slug(period), due, submission, not submission and today > due)
        )
        period = period.previous()
    return rows


def _accepted_rows(
    items: list, previous: dict[str, float | None], given: dict
) -> list[dict[str, object]]:
    rows = []
    for item in items:
        value = given.get(item.measure.slug)
        rows.append(
            {
                "label": item.measure.label,
                "previous": previous.get(item.measure.slug),
                "value": value.value if value else None,
                "comment": value.comment if value else "",
            }
        )
    return rows


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    templates = list(access.visible_templates(user).filter(active=True))  # type: ignore[arg-type]
    oversees = access.oversees_returns(user)  # type: ignore[arg-type]
    today = timezone.localdate()
    outstanding = chasing.outstanding_returns(
        today,
        None if oversees else user.organisation_ids(),  # type: ignore[union-attr]
    )
    template_ids = {t.pk for t in templates}
    return render_page(
        request,
        "returns/index.html",
        {
            "templates": templates,
            "outstanding": [o for o in outstanding if o.template_id in template_ids][:20],
            "oversees": oversees,
            "may_set_up": may_set_up_returns(user),  # type: ignore[arg-type]
        },
    )


@require_GET
def template_detail(request: HttpRequest, slug: str) -> HttpResponse:
    template = _template(request, slug)
    return render_page(
        request,
        "returns/template_detail.html",
        {
            "template": template,
            "items": services.template_items(template),
            "rows": _period_rows(template, timezone.localdate()),
            "can_submit": access.can_submit(request.user, template),  # type: ignore[arg-type]
        },
    )


@require_http_methods(["GET", "POST"])
def period_return(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    template = _template(request, slug)
    the_period = _period(template, period)
    current = services.current_submission(template, the_period)
    allowed = access.can_submit(request.user, template)  # type: ignore[arg-type]
    items = services.template_items(template)
    previous = services.previous_values(template, the_period)
    correcting = bool(request.GET.get("correct")) or request.method == "POST"
    editing = allowed and (current is None or correcting)
    form = None
    if editing:
        if request.method == "POST":
            form = ReturnForm(items, previous, request.POST, correction=current is not None)
            if form.is_valid():
                try:
                    submission = services.submit_return(
                        services.ReturnRequest(
                            template=template,
                            period=the_period,
                            entries=form.entries(),
                            user=request.user,  # type: ignore[arg-type]
                            channel=Channel.WEB,
                            reason=form.cleaned_data.get("reason", ""),
                        )
                    )
                except services.ReturnRejected as rejected:
                    form.add_problems(rejected.problems)
                else:
                    messages.success(
                        request,
                        f"{template.name} for {the_period.label} accepted "
                        f"(version {submission.version})",
                    )
                    return redirect("returns:period", slug=template.slug, period=period)
        else:
            given = services.submission_values(current)
            initial = {}
            for slug_, value in given.items():
                initial[f"value_{slug_}"] = "" if value.value is None else f"{value.value:g}"
                initial[f"comment_{slug_}"] = value.comment
            form = ReturnForm(items, previous, initial=initial, correction=current is not None)
    return render_page(
        request,
        "returns/period.html",
        {
            "template": template,
            "period": the_period,
            "period_slug": period,
            "due": due_date(the_period, template.due_days),
            "form": form,
            "has_errors": bool(form is not None and form.errors),
            "current": current,
            "accepted": _accepted_rows(items, previous, services.submission_values(current)),
            "history": services.submission_history(template, the_period),
            "previous": previous,
            "items": items,
            "can_submit": allowed,
        },
    )


@require_GET
def template_xlsx(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    template = _template(request, slug)
    the_period = _period(template, period)
    content = services.template_workbook(template, the_period)
    audit.record(
        AuditAction.EXPORT,
        request=request,
        obj=template,
        what="return template",
        period=the_period.key,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{template.slug}-{period_slug(the_period)}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    template = _template(request, slug)
    the_period = _period(template, period)
    if not access.can_submit(request.user, template):  # type: ignore[arg-type]
        raise PermissionDenied
    current = services.current_submission(template, the_period)
    problems = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, correction=current is not None)
        if form.is_valid():
            file = form.cleaned_data["file"]
            if file.size > MAX_UPLOAD_BYTES:
                form.add_error("file", "The file must be smaller than 2 MB")
            else:
                try:
                    submission = services.accept_upload(
                        template,
                        file.read(),
                        file_name=file.name,
                        user=request.user,  # type: ignore[arg-type]
                        reason=form.cleaned_data.get("reason", ""),
                        expected_period=the_period,
                    )
                except UploadRejected as rejected:
                    problems = rejected.problems
                    form.add_error(
                        "file",
                        f"The file was not accepted: {len(problems)} problem"
                        f"{'s' if len(problems) != 1 else ''} found (listed below). "
                        "Nothing was stored.",
                    )
                else:
                    messages.success(
                        request,
                        f"{template.name} for {the_period.label} accepted from "
                        f"{file.name} (version {submission.version})",
                    )
                    return redirect("returns:period", slug=template.slug, period=period)
    else:
        form = UploadForm(correction=current is not None)
    return render_page(
        request,
        "returns/upload.html",
        {
            "template": template,
            "period": the_period,
            "period_slug": period,
            "form": form,
            "problems": problems,
            "current": current,
        },
    )


@require_GET
def outstanding(request: HttpRequest) -> HttpResponse:
    if not access.oversees_returns(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    today = timezone.localdate()
    rows = chasing.outstanding_returns(today)
    return render_page(
        request,
        "returns/outstanding.html",
        {
            "rows": rows,
            "late": sum(1 for r in rows if r.is_late),
            "today": today,
        },
    )


@require_GET
def datasheet(request: HttpRequest) -> HttpResponse:
    if not access.oversees_returns(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    from saferboard.returns.xlsx import build_datasheet

    templates = list(access.visible_templates(request.user))  # type: ignore[arg-type]
    rows = services.datasheet_rows(templates)
    audit.record(AuditAction.EXPORT, request=request, what="returns datasheet", rows=len(rows))
    response = HttpResponse(build_datasheet(rows), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="returns-datasheet-{stamp}.xlsx"'
    return response
