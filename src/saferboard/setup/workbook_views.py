"""The set-up workbook pages: download the template or the current set-up, upload a
workbook, preview every change it would make, confirm to apply it (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core.audit import record
from saferboard.core.models import AuditAction, Partnership
from saferboard.setup import workbook_uploads
from saferboard.setup.workbook_apply import ImportReport, WorkbookRejected, import_workbook
from saferboard.setup.workbook_export import current_setup, write_workbook
from saferboard.setup.workbook_forms import WorkbookConfirmForm, WorkbookUploadForm
from saferboard.setup.workbook_reader import WorkbookUnreadable, read_workbook
from saferboard.setup.workbook_schema import sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _administrator(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_administrator):
        raise PermissionDenied("Only an administrator can set the partnership up from a workbook")


def _me(request: HttpRequest) -> int:
    """The signed-in user's id (the key their uploaded workbook is kept under)."""
    return int(request.user.pk or 0)


def _partnership() -> Partnership | None:
    return Partnership.objects.order_by("pk").first()


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def workbook(request: HttpRequest) -> HttpResponse:
    """The workbook page: downloads, and the upload that leads to the preview."""
    _administrator(request)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        workbook_uploads.store(_me(request), upload.name, upload.read())
        return redirect("setup:workbook-preview")
    return render(
        request,
        "setup/workbook.html",
        {
            "form": form,
            "partnership": _partnership(),
            "sheets": sheets(),
            "waiting": workbook_uploads.load(_me(request)),
        },
    )


@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The empty set-up workbook."""
    _administrator(request)
    return _xlsx(write_workbook(), "saferboard-set-up-template.xlsx")


@require_GET
def export_download(request: HttpRequest) -> HttpResponse:
    """The current set-up as a workbook (audited: it lists people and their roles)."""
    _administrator(request)
    partnership = _partnership()
    if partnership is None:
        messages.error(request, "There is no partnership yet, so there is no set-up to download")
        return redirect("setup:workbook")
    record(AuditAction.EXPORT, request=request, obj=partnership, what="set-up workbook")
    day = timezone.localdate().isoformat()
    return _xlsx(write_workbook(current_setup(partnership)), f"saferboard-set-up-{day}.xlsx")


@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest) -> HttpResponse:
    """What the uploaded workbook would change (GET), and applying it (POST)."""
    _administrator(request)
    stored = workbook_uploads.load(_me(request))
    if stored is None:
        messages.error(request, "Upload a set-up workbook to preview it")
        return redirect("setup:workbook")
    confirm = WorkbookConfirmForm(request.POST or None, initial={"digest": stored.digest})
    confirm_error = ""
    if request.method == "POST":
        if not confirm.is_valid() or confirm.cleaned_data["digest"] != stored.digest:
            confirm_error = (
                "The uploaded workbook has changed since this preview: check the changes "
                "below, then confirm again"
            )
            confirm = WorkbookConfirmForm(initial={"digest": stored.digest})
        else:
            return _apply(request, stored)
    report, problems = _dry_run(request, stored)
    return render(
        request,
        "setup/workbook_preview.html",
        {
            "stored": stored,
            "report": report,
            "problems": problems,
            "sections": _sections(report) if report else [],
            "form": confirm,
            "confirm_error": confirm_error,
        },
        status=200,
    )


def _dry_run(
    request: HttpRequest, stored: workbook_uploads.StoredWorkbook
) -> tuple[ImportReport | None, list]:  # type: ignore[type-arg]
    try:
        report = import_workbook(
            read_workbook(stored.data, stored.name),
            request=request,
            dry_run=True,
            file_name=stored.name,
        )
    except WorkbookUnreadable as error:
        return None, [error.problem]
    except WorkbookRejected as error:
        return None, error.problems
    return report, []


def _apply(request: HttpRequest, stored: workbook_uploads.StoredWorkbook) -> HttpResponse:
    try:
        report = import_workbook(
            read_workbook(stored.data, stored.name), request=request, file_name=stored.name
        )
    except (WorkbookUnreadable, WorkbookRejected):
        # The set-up changed since the preview (someone else edited it): show it again.
        messages.error(request, "The set-up changed since the preview: check the changes again")
        return redirect("setup:workbook-preview")
    workbook_uploads.discard(_me(request))
    messages.success(request, "The workbook was applied. " + "; ".join(report.lines()) + ".")
    return redirect(reverse("setup:workbook"))


def _sections(report: ImportReport) -> list[dict[str, object]]:
    """Per sheet: its counts and the rows that would be created or updated, each with
    the values it changes as (field, before, after) text."""
    counts = report.counts()
    return [
        {
            "title": sheet.title,
            "counts": counts[sheet.title],
            "changes": [
                {
                    "row": c.row,
                    "key": c.key,
                    "outcome": c.outcome,
                    "fields": [
                        (name.replace("_", " "), _text(c.before.get(name)), _text(value))
                        for name, value in c.after.items()
                    ],
                }
                for c in report.changes
                if c.sheet == sheet.title and c.outcome != "unchanged"
            ],
        }
        for sheet in sheets()
    ]


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)
