"""Settings pages for boards: create, edit and retire boards; members, substitutes and the
standing agenda.

Administrators and coordinators set boards up; anyone else gets 403. Each page calls one
service in :mod:`saferboard.meetings.boards`, :mod:`~saferboard.meetings.board_members` or
:mod:`~saferboard.meetings.standing_agenda`, which audits the change; a refusal from the
service is shown on the form, never as an error page.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from saferboard.core.editing import save_or_show
from saferboard.core.guards import require
from saferboard.core.models import Organisation, Partnership, Person
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.meetings import board_members, boards, standing_agenda
from saferboard.meetings.access import can_manage
from saferboard.meetings.board_forms import (
    BoardForm,
    EndForm,
    MemberEditForm,
    MemberForm,
    RetireBoardForm,
    StandingItemForm,
    SubstituteForm,
)
from saferboard.meetings.models import Board, BoardMember, NamedSubstitute, StandingItem


def _missing(
    request: HttpRequest, title: str, what: str, link: str, link_text: str
) -> HttpResponse:
    """The page shown when something a page needs has not been set up yet."""
    return render_page(
        request,
        "meetings/settings/missing.html",
        {"title": title, "what": what, "link": link, "link_text": link_text},
    )


def _no_partnership(request: HttpRequest, title: str) -> HttpResponse:
    return _missing(
        request,
        title,
        "The partnership has not been set up yet. Boards belong to a partnership.",
        "/settings/",
        "Set up the partnership",
    )


def _board(slug: str) -> Board:
    return get_object_or_404(
        Board.objects.select_related("parent", "action_log", "action_log__owner"),
        slug=slug,
        partnership=current_partnership(),
    )


# Every page here saves through a board service: a refusal goes on the field it names
# (or above the form).
_save = partial(save_or_show, refused=boards.BoardSetupError)


@require_http_methods(["GET"])
def board_settings(request: HttpRequest) -> HttpResponse:
    """Every board, current and retired, with links to set each up."""
    require(request, can_manage)
    partnership = current_partnership()
    if partnership is None:
        return _no_partnership(request, "Boards")
    all_boards = list(
        Board.objects.filter(partnership=partnership).select_related("parent").order_by("name")
    )
    return render_page(
        request,
        "meetings/settings/boards.html",
        {
            "current": [b for b in all_boards if not b.is_retired],
            "retired": [b for b in all_boards if b.is_retired],
        },
    )


def _save_board(
    request: HttpRequest, data: dict[str, Any], partnership: Partnership, board: Board | None
) -> Board:
    if board is None:
        return boards.create_board(
            partnership,
            data["name"],
            data["kind"],
            data["parent"],
            cadence=data["cadence"],
            cadence_note=data["cadence_note"],
            first_minute_number=data["first_minute_number"] or 1,
            request=request,
        )
    return boards.update_board(
        board,
        name=data["name"],
        kind=data["kind"],
        parent=data["parent"],
        cadence=data["cadence"],
        cadence_note=data["cadence_note"],
        first_minute_number=data["first_minute_number"],
        question_clear_days=data.get("question_clear_days"),
        request=request,
    )


@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    require(request, can_manage)
    partnership = current_partnership()
    if partnership is None:
        return _no_partnership(request, "Add a board")
    if not Organisation.objects.filter(partnership=partnership).exists():
        return _missing(
            request,
            "Add a board",
            "Add an organisation first: each board's action log belongs to an organisation.",
            "/settings/",
            "Set up organisations",
        )
    form = BoardForm(request.POST or None, partnership=partnership)
    added: list[Board] = []

    def save(data: dict[str, Any]) -> str:
        added.append(_save_board(request, data, partnership, None))
        return f"{added[0].name} added, with its own action log"

    return _save(
        request,
        form,
        save,
        then=lambda: board_setup_url(added[0]),
        template="meetings/settings/board_form.html",
        context={"form": form, "board": None},
    )


@require_http_methods(["GET"])
def board_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """One board's set-up: details, members and substitutes, standing agenda."""
    require(request, can_manage)
    board = _board(slug)
    today = timezone.localdate()
    members = list(
        board.members.select_related("person", "organisation")
        .prefetch_related("named_substitutes__person")
        .order_by("end_date", "person__full_name")
    )
    current = [m for m in members if m.end_date is None or m.end_date >= today]
    past = [m for m in members if m.end_date is not None and m.end_date < today]
    for member in current:
        member.current_substitutes = [  # type: ignore[attr-defined]
            s for s in member.named_substitutes.all() if s.end_date is None or s.end_date >= today
        ]
    return render_page(
        request,
        "meetings/settings/board_setup.html",
        {
            "board": board,
            "current_members": current,
            "past_members": past,
            "standing": list(board.standing_items.order_by("position", "pk")),
            "sub_groups": board.sub_groups.order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    initial = {
        "name": board.name,
        "kind": board.kind,
        "parent": board.parent_id,
        "cadence": board.cadence,
        "cadence_note": board.cadence_note,
        "first_minute_number": board.first_minute_number,
        "question_clear_days": board.question_clear_days,
    }
    form = BoardForm(
        request.POST or None, initial=initial, partnership=board.partnership, board=board
    )

    def save(data: dict[str, Any]) -> str:
        _save_board(request, data, board.partnership, board)
        return f"{board.name} updated"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/board_form.html",
        context={"form": form, "board": board},
    )


@require_http_methods(["GET", "POST"])
def board_retire(request: HttpRequest, slug: str) -> HttpResponse:
    """Retire a board (or reinstate a retired one): it keeps its meetings and history."""
    require(request, can_manage)
    board = _board(slug)
    if board.is_retired:
        if request.method == "POST":
            try:
                boards.reinstate_board(board, request=request)
            except boards.BoardSetupError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{board.name} reinstated")
            return redirect("meetings:board-setup", slug=board.slug)
        return render_page(request, "meetings/settings/board_reinstate.html", {"board": board})
    form = RetireBoardForm(request.POST or None, initial={"retired_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str:
        boards.retire_board(board, on=data["retired_on"], request=request)
        return f"{board.name} retired: its meetings and minutes are kept"

    return _save(
        request,
        form,
        save,
        then=reverse("meetings:board-settings"),
        template="meetings/settings/board_retire.html",
        context={"board": board, "form": form},
    )


def _member(board: Board, pk: int) -> BoardMember:
    return get_object_or_404(
        BoardMember.objects.select_related("person", "organisation", "board"), pk=pk, board=board
    )


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    if not Person.objects.filter(organisation__partnership=board.partnership).exists():
        return _missing(
            request,
            "Add a member",
            "Nobody has been added to the partnership yet: add people first.",
            "/settings/",
            "Set up people",
        )
    form = MemberForm(request.POST or None, partnership=board.partnership)

    def save(data: dict[str, Any]) -> str:
        member = board_members.add_member(
            board,
            person=data["person"],
            organisation=data["organisation"],
            role=data["role"],
            start_date=data["start_date"],
            request=request,
        )
        return f"{member.person.full_name} added to {board.name}"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/member_form.html",
        context={"form": form, "board": board},
    )


@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    member = _member(board, pk)
    form = MemberEditForm(
        request.POST or None,
        initial={"role": member.role, "organisation": member.organisation_id},
        partnership=board.partnership,
    )

    def save(data: dict[str, Any]) -> str:
        board_members.update_member(
            member, role=data["role"], organisation=data["organisation"], request=request
        )
        return f"{member.person.full_name}'s seat updated"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/member_edit.html",
        context={"form": form, "board": board, "member": member},
    )


@require_http_methods(["GET", "POST"])
def member_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    member = _member(board, pk)
    form = EndForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        board_members.end_member(member, on=data["end_date"], request=request)
        return f"{member.person.full_name}'s seat ended"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/end_form.html",
        context={
            "form": form,
            "board": board,
            "heading": f"End {member.person.full_name}'s seat",
            "explain": "The seat stays on record for the meetings it was held at. "
            "Substitutes named for it stop on the same day.",
            "button": "End the seat",
        },
    )


