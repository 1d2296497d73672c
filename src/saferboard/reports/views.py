"""Board pack pages: list, build with progress, figure check, publish, read, download.

Views are thin: the rules live in :mod:`saferboard.reports.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from saferboard.core.pages import AppPages
from saferboard.meetings.access import can_manage
from saferboard.meetings.models import Board, Meeting, MeetingStatus
from saferboard.reports import acknowledgements, public_site, services
from saferboard.reports.files import appendix_path, write_atomic
from saferboard.reports.forms import AcknowledgeForm, AppendixForm
from saferboard.reports.models import Audience, FigureIssue, Pack, PackAppendix, PackStatus
from saferboard.reports.prose_disclosure import is_disclosure

_render = AppPages("can_build", services.can_build)


def _readable_pack(request: HttpRequest, pk: int) -> Pack:
    pack = get_object_or_404(Pack.objects.select_related("meeting__board"), pk=pk)
    if not services.can_read(request.user, pack):  # type: ignore[arg-type]
        raise Http404("No such pack")  # not 403: do not reveal that a draft exists
    return pack


def _require_builder(request: HttpRequest) -> None:
    if not services.can_build(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Only coordinators and administrators build and publish packs")


def index(request: HttpRequest) -> HttpResponse:
    """Meetings with their packs: builders see every version, others what they may read."""
    meetings = (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
        .prefetch_related(Prefetch("packs", queryset=Pack.objects.order_by("audience", "-version")))
        .order_by("-date", "board__name")
    )
    rows = []
    for meeting in meetings:
        packs = [p for p in meeting.packs.all() if services.can_read(request.user, p)]  # type: ignore[arg-type]
        latest: dict[str, Pack] = {}
        for pack in packs:
            latest.setdefault(pack.audience, pack)
        if packs or services.can_build(request.user):  # type: ignore[arg-type]
            rows.append(
                {
                    "meeting": meeting,
                    "public": latest.get("public"),
                    "restricted": latest.get("restricted"),
                }
            )
    return _render(
        request,
        "reports/index.html",
        {
            "rows": rows,
            # On an installation with no board yet, say where one is set up.
            "can_set_up_boards": can_manage(request.user)  # type: ignore[arg-type]
            and not Board.objects.filter(retired_on__isnull=True).exists(),
        },
    )


def meeting_packs(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting's pack versions, the build buttons and the appendix upload."""
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    services.fail_abandoned_builds()  # a killed build shows as failed, not "building"
    packs = [
        p
        for p in meeting.packs.order_by("-version", "audience")
        if services.can_read(request.user, p)  # type: ignore[arg-type]
    ]
    for pack in packs:
        pack.checkable = services.can_check(request.user, pack)  # type: ignore[arg-type,attr-defined]
    if not packs and not services.can_build(request.user):  # type: ignore[arg-type]
        raise Http404("No packs")
    items = list(meeting.agenda_items.order_by("position"))
    form = AppendixForm(items=[(i.pk, f"{i.position}. {i.title}") for i in items])
    appendices = PackAppendix.objects.filter(agenda_item__meeting=meeting).select_related(
        "agenda_item"
    )
    return _render(
        request,
        "reports/meeting.html",
        {
            "meeting": meeting,
            "packs": packs,
            "form": form,
            "appendices": appendices,
            "public_url": public_site.public_address(meeting),
        },
    )


