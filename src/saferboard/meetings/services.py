"""Running meetings: the functions views, the demo and the commands call.

Numbering, locking and matters arising live here so every caller gets the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import HttpRequest
from django.utils import timezone

from saferboard.actions.models import Action, ActionUpdate, UpdateKind
from saferboard.actions.services import add_action
from saferboard.core.audit import record_change, snapshot
from saferboard.core.models import Organisation, Partnership, Person, User
from saferboard.core.rag import NOT_RATED_LABEL
from saferboard.meetings import boards
from saferboard.meetings.agenda import Direction, Slot, moved, numbers, ordered
from saferboard.meetings.arising import ArisingRow, RaisedAction, matters_arising
from saferboard.meetings.attendance import MeetingAttendance, OrganisationRate, attendance_rates
from saferboard.meetings.models import (
    AgendaItem,
    Amendment,
    Attendance,
    AttendanceKind,
    Board,
    BoardMember,
    MattersArisingReport,
    Meeting,
    MeetingStatus,
    MinuteItem,
    MinutesLocked,
    Resolution,
)
from saferboard.reports.sections import AGENDA_KINDS, suggest_kind

# Re-exported: the standing agenda new boards start with lives with board set-up.
DEFAULT_STANDING_AGENDA = boards.DEFAULT_STANDING_AGENDA

# Which status may follow which (cancelling is allowed until the meeting is held).
_NEXT_STATUS = {
    MeetingStatus.PLANNED: {MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.CANCELLED},
    MeetingStatus.AGENDA_PUBLISHED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.MINUTES_DRAFT},
    MeetingStatus.MINUTES_DRAFT: set(),  # agreed only through agree_minutes
    MeetingStatus.MINUTES_AGREED: set(),
    MeetingStatus.CANCELLED: set(),
}


class MeetingError(ValueError):
    """A change the meeting's state does not allow, worded for the person trying it."""


def create_board(
    partnership: Partnership,
    *,
    name: str,
    slug: str,
    kind: str,
    owner: Organisation,
    parent: Board | None = None,
    first_minute_number: int = 1,
    standing_items: Sequence[str] = tuple(DEFAULT_STANDING_AGENDA),
) -> Board:
    """A board with its own action log: kept for older callers, it is
    :func:`saferboard.meetings.boards.create_board` with a given slug and owner."""
    return boards.create_board(
        partnership,
        name,
        kind,
        parent,
        slug=slug,
        owner=owner,
        first_minute_number=first_minute_number,
        standing_items=standing_items,
    )


@transaction.atomic
def create_meeting(
    board: Board,
    *,
    day: date,
    start_time: time | None = None,
    place: str = "",
    online: bool = False,
) -> Meeting:
    """A planned meeting whose agenda starts as the board's standing agenda.

    A retired board takes no new meetings (its past meetings are kept)."""
    if board.is_retired:
        raise MeetingError(f"{board.name} was retired on {board.retired_on:%-d %B %Y}")
    meeting = Meeting.objects.create(
        board=board, date=day, start_time=start_time, place=place, online=online
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=item.position,
            title=item.title,
            presenter=item.presenter,
            kind=suggest_kind(item.title),
            from_template=True,
        )
        for item in board.standing_items.all()
    )
    return meeting


# What a clerk may change about an agenda item (and what the audit records).
AGENDA_ITEM_FIELDS = (
    "title",
    "kind",
    "parent",
    "presenter",
    "papers",
    "exempt",
    "exempt_reason",
    "position",
)
_KINDS = {value for value, _label, _hint in AGENDA_KINDS}
# Closing standing items: a new main item goes before them.
_CLOSING = {"any other business", "date of next meeting"}
# Items may be removed until the minutes are drafted (then a minute may refer to them).
_REMOVABLE = {MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD}


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.minutes_locked or meeting.is_cancelled:
        raise MeetingError("The agenda of this meeting can no longer change")


