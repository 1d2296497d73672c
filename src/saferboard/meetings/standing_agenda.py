"""A board's standing agenda: the template each new meeting's agenda starts from.

Items are added, edited, moved and removed here, each change audited. Meetings copy the
items when they are created (see ``services.create_meeting``), so nothing here touches
an agenda already made: removing a standing item removes it from future agendas only.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from saferboard.core.audit import record_change, save_change, snapshot
from saferboard.core.models import User
from saferboard.meetings.boards import BoardSetupError
from saferboard.meetings.models import Board, StandingItem

ITEM_FIELDS = ("board", "position", "title", "presenter")


def standing_titles(board: Board) -> list[str]:
    """The board's standing items' titles, in order (what an audit row shows)."""
    return list(board.standing_items.order_by("position", "pk").values_list("title", flat=True))


def _renumber(board: Board, items: list[StandingItem]) -> None:
    """Store ``items``' order as positions 1, 2, 3…"""
    for position, item in enumerate(items, 1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _check(board: Board, title: str) -> str:
    if board.is_retired:
        raise BoardSetupError(f"{board.name} is retired: its standing agenda no longer changes")
    title = title.strip()
    if not title:
        raise BoardSetupError("Enter the item's title", "title")
    return title


@transaction.atomic
def add_standing_item(
    board: Board,
    *,
    title: str,
    presenter: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> StandingItem:
    """Add an item at the end of the standing agenda (move it into place after)."""
    title = _check(board, title)
    items = list(board.standing_items.select_for_update().order_by("position", "pk"))
    _renumber(board, items)
    item = StandingItem.objects.create(
        board=board, position=len(items) + 1, title=title, presenter=presenter.strip()
    )
    record_change(
        item, before=None, after=snapshot(item, ITEM_FIELDS), actor=actor, request=request
    )
    return item


@transaction.atomic
def update_standing_item(
    item: StandingItem,
    *,
    title: str,
    presenter: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> StandingItem:
    """Change an item's title or presenter (future agendas only), audited."""
    title = _check(item.board, title)
    save_change(
        item,
        ITEM_FIELDS,
        {"title": title, "presenter": presenter.strip()},
        actor=actor,
        request=request,
    )
    return item


@transaction.atomic
def move_standing_item(
    item: StandingItem,
    *,
    up: bool,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> StandingItem:
    """Swap the item with the one above (``up``) or below it; audited as the board's
    standing agenda before and after. At the top (or bottom) nothing changes."""
    board = item.board
    _check(board, item.title or "-")
    items = list(board.standing_items.select_for_update().order_by("position", "pk"))
    before = [i.title for i in items]
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(board, items)
    record_change(
        board,
        before={"standing_items": before},
        after={"standing_items": [i.title for i in items]},
        actor=actor,
        request=request,
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def remove_standing_item(
    item: StandingItem, *, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """Take the item off the standing agenda. Agendas already made keep their copy
    (an agenda item holds its own title, not a link to the standing item)."""
    board = item.board
    _check(board, item.title or "-")
    record_change(
        item, before=snapshot(item, ITEM_FIELDS), after=None, actor=actor, request=request
    )
    item.delete()
    _renumber(board, list(board.standing_items.select_for_update().order_by("position", "pk")))
