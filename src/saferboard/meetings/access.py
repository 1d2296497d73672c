"""Who may see and change meetings.

Coordinators and administrators run meetings (agenda, attendance, minutes, matters
arising). Everyone signed in reads agendas and minutes, except exempt ("Part 2")
items: their content is shown only to managers and to people who sit on that board
(or attended that meeting as a substitute); others see that an exempt item was taken,
and its number, nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saferboard.actions.access import can_manage
from saferboard.meetings.models import AttendanceKind, BoardMember

if TYPE_CHECKING:
    from saferboard.core.models import User
    from saferboard.meetings.models import Meeting

__all__ = ["can_manage", "can_see_exempt"]


def can_see_exempt(user: User, meeting: Meeting) -> bool:
    """True if ``user`` may read the exempt items of ``meeting``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage(user):
        return True
    person = getattr(user, "person", None)
    if person is None:
        return False
    if (
        BoardMember.objects.active_on(meeting.date)
        .filter(board_id=meeting.board_id, person=person)
        .exists()
    ):
        return True
    return meeting.attendance.filter(person=person, kind=AttendanceKind.SUBSTITUTE).exists()