def _check_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise MeetingError("Select what the item contains")


def _check_parent(meeting: Meeting, parent: AgendaItem | None, item: AgendaItem | None) -> None:
    if parent is None:
        return
    if parent.meeting_id != meeting.pk:
        raise MeetingError("Select an item of this meeting's agenda")
    if parent.parent_id is not None:
        raise MeetingError(f"{parent.title} is itself a sub-item: select a main item")
    if item is not None and (parent.pk == item.pk or item.sub_items.exists()):
        raise MeetingError("An item with sub-items cannot become a sub-item")


def _items_in_order(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.select_for_update().order_by("position", "pk"))


def _slots(items: Sequence[AgendaItem]) -> list[Slot]:
    return [Slot(i.pk, i.parent_id) for i in items]


def _store_positions(items: Sequence[AgendaItem], places: dict[int, int]) -> None:
    """Save each item's new position (only the items that moved)."""
    for item in items:
        if item.position != places[item.pk]:
            item.position = places[item.pk]
            item.save(update_fields=["position"])


def _apply_order(items: Sequence[AgendaItem], order: Sequence[Slot]) -> None:
    """Store ``order`` as positions 1, 2, 3…"""
    _store_positions(items, {slot.pk: p for p, slot in enumerate(order, 1)})


def agenda_numbers(meeting: Meeting) -> dict[int, str]:
    """Each agenda item's printed number ('7', '7a') by its id."""
    items = meeting.agenda_items.order_by("position", "pk").only("pk", "parent_id")
    return numbers([Slot(i.pk, i.parent_id) for i in items])


