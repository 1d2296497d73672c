"""The clerk's records of a meeting: its questions log, its declarations of interest
and its papers' cover sheets.

Coordinators and administrators (who run meetings, as the clerk) add, change and
withdraw; everyone signed in reads. A member of the public's name is shown here to
signed-in staff only (and each such read is audited); published renderings use
:func:`saferboard.meetings.questions.shown_name`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core import audit
from saferboard.core.editing import save_or_show
from saferboard.core.guards import require
from saferboard.core.models import AuditAction
from saferboard.meetings import declarations as declaring
from saferboard.meetings import questions as asking
from saferboard.meetings.access import can_manage, can_see_exempt
from saferboard.meetings.clerk_forms import CoverSheetForm, DeclarationForm, QuestionForm
from saferboard.meetings.cover_sheets import (
    FIELDS as COVER_FIELDS,
)
from saferboard.meetings.cover_sheets import (
    cover_sheet_of,
    cover_sheet_page,
    remove_cover_sheet,
    save_cover_sheet,
)
from saferboard.meetings.models import (
    AgendaItem,
    Declaration,
    Meeting,
    MinutesLocked,
    Question,
    QuestionerKind,
)
from saferboard.meetings.services import agenda_numbers
from saferboard.meetings.views import (
    _meeting,
    _meeting_context,
    _render,
    declaration_context,
    meeting_open,
)

QUESTION_FIELDS = (
    "asker_kind",
    "asker_name",
    "name_public",
    "text",
    "received_on",
    "answer",
    "answered_by",
    "answered_on",
)
DECLARATION_FIELDS = ("person", "name", "agenda_item", "kind", "nature", "left_room")


# Questions -----------------------------------------------------------------------------


@require_GET
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's questions log, with the deadline the board's rule gives."""
    meeting = _meeting(pk)
    listed = list(meeting.questions.all())
    lines = asking.question_lines(listed, public=False)
    if any(q.asker_kind == QuestionerKind.PUBLIC for q in listed):
        # Members of the public are named on this page: a read of personal data.
        audit.record(
            AuditAction.READ_PERSONAL_DATA, request=request, obj=meeting, what="questions log"
        )
    try:
        deadline = asking.deadline_for(meeting)
    except asking.QuestionError as error:
        deadline, deadline_note = None, str(error)
    else:
        deadline_note = ""
    context = _meeting_context(request, meeting)
    context.update(
        {
            "questions": lines,
            "deadline": deadline,
            "deadline_note": deadline_note,
            "clear_days": meeting.board.question_clear_days,
            "open": meeting_open(meeting),
        }
    )
    return _render(request, "meetings/questions.html", context)


def _question(meeting: Meeting, pk: int) -> Question:
    return get_object_or_404(Question.objects.select_related("meeting"), meeting=meeting, pk=pk)


