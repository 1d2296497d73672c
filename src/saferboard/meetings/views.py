"""Meeting pages: boards, meetings, agenda, attendance, minutes, matters arising, downloads.

Managers (coordinators, administrators) run meetings; everyone signed in reads them.
Exempt items are reduced to their number for anyone who may not see them (see
:mod:`saferboard.meetings.access`); the document builders do the hiding, so a page and
its PDF never disagree.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core import audit
from saferboard.core.editing import save_or_show
from saferboard.core.guards import require
from saferboard.core.models import AuditAction, Person
from saferboard.core.pages import AppPages
from saferboard.core.partnerships import current_partnership
from saferboard.core.periods import add_months
from saferboard.meetings import declarations as declaring
from saferboard.meetings import documents, services
from saferboard.meetings.access import can_manage, can_see_exempt
from saferboard.meetings.forms import (
    AgendaItemForm,
    AmendmentForm,
    AttendanceForm,
    MeetingForm,
    MinuteEditForm,
    MinuteForm,
    RaiseActionForm,
    RatesForm,
)
from saferboard.meetings.models import (
    AgendaItem,
    AttendanceKind,
    Board,
    BoardMember,
    Meeting,
    MeetingStatus,
    MinuteItem,
    MinutesLocked,
)
from saferboard.reports.sections import kind_label, suggest_kind

STATUS_BUTTONS = {
    MeetingStatus.AGENDA_PUBLISHED: "Publish the agenda",
    MeetingStatus.HELD: "Mark the meeting as held",
    MeetingStatus.CANCELLED: "Cancel the meeting",
}


_render = AppPages("can_manage", can_manage)


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("board", "board__action_log", "minutes_agreed_at"), pk=pk
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    boards = Board.objects.filter(partnership=current_partnership()).select_related("parent")
    upcoming = (
        Meeting.objects.filter(board__in=boards, date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
        .order_by("date")[:10]
    )
    recent = (
        Meeting.objects.filter(board__in=boards, date__lt=today)
        .select_related("board")
        .order_by("-date")[:10]
    )
    return _render(
        request, "meetings/index.html", {"boards": boards, "upcoming": upcoming, "recent": recent}
    )


@require_GET
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(
        Board.objects.select_related("action_log", "parent"),
        slug=slug,
        partnership=current_partnership(),
    )
    today = timezone.localdate()
    form = RatesForm(request.GET or None)
    start, end = add_months(today, -12) + timedelta(days=1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if end < start:
            form.add_error("end", "The end of the period must be after its start")
    rates = services.board_attendance_rates(board, start, end) if not form.errors else []
    members = (
        board.members.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "organisation")
        .order_by("person__full_name")
    )
    return _render(
        request,
        "meetings/board_detail.html",
        {
            "board": board,
            "members": members,
            "meetings": board.meetings.order_by("-date"),
            "standing": board.standing_items.all(),
            "rates": rates,
            "start": start,
            "end": end,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, can_manage)
    board = get_object_or_404(Board, slug=slug, partnership=current_partnership())
    form = MeetingForm(request.POST or None)
    scheduled: list[Meeting] = []

    def save(data: dict[str, Any]) -> str:
        scheduled.append(
            services.create_meeting(
                board,
                day=data["date"],
                start_time=data["start_time"],
                place=data["place"],
                online=data["online"],
            )
        )
        return "Meeting scheduled: its agenda starts from the standing items"

    return save_or_show(
        request,
        form,
        save,
        then=lambda: reverse("meetings:meeting", kwargs={"pk": scheduled[0].pk}),
        refused=services.MeetingError,
        template="meetings/meeting_form.html",
        context={"form": form, "board": board},
        show=_render,
    )


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    previous = services.previous_meeting(meeting)
    return {
        "meeting": meeting,
        "board": meeting.board,
        "show_exempt": can_see_exempt(request.user, meeting),  # type: ignore[arg-type]
        "previous": previous,
        # In the buttons' own order (cancelling last): the next statuses are a set,
        # whose order changed with each server process.
        "next_statuses": [
            (s, label)
            for s, label in STATUS_BUTTONS.items()
            if s in services._NEXT_STATUS[MeetingStatus(meeting.status)]
        ],
    }


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    context = _meeting_context(request, meeting)
    context["agenda"] = documents.build_agenda(meeting, show_exempt=context["show_exempt"])
    context["agreeable"] = _agreeable(meeting)
    context["removable"] = services.items_removable(meeting)
    context["editable"] = (
        can_manage(request.user)  # type: ignore[arg-type]
        and not meeting.minutes_locked
        and not meeting.is_cancelled
    )
    context.update(declaration_context(request, meeting))
    context["question_count"] = meeting.questions.filter(withdrawn_on__isnull=True).count()
    return _render(request, "meetings/meeting_detail.html", context)


def meeting_open(meeting: Meeting) -> bool:
    """Whether the clerk may still record questions and declarations for the meeting."""
    return not meeting.minutes_locked and not meeting.is_cancelled


def declaration_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The meeting's declarations as the reader may see them (the meeting page and the
    declarations register)."""
    show = can_see_exempt(request.user, meeting)  # type: ignore[arg-type]
    lines = declaring.declaration_lines(
        meeting.declarations.select_related("person", "agenda_item"),
        services.agenda_numbers(meeting),
        show_exempt=show,
    )
    return {"declarations": lines, "declarations_open": meeting_open(meeting)}