def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    presenter: str = "",
    papers: str = "",
    exempt: bool = False,
    exempt_reason: str = "",
    kind: str | None = None,
    parent: AgendaItem | None = None,
    before_standing_end: bool = True,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Add an item (audited).

    A main item goes before the closing standing items ('Any other business', 'Date of
    next meeting') where those are on the agenda, else at the end; a sub-item goes after
    its parent's last sub-item. ``kind`` is what the clerk chose; a caller that does not
    choose gets the title's suggestion, as the form pre-fills it."""
    _check_agenda_open(meeting)
    kind = kind or suggest_kind(title)
    _check_kind(kind)
    _check_parent(meeting, parent, None)
    with transaction.atomic():
        items = _items_in_order(meeting)
        order = ordered(_slots(items))
        at = len(order)
        if parent is not None:
            at = max(i for i, s in enumerate(order) if parent.pk in (s.pk, s.parent)) + 1
        elif before_standing_end:
            by_pk = {i.pk: i for i in items}
            for i, slot in enumerate(order):
                first = by_pk[slot.pk]
                if slot.parent is None and first.from_template and first.title.lower() in _CLOSING:
                    at = i
                    break
        # Make room: every item from ``at`` on moves down one place.
        places = {slot.pk: p for p, slot in enumerate(order[:at], 1)}
        places.update({slot.pk: p for p, slot in enumerate(order[at:], at + 2)})
        _store_positions(items, places)
        created = AgendaItem.objects.create(
            meeting=meeting,
            position=at + 1,
            parent=parent,
            title=title.strip(),
            kind=kind,
            presenter=presenter.strip(),
            papers=papers.strip(),
            exempt=exempt,
            exempt_reason=exempt_reason.strip(),
        )
        record_change(
            created,
            before=None,
            after=snapshot(created, AGENDA_ITEM_FIELDS),
            actor=actor,
            request=request,
            meeting=meeting.pk,
            change="agenda item added",
        )
    return created


def update_agenda_item(
    item: AgendaItem,
    *,
    title: str,
    kind: str,
    presenter: str = "",
    papers: str = "",
    exempt: bool = False,
    exempt_reason: str = "",
    parent: AgendaItem | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Change an item (audited). Given a new parent it becomes that item's last
    sub-item; made a main item again it follows its former parent's sub-items."""
    meeting = item.meeting
    _check_agenda_open(meeting)
    _check_kind(kind)
    _check_parent(meeting, parent, item)
    with transaction.atomic():
        before = snapshot(item, AGENDA_ITEM_FIELDS)
        items = _items_in_order(meeting)
        if (parent.pk if parent else None) != item.parent_id:
            old_parent = item.parent_id
            order = [s for s in ordered(_slots(items)) if s.pk != item.pk]
            anchor = parent.pk if parent is not None else old_parent
            at = max(i for i, s in enumerate(order) if anchor in (s.pk, s.parent)) + 1
            order.insert(at, Slot(item.pk, parent.pk if parent else None))
            item.parent = parent
            item.save(update_fields=["parent"])
            current = next(i for i in items if i.pk == item.pk)
            current.parent = parent
            _apply_order(items, order)
            item.position = current.position
        item.title = title.strip()
        item.kind = kind
        item.presenter = presenter.strip()
        item.papers = papers.strip()
        item.exempt = exempt
        item.exempt_reason = exempt_reason.strip() if exempt else ""
        item.save(update_fields=["title", "kind", "presenter", "papers", "exempt", "exempt_reason"])
        record_change(
            item,
            before=before,
            after=snapshot(item, AGENDA_ITEM_FIELDS),
            actor=actor,
            request=request,
            meeting=meeting.pk,
            change="agenda item changed",
        )
    return item


def move_agenda_item(
    item: AgendaItem,
    direction: Direction,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Move an item one place up or down (a main item with its sub-items), audited with
    its number before and after. Returns False when it was already first or last."""
    meeting = item.meeting
    _check_agenda_open(meeting)
    if direction not in ("up", "down"):
        raise MeetingError("Move an item up or down")
    with transaction.atomic():
        items = _items_in_order(meeting)
        slots = ordered(_slots(items))
        before = numbers(slots)
        order = moved(slots, item.pk, direction)
        if order == slots:
            return False
        _apply_order(items, order)
        after = numbers(order)
        record_change(
            item,
            before={"number": before[item.pk]},
            after={"number": after[item.pk]},
            actor=actor,
            request=request,
            meeting=meeting.pk,
            change=f"agenda item moved {direction}",
        )
    item.refresh_from_db(fields=["position"])
    return True


def items_removable(meeting: Meeting) -> bool:
    """Whether agenda items may still be removed (until the minutes are drafted)."""
    return meeting.status in _REMOVABLE


def remove_agenda_item(
    item: AgendaItem, *, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    """Remove an item from the agenda (audited with what it was), until the minutes are
    drafted. An item with sub-items or appended papers is refused: those go first, so
    nothing disappears with it unseen."""
    meeting = item.meeting
    if not items_removable(meeting):
        raise MeetingError(
            "Items cannot be removed once the minutes are drafted: minutes may refer to them"
        )
    if item.sub_items.exists():
        raise MeetingError(f"Remove the sub-items of ‘{item.title}’ first")
    if item.pack_appendices.exists():
        raise MeetingError(f"Remove the papers appended to ‘{item.title}’ first")
    with transaction.atomic():
        items = _items_in_order(meeting)
        number = numbers(ordered(_slots(items)))[item.pk]
        record_change(
            item,
            before=snapshot(item, AGENDA_ITEM_FIELDS),
            after=None,
            actor=actor,
            request=request,
            meeting=meeting.pk,
            number=number,
            change="agenda item removed",
        )
        removed = item.pk
        item.delete()
        rest = [i for i in items if i.pk != removed]
        _apply_order(rest, ordered(_slots(rest)))


def set_status(meeting: Meeting, status: str, *, today: date | None = None) -> Meeting:
    """Move the meeting on (planned → agenda published → held → minutes draft) or
    cancel it. A meeting with minutes cannot be cancelled: its numbers are taken; a
    meeting still to come cannot be held (issue 20)."""
    status = MeetingStatus(status)
    current = MeetingStatus(meeting.status)
    if status not in _NEXT_STATUS[current]:
        raise MeetingError(
            f"A meeting that is ‘{current.label.lower()}’ cannot become ‘{status.label.lower()}’"
        )
    today = today or timezone.localdate()
    if status == MeetingStatus.HELD and meeting.date > today:
        raise MeetingError(
            f"This meeting is on {meeting.date:%-d %B %Y}: it can be marked held on the day"
        )
    if status == MeetingStatus.CANCELLED and meeting.minute_items.exists():
        raise MeetingError("This meeting has minutes, so it cannot be cancelled")
    meeting.status = status
    meeting.save(update_fields=["status"])
    return meeting


@dataclass(frozen=True)
class AttendanceEntry:
    """One row of the attendance form."""

    kind: str
    person: Person | None = None
    name: str = ""
    organisation: Organisation | None = None
    member: BoardMember | None = None
    substitute_for: BoardMember | None = None


@transaction.atomic
def record_attendance(
    meeting: Meeting, entries: Iterable[AttendanceEntry], *, today: date | None = None
) -> bool:
    """Replace the meeting's attendance with ``entries`` (the whole form is the record).

    A meeting on or before ``today`` (default: today) is then 'held'. A meeting still
    to come keeps its status: clerks record apologies sent ahead of the meeting, and
    that is not the meeting taking place. Returns True when the meeting became held."""
    if meeting.minutes_locked:
        raise MinutesLocked("These minutes have been agreed: record an amendment instead")
    if meeting.is_cancelled:
        raise MeetingError("A cancelled meeting has no attendance")
    meeting.attendance.all().delete()
    rows = []
    for e in entries:
        organisation = e.organisation or (e.person.organisation if e.person else None)
        rows.append(
            Attendance(
                meeting=meeting,
                person=e.person,
                name=e.name,
                organisation=organisation,
                kind=e.kind,
                member=e.member,
                substitute_for=e.substitute_for,
            )
        )
    Attendance.objects.bulk_create(rows)
    if meeting.date > (today or timezone.localdate()):
        return False
    if meeting.status in {MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED}:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        return True
    return False


def _check_can_minute(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError("A cancelled meeting takes no minutes")
    if meeting.minutes_locked:
        raise MinutesLocked("These minutes have been agreed: record an amendment instead")
    if meeting.status in {MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED}:
        raise MeetingError("Record the attendance first: minutes follow a held meeting")


@transaction.atomic
def add_minute(
    meeting: Meeting,
    *,
    title: str,
    text: str = "",
    agenda_item: AgendaItem | None = None,
    exempt: bool | None = None,
    resolutions: Sequence[str] = (),
    suffix: str = "",
) -> MinuteItem:
    """Minute an item with the board's next number.

    Numbers run on from the last minute of the board (or its ``first_minute_number``).
    A meeting cannot take numbers once a later meeting has minutes, so numbers always
    follow the order of the meetings. With a ``suffix`` ('a') the minute takes the
    board's last number with that letter (43a after 43): the last minute must be this
    meeting's, and the next plain number still follows (44).
    """
    _check_can_minute(meeting)
    board = Board.objects.select_for_update().get(pk=meeting.board_id)
    later = (
        MinuteItem.objects.filter(board=board, meeting__date__gt=meeting.date)
        .exclude(meeting=meeting)
        .select_related("meeting")
        .first()
    )
    if later is not None:
        raise MeetingError(
            f"The minutes of the meeting on {later.meeting.date:%-d %B %Y} already use minute "
            "numbers, so this earlier meeting cannot take new ones"
        )
    last = board.minute_items.aggregate(m=Max("number"))["m"]
    number = (last + 1) if last is not None else board.first_minute_number
    suffix = suffix.strip().lower()
    if suffix:
        number = _suffixed_number(board, meeting, last, suffix)
    if exempt is None:
        exempt = bool(agenda_item and agenda_item.exempt)
    item = MinuteItem.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        suffix=suffix,
        title=title.strip(),
        text=text.strip(),
        exempt=exempt,
    )
    for position, resolution in enumerate((r.strip() for r in resolutions if r.strip()), 1):
        Resolution.objects.create(minute_item=item, position=position, text=_resolved(resolution))
    if meeting.status == MeetingStatus.HELD:
        meeting.status = MeetingStatus.MINUTES_DRAFT
        meeting.save(update_fields=["status"])
    return item


def check_suffix(suffix: str) -> str:
    """The suffix as stored ('a'), or :class:`MeetingError` for anything but 1–3 letters."""
    suffix = suffix.strip().lower()
    if suffix and not (suffix.isascii() and suffix.isalpha() and len(suffix) <= 3):
        raise MeetingError("A minute number's suffix is a letter, like the ‘a’ of 43a")
    return suffix


def _suffixed_number(board: Board, meeting: Meeting, last: int | None, suffix: str) -> int:
    check_suffix(suffix)
    if last is None or not board.minute_items.filter(number=last, meeting=meeting).exists():
        raise MeetingError(
            "A lettered minute (43a) follows a numbered minute of the same meeting: "
            "add the numbered minute first"
        )
    if board.minute_items.filter(number=last, suffix=suffix).exists():
        raise MeetingError(f"Minute {last}{suffix} is already taken")
    return last


def _resolved(text: str) -> str:
    """Store what follows 'RESOLVED that', whether or not the clerk typed those words."""
    lowered = text.lower()
    for prefix in ("resolved that", "resolved:", "resolved"):
        if lowered.startswith(prefix):
            return text[len(prefix) :].strip(" ,:")
    return text


def add_resolution(item: MinuteItem, text: str) -> Resolution:
    position = (item.resolutions.aggregate(m=Max("position"))["m"] or 0) + 1
    return Resolution.objects.create(minute_item=item, position=position, text=_resolved(text))


@transaction.atomic
def update_minute(item: MinuteItem, *, title: str, text: str) -> MinuteItem:
    """Edit a draft minute (refused once the minutes are agreed)."""
    item.title = title.strip()
    item.text = text.strip()
    item.save(update_fields=["title", "text"])
    return item


@transaction.atomic
def raise_action(
    item: MinuteItem,
    *,
    description: str,
    owners: Iterable[Person] = (),
    owner_organisations: Iterable[Organisation] = (),
    due: date | None = None,
) -> Action:
    """Raise an action from a minute: an action in the board's action log."""
    _check_can_minute(item.meeting)
    action = add_action(
        item.board.action_log,
        description=description.strip(),
        lead_people=owners,
        lead_organisations=owner_organisations,
        completion_date=due,
        commence_date=item.meeting.date,
    )
    item.actions.add(action)
    return action


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The board's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, date__lt=meeting.date)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date", "-pk")
        .first()
    )


def raised_actions(board: Board) -> list[RaisedAction]:
    """Every action raised in the board's minutes, with its latest update."""
    updates = ActionUpdate.objects.filter(kind=UpdateKind.UPDATE).order_by("-at", "-pk")
    items = (
        MinuteItem.objects.filter(board=board)
        .select_related("meeting")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.prefetch_related(
                    "lead_people", "lead_organisations", Prefetch("updates", queryset=updates)
                ),
            )
        )
    )
    raised = []
    for item in items:
        for action in item.actions.all():
            latest = next(iter(action.updates.all()), None)
            raised.append(
                RaisedAction(
                    minute_number=item.number,
                    minute_suffix=item.suffix,
                    minute_title=item.title,
                    raised_on=item.meeting.date,
                    reference=action.reference,
                    matter=action.description,
                    owners=tuple(action.leads_display()),
                    due=action.completion_date,
                    is_open=action.is_open,
                    rag=action.rag.label if action.rag else NOT_RATED_LABEL,
                    latest_update=latest.text if latest else "",
                    latest_update_on=timezone.localtime(latest.at).date() if latest else None,
                    closed_on=action.closed_at,
                    closed_reason=action.closed_reason,
                    action_id=action.pk,
                )
            )
    return raised