@require_POST
def build(request: HttpRequest, pk: int, audience: str) -> HttpResponse:
    _require_builder(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    if audience not in Audience.values:
        raise Http404("No such audience")
    pack = services.start_build(meeting, audience, request.user)  # type: ignore[arg-type]
    return redirect("reports:status", pk=pack.pk)


def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Build progress; refreshes itself (meta refresh, no script) until the build ends."""
    _require_builder(request)
    services.fail_abandoned_builds()  # a killed build shows as failed, not "building"
    pack = get_object_or_404(Pack.objects.select_related("meeting__board"), pk=pk)
    return _render(
        request,
        "reports/status.html",
        {"pack": pack, "refresh": pack.status == PackStatus.BUILDING},
    )


def _require_checker(request: HttpRequest, pack: Pack) -> None:
    """Builders check every version; analysts the public one (services.can_check)."""
    if not services.can_check(request.user, pack):  # type: ignore[arg-type]
        raise PermissionDenied(
            "Only coordinators and administrators check this version's figures; "
            "analysts check the public pack's"
        )


def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The figure check's findings, each to fix or acknowledge, and the publish button."""
    pack = get_object_or_404(Pack.objects.select_related("meeting__board"), pk=pk)
    _require_checker(request, pack)
    if not pack.is_ready:
        if not services.can_build(request.user):  # type: ignore[arg-type]
            raise Http404("This pack is not built")
        return redirect("reports:status", pk=pack.pk)
    return _render(request, "reports/check.html", _check_context(pack))


def _check_context(pack: Pack) -> dict[str, Any]:
    """The findings of ``pack``, each with its acceptance for the meeting (if any), and
    for a public version how many findings only the restricted version has."""
    accepted = acknowledgements.accepted_for(pack.meeting)
    issues = list(pack.issues.select_related("acknowledged_by"))
    open_count = 0
    for issue in issues:
        acceptance = accepted.get(issue.key)
        resolved = bool(issue.acknowledged_at or acceptance)
        issue.accepted = acceptance  # type: ignore[attr-defined]
        issue.resolved = resolved  # type: ignore[attr-defined]
        issue.disclosure = is_disclosure(issue)  # type: ignore[attr-defined]
        open_count += not resolved
    return {
        "pack": pack,
        "issues": issues,
        "open_count": open_count,
        "form": AcknowledgeForm(),
        "web_url": reverse("reports:web", args=[pack.pk]),
        "restricted_only": (
            acknowledgements.restricted_only_open(pack) if pack.audience == Audience.PUBLIC else 0
        ),
    }


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a finding as it stands, with the reason: for every pack of the meeting."""
    issue = get_object_or_404(FigureIssue.objects.select_related("pack__meeting"), pk=pk)
    _require_checker(request, issue.pack)
    if is_disclosure(issue) and not services.can_build(request.user):  # type: ignore[arg-type]
        # Whether a small number may be published is the coordinator's decision.
        raise PermissionDenied("Only coordinators and administrators accept a small number")
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            acknowledgements.accept(
                issue,
                user=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, f"Finding acknowledged: {issue.location}")
        except acknowledgements.AcceptError as error:
            messages.error(request, str(error))
        return redirect(reverse("reports:check", args=[issue.pack_id]) + f"#issue-{issue.pk}")
    context = _check_context(issue.pack)
    context.update(error_form=form, error_issue=issue.pk)
    return _render(request, "reports/check.html", context, status=400)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_builder(request)
    pack = get_object_or_404(Pack, pk=pk)
    try:
        services.publish(pack, user=request.user, request=request)  # type: ignore[arg-type]
    except services.PackError as error:
        messages.error(request, str(error))
        return redirect("reports:check", pk=pack.pk)
    messages.success(request, f"Published: {pack}")
    return redirect("reports:meeting", pk=pack.meeting_id)


def web(request: HttpRequest, pk: int) -> HttpResponse:
    """The web pack: the same template tree as the PDF, stored when the pack was built."""
    pack = _readable_pack(request, pk)
    if not pack.is_ready:
        raise Http404("This pack is not built")
    body = services.file_for(pack, "html").read_text(encoding="utf-8")
    if pack.is_restricted:
        services.record_download(pack, "web", user=request.user, request=request)  # type: ignore[arg-type]
    title = (
        " ".join(pack.meeting.board.name.split())
        + f", {pack.meeting.date:%-d %B %Y}: "
        + ("public pack" if pack.audience == Audience.PUBLIC else "restricted pack")
    )
    return _render(request, "reports/web.html", {"pack": pack, "body": body, "title": title})


def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    pack = _readable_pack(request, pk)
    if not pack.is_ready:
        raise Http404("This pack is not built")
    try:
        path = services.file_for(pack, fmt)
    except services.PackError as error:
        raise Http404(str(error)) from error
    services.record_download(pack, fmt, user=request.user, request=request)  # type: ignore[arg-type]
    name = (
        f"{pack.meeting.board.slug}-{pack.meeting.date:%Y-%m-%d}-"
        f"{pack.audience}-v{pack.version}.{fmt}"
    )
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=services.FORMATS[fmt]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def upload_appendix(request: HttpRequest, pk: int) -> HttpResponse:
    """Store an uploaded PDF paper (by checksum) for an agenda item of this meeting."""
    _require_builder(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    items = {i.pk: i for i in meeting.agenda_items.all()}
    form = AppendixForm(
        request.POST,
        request.FILES,
        items=[(i.pk, f"{i.position}. {i.title}") for i in items.values()],
    )
    if not form.is_valid():
        packs = [p for p in meeting.packs.order_by("-version", "audience")]
        appendices = PackAppendix.objects.filter(agenda_item__meeting=meeting)
        return _render(
            request,
            "reports/meeting.html",
            {"meeting": meeting, "packs": packs, "form": form, "appendices": appendices},
            status=400,
        )
    upload = form.cleaned_data["file"]
    data = upload.read()
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    target = appendix_path(digest)
    if not target.exists():
        write_atomic(target, data)
    PackAppendix.objects.create(
        agenda_item=items[form.cleaned_data["item"]],
        title=form.cleaned_data["title"].strip(),
        original_name=upload.name[:255],
        sha256=digest,
        size=len(data),
        pages=form.pages,
        uploaded_by=request.user,
    )
    messages.success(
        request,
        f"Uploaded {form.cleaned_data['title']} ({form.pages} pages). "
        "Build the pack again to include it.",
    )
    return redirect("reports:meeting", pk=meeting.pk)
