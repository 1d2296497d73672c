"""Youth justice pages for a start without a developer: the export template and the
synthetic sample as ZIP downloads, and the column-mapping step of the import.

The import page sends an upload whose headers it cannot match to the mapping page
(:func:`pending_mapping`): the file names and their headers wait in the session (never
the rows, which hold children's data); once the mapping is saved, the same export
loads directly, now and next time.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core import audit
from saferboard.core.models import AuditAction
from saferboard.core.pages import render_page
from saferboard.youthjustice.access import require_import
from saferboard.youthjustice.forms import ColumnMappingForm
from saferboard.youthjustice.mapping import remember, resolve
from saferboard.youthjustice.starter import as_zip, sample_files, template_files

SESSION_KEY = "yj_column_mapping"
__all__ = ["resolve"]  # used by the import page


@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The header-only export template with NOTES.md, as a ZIP."""
    require_import(request.user)  # type: ignore[arg-type]
    return _zip(as_zip(template_files(), "youth-justice-export-template"), "template")


@require_GET
def sample_download(request: HttpRequest) -> HttpResponse:
    """The small SYNTHETIC sample export, as a ZIP."""
    require_import(request.user)  # type: ignore[arg-type]
    audit.record(AuditAction.EXPORT, request=request, what="youth justice synthetic sample")
    return _zip(as_zip(sample_files(), "SYNTHETIC-youth-justice-sample"), "SYNTHETIC-sample")


def _zip(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="youth-justice-{name}.zip"'
    return response


def pending_mapping(request: HttpRequest, unresolved: dict[str, list[str]]) -> HttpResponse:
    """Send the user to the mapping page for these files (file → its headers)."""
    request.session[SESSION_KEY] = unresolved
    return redirect("youthjustice:mapping")


@require_http_methods(["GET", "POST"])
def mapping_page(request: HttpRequest) -> HttpResponse:
    """Choose, for each column the import needs, the export's own header."""
    require_import(request.user)  # type: ignore[arg-type]
    headers: dict[str, list[str]] = request.session.get(SESSION_KEY) or {}
    if not headers:
        return redirect("youthjustice:import")
    form = ColumnMappingForm(headers, request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"].strip()
        for name, mapping in form.mappings().items():
            remember(
                name,
                headers[name],
                mapping,
                service=service,
                user=request.user,  # type: ignore[arg-type]
                request=request,
            )
        del request.session[SESSION_KEY]
        return redirect(reverse("youthjustice:import") + "?mapped=1")
    groups: list[dict[str, Any]] = [
        {"file": name, "headers": headers[name], "fields": [form[key] for key in keys]}
        for name, keys in form.files
    ]
    return render_page(
        request,
        "youthjustice/mapping.html",
        {"form": form, "groups": groups},
        status=400 if form.errors else 200,
    )


def page_context(request: HttpRequest, service: Any) -> dict[str, Any]:
    """The performance page's extra figures: local beside published, the warning where
    comparators are synthetic, and the custody snapshot on a date (``?custody_on=``)."""
    from datetime import date

    from saferboard.youthjustice.custody import custody_snapshot
    from saferboard.youthjustice.published import beside

    rows = beside(service)
    on = service.data_to
    try:
        asked = date.fromisoformat(request.GET.get("custody_on", ""))
    except ValueError:
        asked = None
    if asked is not None and on is not None and asked <= on:
        on = asked
    return {
        "rows": rows,
        "comparators_synthetic": any(r.comparators_synthetic for r in rows),
        "custody_on": on,
        "in_custody": custody_snapshot(service, on) if on else None,
    }