def current_matters_arising(meeting: Meeting) -> list[ArisingRow]:
    """The matters arising for ``meeting`` as they stand now."""
    before = previous_meeting(meeting)
    return matters_arising(
        raised_actions(meeting.board), meeting.date, before.date if before else None
    )


def generate_matters_arising(meeting: Meeting, *, user: User | None) -> MattersArisingReport:
    """Generate the meeting's matters arising and keep the copy for its pack."""
    if meeting.is_cancelled:
        raise MeetingError("A cancelled meeting has no matters arising")
    rows = [row.as_dict() for row in current_matters_arising(meeting)]
    return MattersArisingReport.objects.create(
        meeting=meeting, generated_at=timezone.now(), generated_by=user, rows=rows
    )


def latest_matters_arising(meeting: Meeting) -> MattersArisingReport | None:
    return meeting.matters_arising.order_by("-generated_at", "-pk").first()


@transaction.atomic
def agree_minutes(meeting: Meeting, *, at: Meeting, user: User) -> Meeting:
    """Record that ``at`` agreed the minutes of ``meeting``; they are locked from now on."""
    if meeting.board_id != at.board_id:
        raise MeetingError("Minutes are agreed by a meeting of the same board")
    if at.date <= meeting.date:
        raise MeetingError("Minutes are agreed at a later meeting")
    if at.status not in {MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFT}:
        raise MeetingError("Minutes are agreed at a meeting that has been held")
    if meeting.status != MeetingStatus.MINUTES_DRAFT:
        raise MeetingError("Only draft minutes can be agreed")
    meeting.status = MeetingStatus.MINUTES_AGREED
    meeting.minutes_agreed_at = at
    meeting.minutes_agreed_on = timezone.now()
    meeting.minutes_agreed_by = user
    meeting.save(
        update_fields=["status", "minutes_agreed_at", "minutes_agreed_on", "minutes_agreed_by"]
    )
    return meeting