@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    form = QuestionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            question = asking.add_question(
                meeting, request=request, **{f: form.cleaned_data[f] for f in QUESTION_FIELDS}
            )
        except asking.QuestionError as error:
            form.add_error(None, str(error))
        else:
            timing = "in time" if question.in_time else "after the deadline"
            messages.success(request, f"Question recorded: it was received {timing}")
            return redirect("meetings:questions", pk=meeting.pk)
    return _render(
        request,
        "meetings/question_form.html",
        {"form": form, "question": None, **_meeting_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _question(meeting, question)
    initial = {f: getattr(found, f) for f in QUESTION_FIELDS}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            asking.update_question(
                found, request=request, **{f: form.cleaned_data[f] for f in QUESTION_FIELDS}
            )
        except asking.QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question saved")
            return redirect("meetings:questions", pk=meeting.pk)
    return _render(
        request,
        "meetings/question_form.html",
        {"form": form, "question": found, **_meeting_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def question_withdraw(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    """Ask, then withdraw a question (kept in the log as withdrawn; audited)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _question(meeting, question)
    if request.method == "POST":  # nothing to fill in: the CSRF token is the check
        try:
            asking.withdraw_question(found, on=timezone.localdate(), request=request)
        except asking.QuestionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Question withdrawn: it stays in the log, marked withdrawn")
        return redirect("meetings:questions", pk=meeting.pk)
    return _render(
        request,
        "meetings/clerk_confirm.html",
        {
            "heading": "Withdraw this question?",
            "body": f"The question received on {found.received_on:%-d %B %Y} stays in the "
            "log, marked withdrawn. It is no longer printed in the pack or published.",
            "button": "Withdraw the question",
            "back_url": reverse("meetings:questions", args=[meeting.pk]),
            **_meeting_context(request, meeting),
        },
    )


# Declarations of interest --------------------------------------------------------------


@require_GET
def declarations(request: HttpRequest, pk: int) -> HttpResponse:
    """The register of declarations of interest made at the meeting."""
    meeting = _meeting(pk)
    context = _meeting_context(request, meeting)
    context.update(declaration_context(request, meeting))
    return _render(request, "meetings/declarations.html", context)


def _declaration(meeting: Meeting, pk: int) -> Declaration:
    return get_object_or_404(
        Declaration.objects.select_related("meeting"),
        meeting=meeting,
        pk=pk,
        withdrawn_on__isnull=True,
    )


def _declaration_form(
    request: HttpRequest, meeting: Meeting, initial: dict[str, Any] | None = None
) -> DeclarationForm:
    return DeclarationForm(
        request.POST or None,
        initial=initial,
        meeting=meeting,
        people=declaring.people_for(meeting),
        numbers=agenda_numbers(meeting),
    )


@require_http_methods(["GET", "POST"])
def declaration_new(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    form = _declaration_form(request, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            declaring.add_declaration(
                meeting, request=request, **{f: form.cleaned_data[f] for f in DECLARATION_FIELDS}
            )
        except (declaring.DeclarationError, MinutesLocked) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Declaration of interest recorded")
            return redirect("meetings:declarations", pk=meeting.pk)
    return _render(
        request,
        "meetings/declaration_form.html",
        {"form": form, "declaration": None, **_meeting_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def declaration_edit(request: HttpRequest, pk: int, declaration: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _declaration(meeting, declaration)
    initial = {
        "person": found.person_id,
        "name": found.name,
        "agenda_item": found.agenda_item_id,
        "kind": found.kind,
        "nature": found.nature,
        "left_room": found.left_room,
    }
    form = _declaration_form(request, meeting, initial)
    if request.method == "POST" and form.is_valid():
        try:
            declaring.update_declaration(
                found, request=request, **{f: form.cleaned_data[f] for f in DECLARATION_FIELDS}
            )
        except (declaring.DeclarationError, MinutesLocked) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Declaration of interest saved")
            return redirect("meetings:declarations", pk=meeting.pk)
    return _render(
        request,
        "meetings/declaration_form.html",
        {"form": form, "declaration": found, **_meeting_context(request, meeting)},
    )


@require_http_methods(["GET", "POST"])
def declaration_withdraw(request: HttpRequest, pk: int, declaration: int) -> HttpResponse:
    """Ask, then withdraw a declaration recorded in error (kept; audited)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _declaration(meeting, declaration)
    if request.method == "POST":
        try:
            declaring.withdraw_declaration(found, on=timezone.localdate(), request=request)
        except (declaring.DeclarationError, MinutesLocked) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Declaration withdrawn: it is no longer in the minutes")
        return redirect("meetings:declarations", pk=meeting.pk)
    return _render(
        request,
        "meetings/clerk_confirm.html",
        {
            "heading": "Withdraw this declaration?",
            "body": f"{found.display_name}'s declaration ({found.get_kind_display().lower()}) "
            "was recorded in error: it is kept in the record, and no longer printed in the "
            "minutes or the pack.",
            "button": "Withdraw the declaration",
            "back_url": reverse("meetings:declarations", args=[meeting.pk]),
            **_meeting_context(request, meeting),
        },
    )


# Papers and their cover sheets ---------------------------------------------------------


def _paper_item(request: HttpRequest, meeting: Meeting, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), meeting=meeting, pk=pk)
    if item.exempt and not can_see_exempt(request.user, meeting):  # type: ignore[arg-type]
        raise Http404("No such paper")
    return item


@require_GET
def paper(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """A paper's page: its cover sheet (as the pack prints it), its papers and PDFs."""
    meeting = _meeting(pk)
    found = _paper_item(request, meeting, item)
    sheet = cover_sheet_of(found)
    context = _meeting_context(request, meeting)
    context.update(
        {
            "item": found,
            "number": agenda_numbers(meeting)[found.pk],
            "sheet": cover_sheet_page(sheet) if sheet else None,
            "appendices": list(found.pack_appendices.all()),
            "prints": bool(found.paper_list() or found.pack_appendices.exists()),
            "open": not meeting.minutes_locked,
        }
    )
    return _render(request, "meetings/paper.html", context)


@require_http_methods(["GET", "POST"])
def cover_sheet_edit(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _paper_item(request, meeting, item)
    sheet = cover_sheet_of(found)
    initial = {f: getattr(sheet, f) for f in COVER_FIELDS} if sheet else {}
    form = CoverSheetForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str:
        save_cover_sheet(found, request=request, **data)
        return "Cover sheet saved: it is the paper's first page in the pack"

    return save_or_show(
        request,
        form,
        save,
        then=reverse("meetings:paper", kwargs={"pk": meeting.pk, "item": found.pk}),
        refused=ValueError,
        template="meetings/cover_sheet_form.html",
        context=lambda: {
            "form": form,
            "item": found,
            "sheet": sheet,
            "number": agenda_numbers(meeting)[found.pk],
            **_meeting_context(request, meeting),
        },
        show=_render,
    )


@require_http_methods(["GET", "POST"])
def cover_sheet_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Ask, then remove a paper's cover sheet (audited with what it held)."""
    require(request, can_manage)
    meeting = _meeting(pk)
    found = _paper_item(request, meeting, item)
    if request.method == "POST":
        try:
            removed = remove_cover_sheet(found, request=request)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            if removed:
                messages.success(request, "Cover sheet removed: the paper prints without one")
        return redirect("meetings:paper", pk=meeting.pk, item=found.pk)
    return _render(
        request,
        "meetings/clerk_confirm.html",
        {
            "heading": "Remove the cover sheet?",
            "body": f"‘{found.title}’ will print without a cover sheet.",
            "button": "Remove the cover sheet",
            "back_url": reverse("meetings:paper", args=[meeting.pk, found.pk]),
            **_meeting_context(request, meeting),
        },
    )
