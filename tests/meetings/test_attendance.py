"""Attendance rates per organisation, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.meetings import services
from saferboard.meetings.attendance import MeetingAttendance, attendance_rates
from saferboard.meetings.models import AttendanceKind


def test_rates_by_hand() -> None:
    everyone = frozenset({"Council", "Police", "Health"})
    meetings = [
        MeetingAttendance(date(2024, 5, 1), everyone, frozenset({"Council", "Police"})),
        MeetingAttendance(date(2024, 8, 1), everyone, frozenset({"Council", "Police", "Health"})),
        MeetingAttendance(date(2024, 11, 1), everyone, frozenset({"Council"})),
        # Probation joined the board for the last meeting only and came.
        MeetingAttendance(
            date(2025, 2, 1),
            everyone | {"Probation"},
            frozenset({"Council", "Probation", "Visitor"}),
        ),
        MeetingAttendance(date(2025, 6, 1), everyone, frozenset()),  # outside the period
    ]
    rates = attendance_rates(meetings, date(2024, 4, 1), date(2025, 3, 31))
    assert [(r.organisation, r.expected, r.attended, r.percent) for r in rates] == [
        ("Council", 4, 4, "100%"),
        ("Health", 4, 1, "25%"),
        ("Police", 4, 2, "50%"),
        ("Probation", 1, 1, "100%"),
    ]
    with pytest.raises(ValueError):
        attendance_rates(meetings, date(2025, 1, 1), date(2024, 1, 1))


def test_board_rates_count_substitutes_not_apologies(setting) -> None:
    board, m = setting["board"], setting["members"]
    first = services.create_meeting(board, day=date(2025, 1, 15), place="Hall")
    services.record_attendance(
        first,
        [
            services.AttendanceEntry(
                AttendanceKind.PRESENT, person=m["council"].person, member=m["council"]
            ),
            services.AttendanceEntry(
                AttendanceKind.APOLOGIES, person=m["police"].person, member=m["police"]
            ),
            services.AttendanceEntry(
                AttendanceKind.SUBSTITUTE,
                name="Inspector Deputy",
                organisation=m["police"].organisation,
                substitute_for=m["police"],
            ),
            services.AttendanceEntry(
                AttendanceKind.APOLOGIES, person=m["health"].person, member=m["health"]
            ),
        ],
    )
    second = services.create_meeting(board, day=date(2025, 4, 15), place="Hall")
    services.record_attendance(
        second,
        [
            services.AttendanceEntry(
                AttendanceKind.PRESENT, person=m["health"].person, member=m["health"]
            ),
        ],
    )
    cancelled = services.create_meeting(board, day=date(2025, 5, 15), place="Hall")
    services.set_status(cancelled, "cancelled")
    rates = services.board_attendance_rates(board, date(2025, 1, 1), date(2025, 12, 31))
    assert [(r.organisation, r.expected, r.attended) for r in rates] == [
        ("Council", 2, 1),
        ("Health", 2, 1),
        ("Police", 2, 1),
    ]