def record_amendment(
    meeting: Meeting, *, text: str, user: User, minute_item: MinuteItem | None = None
) -> Amendment:
    """Record a correction to agreed minutes (draft minutes are simply edited)."""
    if not meeting.minutes_locked:
        raise MeetingError("These minutes are still in draft: edit them instead")
    if not text.strip():
        raise MeetingError("Enter the correction")
    return Amendment.objects.create(
        meeting=meeting,
        minute_item=minute_item,
        text=text.strip(),
        recorded_at=timezone.now(),
        recorded_by=user,
    )


def board_attendance_rates(board: Board, start: date, end: date) -> list[OrganisationRate]:
    """Attendance per organisation at the board's held meetings from ``start`` to ``end``."""
    meetings = (
        Meeting.objects.filter(board=board, date__range=(start, end))
        .exclude(
            status__in=[
                MeetingStatus.CANCELLED,
                MeetingStatus.PLANNED,
                MeetingStatus.AGENDA_PUBLISHED,
            ]
        )
        .prefetch_related("attendance__organisation")
    )
    members = list(board.members.select_related("organisation"))
    facts = []
    for meeting in meetings:
        expected = frozenset(
            m.organisation.name
            for m in members
            if m.start_date <= meeting.date and (m.end_date is None or m.end_date >= meeting.date)
        )
        attended = frozenset(
            a.organisation.name
            for a in meeting.attendance.all()
            if a.organisation is not None
            and a.kind in {AttendanceKind.PRESENT, AttendanceKind.SUBSTITUTE}
        )
        facts.append(MeetingAttendance(meeting.date, expected, attended))
    return attendance_rates(facts, start, end)
