"""Attendance rates per organisation over a period (pure; the YJB asks boards for this).

An organisation is *expected* at a meeting when it held a seat on the board on the
meeting's date, and *attended* when one of its people was there as a member or as a
substitute. Apologies count as not attending: the rate measures presence. Cancelled
meetings are not meetings and are left out by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MeetingAttendance:
    """One held meeting: who was expected, who came (organisation names)."""

    day: date
    expected: frozenset[str]
    attended: frozenset[str]


@dataclass(frozen=True)
class OrganisationRate:
    organisation: str
    expected: int
    attended: int

    @property
    def rate(self) -> float | None:
        """Meetings attended ÷ meetings expected, or ``None`` if never expected."""
        return self.attended / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        """'67%' (rounded half up), or 'Not applicable'."""
        if self.rate is None:
            return "Not applicable"
        return f"{int(self.rate * 100 + 0.5)}%"


def attendance_rates(
    meetings: Iterable[MeetingAttendance], start: date, end: date
) -> list[OrganisationRate]:
    """Each expected organisation's attendance at meetings from ``start`` to ``end``
    inclusive, sorted by organisation name."""
    if end < start:
        raise ValueError("The period ends before it starts")
    expected: dict[str, int] = {}
    attended: dict[str, int] = {}
    for meeting in meetings:
        if not start <= meeting.day <= end:
            continue
        for org in meeting.expected:
            expected[org] = expected.get(org, 0) + 1
            if org in meeting.attended:
                attended[org] = attended.get(org, 0) + 1
    return [
        OrganisationRate(org, expected[org], attended.get(org, 0))
        for org in sorted(expected, key=str.casefold)
    ]
