"""Setting boards up: creating, editing and retiring boards (the one place boards are made).

The settings pages, the set-up workbook importer, the demo and the tests all create boards
through :func:`create_board`, so every board gets its action log, its standing agenda and
the same checks (a sub-group names the board it reports to; no other kind does). Each
change is audited as who, when, before and after; nothing history refers to is deleted:
a board is retired, not removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from saferboard.actions.models import ActionPlan, PlanKind
from saferboard.core.audit import record_change, save_change, snapshot
from saferboard.core.hierarchy import reaches
from saferboard.core.models import Organisation, OrganisationType, Partnership, User
from saferboard.meetings.models import Board, BoardKind, Cadence, StandingItem

# The standing items boards in the example papers open and close with.
DEFAULT_STANDING_AGENDA = [
    "Welcome, introductions and apologies",
    "Declarations of interest",
    "Minutes of the last meeting",
    "Matters arising",
    "Questions",
    "Chair's update",
    "Any other business",
    "Date of next meeting",
]

# What an audit row shows of a board.
BOARD_FIELDS = (
    "name",
    "kind",
    "parent",
    "cadence",
    "cadence_note",
    "retired_on",
    "first_minute_number",
    "question_clear_days",
)


class BoardSetupError(ValueError):
    """A set-up change refused, worded for the person making it.

    ``field`` names the form field the message belongs to ("" for the whole form).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def default_owner(partnership: Partnership) -> Organisation | None:
    """The organisation a new board's action log belongs to when none is named: the
    partnership's council (the usual secretariat), else its first current organisation."""
    today = timezone.localdate()
    current = Organisation.objects.filter(partnership=partnership).active_on(today)
    return (
        current.filter(type=OrganisationType.COUNCIL, parent__isnull=True).first()
        or current.filter(type=OrganisationType.COUNCIL).first()
        or current.first()
    )


