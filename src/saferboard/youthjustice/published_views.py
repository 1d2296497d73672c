"""Youth justice pages: uploading published MoJ/YJB statistics on the web.

The same import as ``saferboard yj published FILE --published-on DATE [--mapping]
[--sheet] [--synthetic]`` (:func:`~saferboard.youthjustice.published.import_publication`,
all or nothing, audited), for the people who may load youth justice data:

1. the upload page takes the file, its publication date, a sheet and the "synthetic"
   box (unticked unless the user ticks it);
2. a file whose headers are the publisher's own goes to the column-mapping page; the
   file waits under the data directory meanwhile (published statistics are aggregates,
   not children's records), its name and the form's answers in the session. A saved
   mapping is remembered by the file's header row, so the next publication in the same
   layout imports straight away;
3. the report page says what was stored: figures, services, periods.
"""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core.pages import render_page
from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice.access import require_import
from saferboard.youthjustice.forms import PublishedMappingForm, PublishedUploadForm
from saferboard.youthjustice.import_problems import ImportFailed, Problem
from saferboard.youthjustice.mapping import FileMapping, remember, remembered
from saferboard.youthjustice.published import import_publication, read_table
from saferboard.youthjustice.published_mapping import (
    REMEMBERED_AS,
    can_be_mapped,
    column_groups,
    needs_mapping,
)

SESSION_KEY = "yj_published_upload"
PENDING_PREFIX = "yj-published-"
PENDING_DAYS = 1
# The imports of publications (not of comparator figures or peer groups, which are also
# of source "published" but come in by ``yj benchmark import``).
PUBLICATION_FORMATS = ("yj-published-csv", "yj-published-xlsx")


@require_http_methods(["GET", "POST"])
def upload_page(request: HttpRequest) -> HttpResponse:
    """Step 1: the publication file, its date, sheet and whether it is synthetic."""
    require_import(request.user)  # type: ignore[arg-type]
    form = PublishedUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    more = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        name = Path(upload.name or "publication.csv").name
        sheet = form.cleaned_data["sheet"].strip() or None
        try:
            rows = read_table(content, name, sheet)
            headers = [h.strip() for h in rows[0]] if rows else []
            mapping = remembered(REMEMBERED_AS, headers) if needs_mapping(headers) else None
            if needs_mapping(headers) and can_be_mapped(headers) and mapping is None:
                return _pending_mapping(request, form.cleaned_data, name, content, headers)
            data_import = _import(request, content, name, form.cleaned_data, mapping)
        except ImportFailed as failure:
            problems, more = failure.problems, failure.more
        else:
            return redirect("youthjustice:published-report", pk=data_import.pk)
    return _upload_form(request, form, problems, more)


@require_http_methods(["GET", "POST"])
def mapping_page(request: HttpRequest) -> HttpResponse:
    """Step 2 (only for a file with its own headers): choose, for each column, the
    file's header; saving remembers the mapping and imports the waiting file."""
    require_import(request.user)  # type: ignore[arg-type]
    state: dict[str, Any] | None = request.session.get(SESSION_KEY)
    path = _pending_path(state)
    if state is None or path is None:
        return redirect("youthjustice:published-upload")
    form = PublishedMappingForm(state["headers"], request.POST or None)
    problems: list[Problem] = []
    more = 0
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        answers = {
            "published_on": date.fromisoformat(state["published_on"]),
            "sheet": state["sheet"],
            "synthetic": state["synthetic"],
        }
        try:
            data_import = _import(request, path.read_bytes(), state["name"], answers, mapping)
        except ImportFailed as failure:
            problems, more = failure.problems, failure.more
        else:
            # Remembered only once it has imported: a mapping that leads to a rejected
            # file is not offered again.
            remember(
                REMEMBERED_AS,
                state["headers"],
                mapping,
                user=request.user,  # type: ignore[arg-type]
                request=request,
            )
            path.unlink(missing_ok=True)
            del request.session[SESSION_KEY]
            return redirect("youthjustice:published-report", pk=data_import.pk)
    return render_page(
        request,
        "youthjustice/published_mapping.html",
        {
            "form": form,
            "groups": [
                {"legend": legend, "fields": [form[c] for c in columns]}
                for legend, columns in column_groups()
            ],
            "state": state,
            "problems": problems,
            "more": more,
        },
        status=400 if form.errors or problems else 200,
    )


