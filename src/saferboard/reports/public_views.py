"""Public committee-site pages, readable without signing in (see :mod:`public_site`).

Each view is marked ``login_not_required`` for Django's LoginRequiredMiddleware; with
the custom middleware, the ``/public/`` prefix is listed among its public paths.
Public documents are not audited when read (they are published to anyone); publishing
them is.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from saferboard.core.pages import render_page
from saferboard.meetings import documents
from saferboard.meetings.models import Meeting
from saferboard.reports import public_site, services
from saferboard.reports.models import Pack

DOWNLOADS = ("pdf", "docx")


def _meeting(board: str, day: str) -> Meeting:
    parsed = public_site.parse_day(day)
    meeting = public_site.public_meeting(board, parsed) if parsed else None
    if meeting is None:
        raise Http404("No such public meeting")
    return meeting


def _pack(meeting: Meeting) -> Pack:
    pack = public_site.public_pack(meeting)
    if pack is None:
        raise Http404("No public pack has been published for this meeting")
    return pack


def _title(meeting: Meeting) -> str:
    return f"{' '.join(meeting.board.name.split())}, {meeting.date:%-d %B %Y}"


@login_not_required
@require_safe  # reading only: GET and HEAD
def index(request: HttpRequest) -> HttpResponse:
    """Every meeting with a public page, latest first."""
    return render_page(
        request,
        "public/index.html",
        {"meetings": public_site.public_meetings()},
    )


@login_not_required
@require_safe  # reading only: GET and HEAD
def meeting(request: HttpRequest, board: str, day: str) -> HttpResponse:
    """One meeting as a council's committee site shows it: details, agenda, documents."""
    found = _meeting(board, day)
    agenda = documents.build_agenda(found, show_exempt=False)
    return render_page(
        request,
        "public/meeting.html",
        {
            "meeting": found,
            "title": _title(found),
            "agenda": agenda,
            "exempt_text": public_site.EXEMPT_TEXT,
            "pack": public_site.public_pack(found),
            "minutes": public_site.minutes_published(found),
            "questions": public_site.public_questions(found),
        },
    )


@login_not_required
@require_safe  # reading only: GET and HEAD
def pack_web(request: HttpRequest, board: str, day: str) -> HttpResponse:
    """The published public pack as a web page."""
    found = _meeting(board, day)
    pack = _pack(found)
    body = services.file_for(pack, "html").read_text(encoding="utf-8")
    return render_page(
        request,
        "public/pack.html",
        {
            "meeting": found,
            "pack": pack,
            "body": body,
            "title": f"{_title(found)}: public pack",
        },
    )


@login_not_required
@require_safe  # reading only: GET and HEAD
def pack_download(request: HttpRequest, board: str, day: str, fmt: str) -> FileResponse:
    """The published public pack's PDF or Word file."""
    if fmt not in DOWNLOADS:
        raise Http404("No such format")
    found = _meeting(board, day)
    pack = _pack(found)
    try:
        path = services.file_for(pack, fmt)
    except services.PackError as error:
        raise Http404(str(error)) from error
    name = f"{found.board.slug}-{found.date:%Y-%m-%d}-public-pack.{fmt}"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=services.FORMATS[fmt]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_safe  # reading only: GET and HEAD
def minutes(request: HttpRequest, board: str, day: str) -> HttpResponse:
    """The agreed minutes, exempt items reduced to their number."""
    found = _meeting(board, day)
    if not public_site.minutes_published(found):
        raise Http404("The minutes of this meeting are not agreed yet")
    return render_page(
        request,
        "public/minutes.html",
        {
            "meeting": found,
            "title": f"{_title(found)}: minutes",
            "doc": documents.build_minutes(found, show_exempt=False),
            "exempt_text": public_site.EXEMPT_TEXT,
        },
    )