@require_http_methods(["GET", "POST"])
def substitute_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    member = _member(board, pk)
    form = SubstituteForm(request.POST or None, partnership=board.partnership)

    def save(data: dict[str, Any]) -> str:
        substitute = board_members.add_substitute(
            member, person=data["person"], start_date=data["start_date"], request=request
        )
        return f"{substitute.person.full_name} named as a substitute for {member.person.full_name}"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/substitute_form.html",
        context={"form": form, "board": board, "member": member},
    )


@require_http_methods(["GET", "POST"])
def substitute_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    substitute = get_object_or_404(
        NamedSubstitute.objects.select_related("person", "member__person"),
        pk=pk,
        member__board=board,
    )
    form = EndForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        board_members.end_substitute(substitute, on=data["end_date"], request=request)
        return f"{substitute.person.full_name} is no longer a substitute"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/end_form.html",
        context={
            "form": form,
            "board": board,
            "heading": f"Stop {substitute.person.full_name} substituting for "
            f"{substitute.member.person.full_name}",
            "explain": "The record that they were named is kept.",
            "button": "Stop substituting",
        },
    )


def _item(board: Board, pk: int) -> StandingItem:
    return get_object_or_404(StandingItem, pk=pk, board=board)


@require_http_methods(["GET", "POST"])
def standing_item_add(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    form = StandingItemForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        standing_agenda.add_standing_item(board, **data, request=request)
        return "Standing item added at the end: move it into place"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/standing_item_form.html",
        context={"form": form, "board": board, "item": None},
    )


@require_http_methods(["GET", "POST"])
def standing_item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    item = _item(board, pk)
    form = StandingItemForm(
        request.POST or None, initial={"title": item.title, "presenter": item.presenter}
    )

    def save(data: dict[str, Any]) -> str:
        standing_agenda.update_standing_item(item, **data, request=request)
        return "Standing item updated: future agendas will use it"

    return _save(
        request,
        form,
        save,
        then=board_setup_url(board),
        template="meetings/settings/standing_item_form.html",
        context={"form": form, "board": board, "item": item},
    )


@require_POST
def standing_item_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    item = _item(board, pk)
    try:
        standing_agenda.move_standing_item(
            item, up=request.POST.get("direction") == "up", request=request
        )
    except boards.BoardSetupError as error:
        messages.error(request, error.message)
    return redirect(f"{board_setup_url(board)}#standing-agenda")


def board_setup_url(board: Board) -> str:
    """The address of ``board``'s set-up page."""
    return reverse("meetings:board-setup", kwargs={"slug": board.slug})


@require_http_methods(["GET", "POST"])
def standing_item_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    require(request, can_manage)
    board = _board(slug)
    item = _item(board, pk)
    if request.method == "POST":
        try:
            standing_agenda.remove_standing_item(item, request=request)
        except boards.BoardSetupError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"‘{item.title}’ removed from the standing agenda; past agendas keep it"
            )
        return redirect(f"{board_setup_url(board)}#standing-agenda")
    return render_page(
        request, "meetings/settings/standing_item_remove.html", {"board": board, "item": item}
    )