@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What one publication import stored: figures, services and periods."""
    from saferboard.youthjustice.models import BenchmarkFigure

    require_import(request.user)  # type: ignore[arg-type]
    data_import = get_object_or_404(
        DataImport.objects.select_related("imported_by"),
        pk=pk,
        source_kind=SourceKind.PUBLISHED,
        format__in=PUBLICATION_FORMATS,
    )
    figures = BenchmarkFigure.objects.filter(source=data_import).select_related("service")
    return render_page(
        request,
        "youthjustice/published_report.html",
        {
            "data_import": data_import,
            **stored_summary(
                (f.service.name, f.period_from, f.period_to, f.measure) for f in figures
            ),
        },
    )


def stored_summary(figures: Any) -> dict[str, Any]:
    """What an import stored, from its figures' (service, period_from, period_to,
    measure): the number of figures, the services, and per period its services and
    figures (periods in order)."""
    services: set[str] = set()
    by_period: dict[tuple[date, date], dict[str, Any]] = defaultdict(
        lambda: {"services": set(), "figures": 0}
    )
    count = 0
    for service, start, end, _measure in figures:
        count += 1
        services.add(service)
        by_period[(start, end)]["services"].add(service)
        by_period[(start, end)]["figures"] += 1
    return {
        "figures": count,
        "services": sorted(services),
        "periods": [
            {"start": start, "end": end, "services": len(v["services"]), "figures": v["figures"]}
            for (start, end), v in sorted(by_period.items())
        ],
    }


# --------------------------------------------------------------------------------------


def _import(
    request: HttpRequest,
    content: bytes,
    name: str,
    answers: dict[str, Any],
    mapping: FileMapping | None,
) -> DataImport:
    report = import_publication(
        content,
        name,
        published_on=answers["published_on"],
        mapping=mapping,
        sheet=(answers.get("sheet") or "").strip() or None,
        synthetic=bool(answers.get("synthetic")),
        user=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return report.data_import


def _upload_form(
    request: HttpRequest, form: PublishedUploadForm, problems: list[Problem], more: int
) -> HttpResponse:
    recent = (
        DataImport.objects.filter(source_kind=SourceKind.PUBLISHED, format__in=PUBLICATION_FORMATS)
        .select_related("imported_by")
        .order_by("-imported_at")[:10]
    )
    return render_page(
        request,
        "youthjustice/published_upload.html",
        {
            "form": form,
            "problems": problems,
            "more": more,
            "recent": recent,
        },
        status=400 if problems or form.errors else 200,
    )


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / "files" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_mapping(
    request: HttpRequest, answers: dict[str, Any], name: str, content: bytes, headers: list[str]
) -> HttpResponse:
    """Keep the file and the answers while the user maps the columns."""
    previous = _pending_path(request.session.get(SESSION_KEY))
    if previous is not None:
        previous.unlink(missing_ok=True)
    # Uploads whose mapping was never finished are not kept beyond a day.
    stale = time.time() - PENDING_DAYS * 86_400
    for old in _pending_dir().glob(PENDING_PREFIX + "*"):
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    token = PENDING_PREFIX + secrets.token_hex(16) + Path(name).suffix.lower()
    (_pending_dir() / token).write_bytes(content)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "headers": headers,
        "published_on": answers["published_on"].isoformat(),
        "sheet": answers["sheet"].strip(),
        "synthetic": bool(answers["synthetic"]),
    }
    return redirect("youthjustice:published-mapping")


def _pending_path(state: dict[str, Any] | None) -> Path | None:
    """The waiting file of the session's upload (None if there is none or it is gone)."""
    if not state:
        return None
    token = str(state.get("token", ""))
    # The token is ours, but a session is not a place to trust a path from.
    if not token.startswith(PENDING_PREFIX) or "/" in token or "\\" in token or ".." in token:
        return None
    path = _pending_dir() / token
    return path if path.is_file() else None
