"""Crime pages: the dashboard (with downloads) and the import upload with its progress.

Views are thin: the figures are the stored, rated observations
:func:`saferboard.crime.observations.dashboard_figures` returns (computed and stored
the first time a window is asked for).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core import audit
from saferboard.core.models import AuditAction, Role
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.crime import exports, jobs
from saferboard.crime.categories import FORCES
from saferboard.crime.charts import trend
from saferboard.crime.dashboard import (
    SOURCE_LABELS,
    SOURCES,
    DashboardError,
    default_source,
    resolve_area,
    source_measures,
)
from saferboard.crime.engine import Engine, engine
from saferboard.crime.forms import ImportForm
from saferboard.crime.models import ImportJob
from saferboard.crime.observations import dashboard_figures, latest_complete_month
from saferboard.crime.sources import covers, source_note
from saferboard.crime.windows import month_label
from saferboard.measures.models import DataImport

IMPORT_ROLES = (Role.ANALYST, Role.COORDINATOR)


def can_import(user) -> bool:  # type: ignore[no-untyped-def]
    return user.is_authenticated and (user.is_administrator or user.has_role(*IMPORT_ROLES))


def _selection(request: HttpRequest) -> dict[str, str]:
    """The area, source and month asked for, with defaults filled in."""
    partnership = current_partnership()
    default_area = (
        partnership.local_authority.code if partnership and partnership.local_authority else ""
    )
    area = request.GET.get("area", "").strip() or default_area
    source = request.GET.get("source", "").strip()
    if source not in SOURCES:
        source = default_source(area)
    to = request.GET.get("to", "").strip()
    if not to and area:
        try:
            to = latest_complete_month(source, area) or ""
            if not to:
                resolved = resolve_area(area, source)
                months = engine().months(source, resolved.kind, resolved.code)
                to = months[-1] if months else ""
        except DashboardError:
            to = ""
    return {
        "area": area,
        "source": source,
        "to": to,
        "measure": request.GET.get("measure", "").strip(),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    chosen = _selection(request)
    eng = engine()
    areas = eng.areas(chosen["source"])
    if chosen["source"] == "police-uk":
        areas = areas + [
            (code, f"{name} (police force)") for code, name in eng.areas("police-uk", "force")
        ]
    context: dict = {
        "chosen": chosen,
        "sources": [(s, SOURCE_LABELS[s]) for s in SOURCES],
        "areas": areas,
        "can_import": can_import(request.user),
        "board": None,
        "error": "",
    }
    context["source_note"] = source_note(chosen["source"])
    if not areas:
        context["error"] = missing_setup(chosen["source"], chosen["area"], eng) + (
            " Import some on the import page." if context["can_import"] else ""
        )
        return render_page(request, "crime/dashboard.html", context)
    try:
        area = resolve_area(chosen["area"], chosen["source"], eng)
        months = eng.months(chosen["source"], area.kind, area.code)
        context["months"] = [(m, month_label(m)) for m in reversed(months)]
        if not chosen["to"]:
            # Set-up is missing, not the request wrong: say what is missing (200).
            context["error"] = missing_setup(chosen["source"], chosen["area"], eng)
            return render_page(request, "crime/dashboard.html", context)
        board, _ = dashboard_figures(
            chosen["area"],
            chosen["to"],
            chosen["source"],
            hotspot_measure=chosen["measure"] or None,
        )
    except DashboardError as error:
        context["error"] = str(error)
        asked = any(request.GET.get(k, "").strip() for k in ("area", "to", "source"))
        return render_page(request, "crime/dashboard.html", context, status=400 if asked else 200)
    context["board"] = board
    context["chosen"]["area"] = board.area.code
    context["measures"] = source_measures(board.source)
    context["charts"] = [
        {
            "result": m,
            "chart": trend(board.trends[m.measure], m.label, m.unit, f"chart-{m.measure}"),
        }
        for m in board.measures
        if m.measure in board.trends
    ]
    query = urlencode({k: v for k, v in context["chosen"].items() if v})
    context["csv_url"] = f"dashboard.csv?{query}"
    context["xlsx_url"] = f"dashboard.xlsx?{query}"
    context["imports"] = DataImport.objects.filter(source_kind=board.source).order_by(
        "-imported_at"
    )[:3]
    return render_page(request, "crime/dashboard.html", context)


def missing_setup(source: str, area_text: str, eng: Engine) -> str:
    """What is missing before a dashboard can be drawn, in words."""
    label = SOURCE_LABELS[source]
    if not area_text:
        return (
            f"There is no {label} to show yet, and the partnership has no local authority "
            "set: choose an area, or set the partnership's local authority."
        )
    try:
        area = resolve_area(area_text, source, eng)
    except DashboardError:
        return f"There is no {label} to show yet: no area called {area_text!r} has any."
    if source == "mps":
        if not covers("mps", area.code):
            return (
                f"The Met's files have no figures for {area.name} (it is not a Met borough): "
                "choose police.uk street-level data."
            )
        return (
            f"There is no Met recorded crime for {area.name} yet: import the Met's borough "
            "file (recorded crime, London Datastore)."
        )
    if area.kind == "force":
        return f"No police.uk street files of {area.name} are imported yet."
    forces = eng.policing_forces(area.code)
    names = {slug: name for name, slug in FORCES.items()}
    if not forces:
        return f"There is no police.uk data for {area.name} yet."
    text = ", ".join(names.get(f, f) for f in forces)
    imported = [f for f in forces if eng.force_months(f)]
    partial = [f for f in forces if eng.partial_months("police-uk", "force", f)]
    if partial and not imported:
        return (
            f"The police.uk files imported for {area.name}'s force ({text}) are extracts of a "
            "few crime types, not the force's published street files: no month is complete."
        )
    return (
        f"{area.name} is policed by {text}: import that force's police.uk street files "
        "(rows other forces reported in the area never make a month complete)."
    )


@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    chosen = _selection(request)
    try:
        board, _ = dashboard_figures(chosen["area"], chosen["to"], chosen["source"], details=False)
    except DashboardError as error:
        raise Http404(str(error)) from error
    name = f"crime-dashboard-{board.area.code}-{board.source}-{board.to}.{fmt}"
    audit.record(
        AuditAction.EXPORT,
        request=request,
        what="crime dashboard",
        format=fmt,
        area=board.area.code,
        source=board.source,
        to=board.to,
    )
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(board), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def import_data(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied("Only analysts and coordinators can import crime data")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start(request.user, form.cleaned_data["files"], form.cleaned_data["format"])  # type: ignore[arg-type]
        return redirect("crime:import-job", job_id=job.pk)
    jobs.fail_abandoned_jobs()
    return render_page(
        request,
        "crime/import.html",
        {
            "form": form,
            "jobs": ImportJob.objects.select_related("data_import")[:10],
            "imports": DataImport.objects.filter(source_kind__in=SOURCES).order_by("-imported_at")[
                :10
            ],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied("Only analysts and coordinators can import crime data")
    jobs.fail_abandoned_jobs()  # a job its server dropped shows as failed, not importing
    job = get_object_or_404(ImportJob.objects.select_related("data_import"), pk=job_id)
    dashboard_url = ""
    if job.data_import_id:
        dashboard_url = "?" + urlencode({"source": job.data_import.source_kind})
    return render_page(
        request,
        "crime/import_job.html",
        {"job": job, "dashboard_query": dashboard_url},
    )


@require_GET
def import_job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    """What the progress page's script polls: the job's stage and how far it has got."""
    if not can_import(request.user):
        raise PermissionDenied("Only analysts and coordinators can import crime data")
    jobs.fail_abandoned_jobs()
    job = get_object_or_404(ImportJob, pk=job_id)
    return JsonResponse(job.progress())