def _agreeable(meeting: Meeting) -> Meeting | None:
    """The earlier meeting whose draft minutes this meeting can agree, if any."""
    if meeting.status not in {MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFT}:
        return None
    previous = services.previous_meeting(meeting)
    if previous and previous.status == MeetingStatus.MINUTES_DRAFT:
        return previous
    return None


@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    try:
        services.set_status(meeting, request.POST.get("status", ""))
    except (services.MeetingError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The meeting is now ‘{meeting.get_status_display().lower()}’")
    return redirect("meetings:meeting", pk=meeting.pk)


@require_POST
def agree_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """At this meeting, agree the previous meeting's minutes (then they are locked)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    previous = _agreeable(meeting)
    if previous is None:
        messages.error(request, "There are no draft minutes for this meeting to agree")
    else:
        services.agree_minutes(previous, at=meeting, user=request.user)  # type: ignore[arg-type]
        messages.success(
            request, f"Minutes of {previous.date:%-d %B %Y} agreed: they are now locked"
        )
    return redirect("meetings:meeting", pk=meeting.pk)


def _agenda_item(meeting: Meeting, pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting"), meeting=meeting, pk=pk)


def _item_fields(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("title", "kind", "parent", "presenter", "papers", "exempt", "exempt_reason")
    return {key: data[key] for key in keys}


@require_http_methods(["GET", "POST"])
def agenda_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item. If the clerk has not said what it contains, the form comes back with
    the title's suggestion chosen and a note saying so: the title suggests, the clerk
    decides."""
    require(request, can_manage)
    meeting = _meeting(pk)
    numbers = services.agenda_numbers(meeting)
    form = AgendaItemForm(request.POST or None, meeting=meeting, numbers=numbers)
    suggested = ""
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["kind"]:
            suggested = suggest_kind(form.cleaned_data["title"])
            data = request.POST.copy()
            data["kind"] = suggested
            form = AgendaItemForm(data, meeting=meeting, numbers=numbers)
            form.is_valid()
        else:
            try:
                services.add_agenda_item(
                    meeting, **_item_fields(form.cleaned_data), request=request
                )
            except services.MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Agenda item added")
                return redirect("meetings:meeting", pk=meeting.pk)
    return _render(
        request,
        "meetings/agenda_item_form.html",
        {
            "form": form,
            "item": None,
            "suggested": kind_label(suggested) if suggested else "",
            **_meeting_context(request, meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Change an item: its title, what it contains, its parent, presenter and papers."""
    require(request, can_manage)
    meeting = _meeting(pk)
    agenda_item = _agenda_item(meeting, item)
    initial = {
        "title": agenda_item.title,
        "kind": agenda_item.kind,
        "parent": agenda_item.parent_id,
        "presenter": agenda_item.presenter,
        "papers": agenda_item.papers,
        "exempt": agenda_item.exempt,
        "exempt_reason": agenda_item.exempt_reason,
    }
    form = AgendaItemForm(
        request.POST or None,
        initial=initial,
        meeting=meeting,
        item=agenda_item,
        numbers=services.agenda_numbers(meeting),
    )

    def save(data: dict[str, Any]) -> str:
        services.update_agenda_item(agenda_item, **_item_fields(data), request=request)
        return "Agenda item saved"

    return save_or_show(
        request,
        form,
        save,
        then=reverse("meetings:meeting", kwargs={"pk": meeting.pk}),
        refused=services.MeetingError,
        template="meetings/agenda_item_form.html",
        context=lambda: {
            "form": form,
            "item": agenda_item,
            "suggested": "",
            **_meeting_context(request, meeting),
        },
        show=_render,
    )


@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Move an item one place up or down (buttons on the agenda; no script needed)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    agenda_item = _agenda_item(meeting, item)
    direction = request.POST.get("direction", "")
    try:
        if direction not in ("up", "down"):
            raise services.MeetingError("Move an item up or down")
        services.move_agenda_item(agenda_item, direction, request=request)  # type: ignore[arg-type]
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        number = services.agenda_numbers(meeting)[agenda_item.pk]
        messages.success(request, f"‘{agenda_item.title}’ is now item {number}")
    return redirect(reverse("meetings:meeting", kwargs={"pk": meeting.pk}) + "#agenda")


@require_http_methods(["GET", "POST"])
def agenda_item_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Ask, then remove an item from the agenda (audited)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    agenda_item = _agenda_item(meeting, item)
    if request.method == "POST":  # nothing to fill in: the CSRF token is the check
        try:
            services.remove_agenda_item(agenda_item, request=request)
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"‘{agenda_item.title}’ removed from the agenda")
        return redirect("meetings:meeting", pk=meeting.pk)
    return _render(
        request,
        "meetings/agenda_item_remove.html",
        {
            "item": agenda_item,
            "number": services.agenda_numbers(meeting)[agenda_item.pk],
            "sub_items": list(agenda_item.sub_items.all()),
            **_meeting_context(request, meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    members = list(
        BoardMember.objects.active_on(meeting.date)
        .filter(board=meeting.board)
        .select_related("person", "organisation")
        .prefetch_related("named_substitutes__person")
        .order_by("person__full_name")
    )
    named = {
        m.pk: [
            s.person.full_name for s in m.named_substitutes.all() if s.is_active_on(meeting.date)
        ]
        for m in members
    }
    initial: dict[str, Any] = {}
    also = []
    for row in meeting.attendance.select_related("person", "organisation"):
        if row.member_id:
            initial[f"member_{row.member_id}"] = row.kind
        elif row.substitute_for_id:
            initial[f"member_{row.substitute_for_id}"] = AttendanceKind.SUBSTITUTE
            initial[f"substitute_{row.substitute_for_id}"] = row.display_name
        elif row.kind == AttendanceKind.ALSO_PRESENT:
            org = row.organisation.name if row.organisation else ""
            also.append(f"{row.display_name}, {org}" if org else row.display_name)
    initial["also_present"] = "\n".join(also)
    form = AttendanceForm(
        request.POST or None, members=members, named_substitutes=named, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        entries = _attendance_entries(meeting, form)
        try:
            held = services.record_attendance(meeting, entries)
        except (services.MeetingError, MinutesLocked) as error:
            form.add_error(None, str(error))
        else:
            if meeting.date > timezone.localdate():
                messages.success(
                    request,
                    "Attendance saved as expected so far: the meeting is still to come, "
                    "so it is not marked as held",
                )
            elif held:
                messages.success(request, "Attendance saved: the meeting is now ‘held’")
            else:
                messages.success(request, "Attendance saved")
            return redirect("meetings:meeting", pk=meeting.pk)
    return _render(
        request,
        "meetings/attendance_form.html",
        {"form": form, **_meeting_context(request, meeting)},
    )


def _attendance_entries(meeting: Meeting, form: AttendanceForm) -> list[services.AttendanceEntry]:
    people = Person.objects.filter(organisation__partnership=meeting.board.partnership)
    by_name = {p.full_name.lower(): p for p in people.select_related("organisation")}
    entries = []
    for member in form.members:
        kind = form.cleaned_data.get(f"member_{member.pk}")
        if not kind:
            continue
        if kind == AttendanceKind.SUBSTITUTE:
            name = form.cleaned_data[f"substitute_{member.pk}"].strip()
            person = by_name.get(name.lower())
            entries.append(
                services.AttendanceEntry(
                    kind=AttendanceKind.SUBSTITUTE,
                    person=person,
                    name="" if person else name,
                    organisation=member.organisation,
                    substitute_for=member,
                )
            )
            entries.append(
                services.AttendanceEntry(
                    kind=AttendanceKind.APOLOGIES,
                    person=member.person,
                    organisation=member.organisation,
                    member=member,
                )
            )
            continue
        entries.append(
            services.AttendanceEntry(
                kind=kind, person=member.person, organisation=member.organisation, member=member
            )
        )
    orgs = {o.name.lower(): o for o in meeting.board.partnership.organisations.all()}
    for name, org_name in AttendanceForm.also_present_lines(form.cleaned_data):
        person = by_name.get(name.lower())
        org = orgs.get(org_name.lower()) or (person.organisation if person else None)
        entries.append(
            services.AttendanceEntry(
                kind=AttendanceKind.ALSO_PRESENT,
                person=person,
                name="" if person else (f"{name}, {org_name}" if org_name and not org else name),
                organisation=org,
            )
        )
    return entries


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    context = _meeting_context(request, meeting)
    form = MinuteForm(request.POST or None, meeting=meeting)
    amendment_form = AmendmentForm()
    if request.method == "POST":
        require(request, can_manage)
        if request.POST.get("form") == "amendment":
            amendment_form = AmendmentForm(request.POST)
            form = MinuteForm(meeting=meeting)
            if amendment_form.is_valid():
                number = amendment_form.cleaned_data["minute_number"]
                item = None
                if number:
                    item = _find_minute(meeting, number)
                    if item is None:
                        amendment_form.add_error(
                            "minute_number", f"Minute {number} is not in these minutes"
                        )
                if not amendment_form.errors:
                    services.record_amendment(
                        meeting,
                        text=amendment_form.cleaned_data["text"],
                        user=request.user,
                        minute_item=item,  # type: ignore[arg-type]
                    )
                    messages.success(request, "Amendment recorded")
                    return redirect("meetings:minutes", pk=meeting.pk)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item = services.add_minute(
                    meeting,
                    title=data["title"],
                    text=data["text"],
                    agenda_item=data["agenda_item"],
                    exempt=data["exempt"],
                    resolutions=data["resolutions"].splitlines(),
                    suffix=data["suffix"],
                )
            except (services.MeetingError, MinutesLocked) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Minute {item.label} added")
                return redirect(_minute_url(meeting, item.label))
    context.update(
        {
            "doc": documents.build_minutes(meeting, show_exempt=context["show_exempt"]),
            "form": form,
            "amendment_form": amendment_form,
            "errors": form.errors or amendment_form.errors,
            "error_form": form if form.errors else amendment_form,
            "can_minute": meeting.status in {MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFT},
        }
    )
    return _render(request, "meetings/minutes.html", context)


def _minute_url(meeting: Meeting, label: str) -> str:
    return reverse("meetings:minutes", kwargs={"pk": meeting.pk}) + f"#minute-{label}"


def _find_minute(meeting: Meeting, label: str) -> MinuteItem | None:
    """The meeting's minute numbered ``label`` ('43' or '43a'), if there is one."""
    label = label.lower()
    digits = label.rstrip("abcdefghijklmnopqrstuvwxyz")
    if not (digits.isascii() and digits.isdigit()):
        return None
    return meeting.minute_items.filter(number=int(digits), suffix=label[len(digits) :]).first()


def _minute(meeting: Meeting, number: str) -> MinuteItem:
    item = _find_minute(meeting, str(number))
    if item is None:
        raise Http404
    return item


@require_http_methods(["GET", "POST"])
def minute_edit(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    item = _minute(meeting, number)
    if meeting.minutes_locked:
        messages.error(request, "These minutes have been agreed: record an amendment instead")
        return redirect("meetings:minutes", pk=meeting.pk)
    form = MinuteEditForm(request.POST or None, initial={"title": item.title, "text": item.text})
    if request.method == "POST" and form.is_valid():
        services.update_minute(
            item, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
        )
        if form.cleaned_data["resolution"].strip():
            services.add_resolution(item, form.cleaned_data["resolution"])
        messages.success(request, f"Minute {item.label} saved")
        return redirect(_minute_url(meeting, item.label))
    return _render(
        request,
        "meetings/minute_form.html",
        {"form": form, "item": item, **_meeting_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def raise_action(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    item = _minute(meeting, number)
    form = RaiseActionForm(request.POST or None, meeting=meeting)

    def save(data: dict[str, Any]) -> str:
        action = services.raise_action(
            item,
            description=data["description"],
            owners=data["owners"],
            owner_organisations=data["owner_organisations"],
            due=data["due"],
        )
        return f"Action {action.reference} raised at minute {item.label}"

    return save_or_show(
        request,
        form,
        save,
        then=_minute_url(meeting, item.label),
        refused=(services.MeetingError, MinutesLocked),
        template="meetings/raise_action.html",
        context=lambda: {"form": form, "item": item, **_meeting_context(request, meeting)},
        show=_render,
    )


@require_http_methods(["GET", "POST"])
def matters_arising(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    if request.method == "POST":
        require(request, can_manage)
        try:
            report = services.generate_matters_arising(meeting, user=request.user)  # type: ignore[arg-type]
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Matters arising generated: {len(report.rows)} actions")
        return redirect("meetings:matters-arising", pk=meeting.pk)
    doc = documents.build_matters_arising(meeting)
    context = _meeting_context(request, meeting)
    context.update(
        {
            "doc": doc,
            "generated": documents.generated_label(doc),
            "log": meeting.board.action_log,
        }
    )
    return _render(request, "meetings/matters_arising.html", context)


_BUILDERS = {
    "agenda": lambda m, show: documents.build_agenda(m, show_exempt=show),
    "minutes": lambda m, show: documents.build_minutes(m, show_exempt=show),
    "matters-arising": lambda m, show: documents.build_matters_arising(m),
}


@require_GET
def download(request: HttpRequest, pk: int, document: str, fmt: str) -> HttpResponse:
    """The agenda, minutes or matters arising as PDF or DOCX (exempt items as on the page)."""
    meeting = _meeting(pk)
    if document not in _BUILDERS or fmt not in {"pdf", "docx"}:
        raise Http404
    show = can_see_exempt(request.user, meeting)  # type: ignore[arg-type]
    doc = _BUILDERS[document](meeting, show)
    audit.record(
        AuditAction.EXPORT,
        request=request,
        obj=meeting,
        what=f"{document} {fmt}",
        exempt_included=show,
    )
    if fmt == "pdf":
        body, media = documents.render_pdf(doc), "application/pdf"
    else:
        body = documents.render_docx(doc)
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=media)
    name = f"{meeting.board.slug}-{meeting.date:%Y-%m-%d}-{document}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
