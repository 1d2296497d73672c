"""The youth justice case-record import pages: the upload form and an import's report.

Kept apart from the performance pages (views.py) since the upload became a background
task (issue 22)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core.pages import render_page
from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice import jobs, start_views
from saferboard.youthjustice.access import require_import
from saferboard.youthjustice.forms import ExportUploadForm
from saferboard.youthjustice.importer import FILES, ImportFailed, read_zip
from saferboard.youthjustice.models import ImportJob, ImportJobStatus

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
ROW_LABELS = {
    "children": "Children",
    "outcomes": "Outcomes",
    "offences": "Offences",
    "population": "Population estimates (by age)",
    "population_ethnicity": "Population estimates (by ethnic group)",
    "interventions": "Interventions",
    "victims": "Victims",
}


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    require_import(request.user)  # type: ignore[arg-type]
    form = ExportUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    more = 0
    if request.method == "POST" and form.is_valid():
        try:
            files = _uploaded_files(form.cleaned_data["export"])
            # Headers of the case management system's own: renamed by a remembered
            # mapping, or the user maps them first (issue 21).
            files, unresolved = start_views.resolve(files)
            if unresolved:
                return start_views.pending_mapping(request, unresolved)
            names = [upload.name or "upload" for upload in form.cleaned_data["export"]]
            job = jobs.start(request.user, files, names)  # type: ignore[arg-type]
        except ImportFailed as failure:
            problems, more = failure.problems, failure.more
        else:
            if job.status == ImportJobStatus.SUCCEEDED and job.data_import_id:
                return redirect("youthjustice:import-report", pk=job.data_import_id)
            if job.status == ImportJobStatus.FAILED and job.problems:
                # Finished already (a fast worker, or the tests' immediate backend): the
                # problems go on this page, beside the form, as they always have.
                problems, more = job.problems, job.more
            else:
                return redirect("youthjustice:import-job", job_id=job.pk)
    recent = DataImport.objects.filter(source_kind=SourceKind.YOUTH_JUSTICE).select_related(
        "imported_by"
    )[:10]
    return render_page(
        request,
        "youthjustice/import.html",
        {
            "form": form,
            "problems": problems,
            "more": more,
            "recent": recent,
            # Uploads still waiting or importing, and the last rejected: what a user
            # who left a job page comes back to find.
            "jobs": ImportJob.objects.exclude(status=ImportJobStatus.SUCCEEDED)[:5],
            "files": FILES,
        },
        status=400 if problems else 200,
    )


def _uploaded_files(uploads: list[Any]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for upload in uploads:
        if upload.size > MAX_UPLOAD_BYTES:
            raise ImportFailed([_problem(upload.name, "is too large (over 100 MB)")])
        content = upload.read()
        name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower()
        if name.endswith(".zip"):
            files.update(read_zip(content))
        elif name in FILES:
            files[name] = content
        else:
            raise ImportFailed(
                [_problem(upload.name, "is not a ZIP archive or one of the export's CSV files")]
            )
    return files


def _problem(name: str, message: str) -> Any:
    from saferboard.youthjustice.importer import Problem

    return Problem(name, None, "", "", message)


@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    require_import(request.user)  # type: ignore[arg-type]
    data_import = get_object_or_404(
        DataImport.objects.select_related("imported_by"),
        pk=pk,
        source_kind=SourceKind.YOUTH_JUSTICE,
    )
    services = data_import.detail.get("services", [])
    first = services[0] if services else ""
    return render_page(
        request,
        "youthjustice/import_report.html",
        {
            "data_import": data_import,
            "rows": [
                (ROW_LABELS.get(name, name), n)
                for name, n in data_import.detail.get("rows", {}).items()
            ],
            "warnings": data_import.detail.get("warnings", []),
            "services": services,
            "performance_url": reverse("youthjustice:index")
            + (f"?{urlencode({'service': first})}" if first else ""),
            "today": date.today(),
        },
    )


@require_GET
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """An upload's import: waiting or importing (the page keeps itself current), its
    problems if it was rejected; once imported, the import's report."""
    require_import(request.user)  # type: ignore[arg-type]
    jobs.settle_jobs()  # a job whose worker stopped shows as waiting again or failed
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.status == ImportJobStatus.SUCCEEDED and job.data_import_id:
        return redirect("youthjustice:import-report", pk=job.data_import_id)
    return render_page(
        request,
        "youthjustice/import_job.html",
        {"job": job},
    )


@require_GET
def import_job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    """What the job page's script polls (the crime import's progress script)."""
    require_import(request.user)  # type: ignore[arg-type]
    jobs.settle_jobs()
    job = get_object_or_404(ImportJob, pk=job_id)
    return JsonResponse(job.progress())