def _unique_slug(partnership: Partnership, name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:70] or "board"
    boards = Board.objects.filter(partnership=partnership, slug__startswith=base)
    if exclude is not None:
        boards = boards.exclude(pk=exclude)
    taken = set(boards.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_board(
    partnership: Partnership,
    *,
    name: str,
    kind: str,
    parent: Board | None,
    cadence: str,
    cadence_note: str,
    board: Board | None = None,
) -> None:
    """Refuse a board that breaks the set-up rules (raises :class:`BoardSetupError`)."""
    if not name.strip():
        raise BoardSetupError("Enter the board's name", "name")
    if kind not in BoardKind.values:
        raise BoardSetupError("Select what kind of board it is", "kind")
    same_name = Board.objects.filter(partnership=partnership, name__iexact=name.strip())
    if board is not None:
        same_name = same_name.exclude(pk=board.pk)
    if same_name.exists():
        raise BoardSetupError(f"There is already a board called ‘{name.strip()}’", "name")
    if kind == BoardKind.SUB_GROUP:
        if parent is None:
            raise BoardSetupError("Select the board this sub-group reports to", "parent")
        if parent.partnership_id != partnership.pk:
            raise BoardSetupError("Select a board of this partnership", "parent")
        if parent.is_retired:
            raise BoardSetupError(f"{parent.name} is retired: select a current board", "parent")
        if board is not None and reaches(parent, board):
            raise BoardSetupError(
                "A board cannot report to itself or to its own sub-group", "parent"
            )
    elif parent is not None:
        raise BoardSetupError("Only a sub-group reports to another board", "parent")
    if cadence not in Cadence.values:
        raise BoardSetupError("Select how often the board meets", "cadence")
    if cadence == Cadence.OTHER and not cadence_note.strip():
        raise BoardSetupError("Enter how often the board meets", "cadence_note")


@transaction.atomic
def create_board(
    partnership: Partnership,
    name: str,
    kind: str,
    parent: Board | None = None,
    *,
    cadence: str = Cadence.QUARTERLY,
    cadence_note: str = "",
    owner: Organisation | None = None,
    slug: str = "",
    first_minute_number: int = 1,
    standing_items: Sequence[str] = tuple(DEFAULT_STANDING_AGENDA),
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Board:
    """Create a board with its own action log (an action plan of kind 'board action log')
    and its standing agenda, and audit the creation.

    ``owner`` is the organisation the action log belongs to (default: see
    :func:`default_owner`); ``slug`` defaults to one made from the name. Raises
    :class:`BoardSetupError` for a board the rules refuse, or when the partnership has no
    organisation yet to own the action log.
    """
    name = name.strip()
    check_board(
        partnership,
        name=name,
        kind=kind,
        parent=parent,
        cadence=cadence,
        cadence_note=cadence_note,
    )
    owner = owner or default_owner(partnership)
    if owner is None:
        raise BoardSetupError("Add an organisation first: a board's action log belongs to one")
    log = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.BOARD_LOG, title=f"{name} action log", owner=owner
    )
    board = Board.objects.create(
        partnership=partnership,
        name=name,
        slug=slug or _unique_slug(partnership, name),
        kind=kind,
        parent=parent,
        action_log=log,
        first_minute_number=first_minute_number,
        cadence=cadence,
        cadence_note=cadence_note.strip() if cadence == Cadence.OTHER else "",
    )
    StandingItem.objects.bulk_create(
        StandingItem(board=board, position=i, title=title)
        for i, title in enumerate(standing_items, 1)
    )
    record_change(
        board,
        before=None,
        after={**snapshot(board, BOARD_FIELDS), "standing_items": list(standing_items)},
        actor=actor,
        request=request,
        change="board created",
    )
    return board


def check_first_minute_number(board: Board, number: int) -> None:
    """Refuse a first minute number below 1, or a change once the board has minutes."""
    if number < 1:
        raise BoardSetupError("The first minute number must be 1 or more", "first_minute_number")
    if number != board.first_minute_number and board.minute_items.exists():
        raise BoardSetupError(
            f"The board's minutes already number from {board.first_minute_number}: "
            "the first minute number cannot change",
            "first_minute_number",
        )


@transaction.atomic
def update_board(
    board: Board,
    *,
    name: str,
    kind: str,
    parent: Board | None = None,
    cadence: str,
    cadence_note: str = "",
    first_minute_number: int | None = None,
    question_clear_days: int | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Board:
    """Change a board's name, kind, parent, cadence, first minute number or questions
    deadline (clear working days before a meeting) (audited).
    The slug, and so the board's addresses, stay as they were. The first minute number
    cannot change once the board has minutes: the numbers are taken."""
    name = name.strip()
    check_board(
        board.partnership,
        name=name,
        kind=kind,
        parent=parent,
        cadence=cadence,
        cadence_note=cadence_note,
        board=board,
    )
    first = board.first_minute_number if first_minute_number is None else first_minute_number
    check_first_minute_number(board, first)
    before = snapshot(board, BOARD_FIELDS)
    board.name = name
    board.kind = kind
    board.parent = parent
    board.cadence = cadence
    board.cadence_note = cadence_note.strip() if cadence == Cadence.OTHER else ""
    board.first_minute_number = first
    if question_clear_days is not None:
        if not 0 <= question_clear_days <= 30:
            raise BoardSetupError(
                "Questions must arrive between 0 and 30 clear working days before a meeting",
                "question_clear_days",
            )
        board.question_clear_days = question_clear_days
    board.save(
        update_fields=[
            "name",
            "kind",
            "parent",
            "cadence",
            "cadence_note",
            "first_minute_number",
            "question_clear_days",
        ]
    )
    record_change(
        board, before=before, after=snapshot(board, BOARD_FIELDS), actor=actor, request=request
    )
    return board


@transaction.atomic
def retire_board(
    board: Board,
    *,
    on: date | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Board:
    """Retire a board from ``on`` (default today): it takes no new meetings; its
    meetings, minutes and action log are kept. A board with current sub-groups cannot
    retire until they have been retired or moved."""
    if board.is_retired:
        raise BoardSetupError(f"{board.name} is already retired")
    current_subs = [b.name for b in board.sub_groups.filter(retired_on__isnull=True)]
    if current_subs:
        raise BoardSetupError(
            f"{board.name} has sub-groups that report to it ({', '.join(current_subs)}): "
            "retire them or move them to another board first"
        )
    save_change(
        board,
        BOARD_FIELDS,
        {"retired_on": on or timezone.localdate()},
        actor=actor,
        request=request,
    )
    return board


@transaction.atomic
def reinstate_board(
    board: Board, *, actor: User | None = None, request: HttpRequest | None = None
) -> Board:
    """Undo a retirement (a board retired by mistake); audited like any change."""
    if not board.is_retired:
        raise BoardSetupError(f"{board.name} is not retired")
    if board.parent is not None and board.parent.is_retired:
        raise BoardSetupError(
            f"{board.name} reports to {board.parent.name}, which is retired: "
            "reinstate that board first"
        )
    save_change(board, BOARD_FIELDS, {"retired_on": None}, actor=actor, request=request)
    return board
