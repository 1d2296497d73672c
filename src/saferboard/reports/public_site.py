"""The public committee site: which meetings and documents anyone may read, signed out.

A meeting appears once its agenda is published (or a public pack of it is); its page
lists the public agenda (an exempt item reduced to its number), the latest *published
public* pack and, once agreed, the minutes without their exempt items. The restricted
pack never appears here. Addresses name the board and the date
(``/public/meetings/<board>/<yyyy-mm-dd>/``), so they stay the same however often the
pack is rebuilt: the page always serves the latest published public version.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from saferboard.meetings.models import Meeting, MeetingStatus
from saferboard.reports.models import Audience, Pack, PackStatus

if TYPE_CHECKING:
    from saferboard.meetings.questions import QuestionLine

# A meeting still being planned, or cancelled, has no public page.
NOT_PUBLIC = (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
EXEMPT_TEXT = "Exempt item: not for publication"


def _published_public_packs() -> QuerySet[Pack]:
    return Pack.objects.filter(audience=Audience.PUBLIC, status=PackStatus.PUBLISHED)


def public_meetings() -> QuerySet[Meeting]:
    """Meetings with a public page, latest first."""
    has_pack = Exists(_published_public_packs().filter(meeting=OuterRef("pk")))
    return (
        Meeting.objects.annotate(has_public_pack=has_pack)
        .filter(Q(has_public_pack=True) | ~Q(status__in=NOT_PUBLIC))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
        .order_by("-date", "board__name", "start_time", "pk")
    )


def parse_day(text: str) -> date | None:
    """The date in an address ('2026-03-20'), or ``None`` if it is not one."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def public_meeting(board_slug: str, day: date) -> Meeting | None:
    """The board's meeting on ``day`` if it has a public page (the first, should a board
    ever meet twice in a day)."""
    return (
        public_meetings()
        .filter(board__slug=board_slug, date=day)
        .order_by("start_time", "pk")
        .first()
    )


def public_pack(meeting: Meeting) -> Pack | None:
    """The latest published public pack of ``meeting``; never a restricted one."""
    return _published_public_packs().filter(meeting=meeting).order_by("-version").first()


def minutes_published(meeting: Meeting) -> bool:
    """Minutes are public once the board has agreed them as a correct record."""
    return bool(meeting.status == MeetingStatus.MINUTES_AGREED)


def public_address(meeting: Meeting) -> str:
    """The meeting's public page if it has a published public pack, else ''."""
    if public_pack(meeting) is None:
        return ""
    return reverse("public:meeting", args=[meeting.board.slug, f"{meeting.date:%Y-%m-%d}"])


def public_questions(meeting: Meeting) -> list[QuestionLine]:
    """The meeting's questions as published: withdrawn ones left out, and a member of
    the public named only if they consented (else 'A member of the public')."""
    from saferboard.meetings.questions import question_lines

    return [q for q in question_lines(meeting.questions.all(), public=True) if not q.withdrawn]
