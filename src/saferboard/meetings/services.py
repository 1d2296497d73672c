"""Running meetings: the functions views, the demo and the commands call.

Numbering, locking and matters arising live here so every caller gets the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from saferboard.actions.models import Action, ActionUpdate, UpdateKind
from saferboard.actions.services import add_action
from saferboard.core.models import Organisation, Partnership, Person, User
from saferboard.meetings import boards
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
            from_template=True,
        )
        for item in board.standing_items.all()
    )
    return meeting


def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    presenter: str = "",
    papers: str = "",
    exempt: bool = False,
    exempt_reason: str = "",
    before_standing_end: bool = True,
) -> AgendaItem:
    """Add an item. It goes before the closing standing items ('Any other business',
    'Date of next meeting') where those are on the agenda, else at the end."""
    if meeting.minutes_locked or meeting.is_cancelled:
        raise MeetingError("The agenda of this meeting can no longer change")
    with transaction.atomic():
        items = list(meeting.agenda_items.select_for_update().order_by("position", "pk"))
        closing = {"any other business", "date of next meeting"}
        position = len(items) + 1
        if before_standing_end:
            for i, item in enumerate(items):
                if item.from_template and item.title.lower() in closing:
                    position = i + 1
                    break
        for item in items[position - 1 :]:
            item.position += 1
            item.save(update_fields=["position"])
        return AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title.strip(),
            presenter=presenter.strip(),
            papers=papers.strip(),
            exempt=exempt,
            exempt_reason=exempt_reason.strip(),
        )


def set_status(meeting: Meeting, status: str) -> Meeting:
    """Move the meeting on (planned → agenda published → held → minutes draft) or
    cancel it. A meeting with minutes cannot be cancelled: its numbers are taken."""
    status = MeetingStatus(status)
    current = MeetingStatus(meeting.status)
    if status not in _NEXT_STATUS[current]:
        raise MeetingError(
            f"A meeting that is ‘{current.label.lower()}’ cannot become ‘{status.label.lower()}’"
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
def record_attendance(meeting: Meeting, entries: Iterable[AttendanceEntry]) -> None:
    """Replace the meeting's attendance with ``entries`` (the whole form is the record)."""
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
    if meeting.status in {MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED}:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])


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
) -> MinuteItem:
    """Minute an item with the board's next number.

    Numbers run on from the last minute of the board (or its ``first_minute_number``).
    A meeting cannot take numbers once a later meeting has minutes, so numbers always
    follow the order of the meetings.
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
    if exempt is None:
        exempt = bool(agenda_item and agenda_item.exempt)
    item = MinuteItem.objects.create(
        board=board,
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
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
                    minute_title=item.title,
                    raised_on=item.meeting.date,
                    reference=action.reference,
                    matter=action.description,
                    owners=tuple(action.leads_display()),
                    due=action.completion_date,
                    is_open=action.is_open,
                    rag=action.rag.label if action.rag else "Not rated",
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
