"""Minute numbering, matters arising carried forward and closed, agreeing and locking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from saferboard.actions.services import close_action, record_update
from saferboard.meetings import services
from saferboard.meetings.models import (
    Amendment,
    BoardKind,
    MeetingStatus,
    MinuteItem,
    MinutesLocked,
)
from tests.meetings.conftest import hold


def _meeting(board, day, members):  # type: ignore[no-untyped-def]
    meeting = services.create_meeting(board, day=day, place="Civic Centre")
    hold(meeting, members)
    return meeting


def test_numbers_continue_across_meetings_skip_cancelled_and_are_per_board(setting) -> None:
    board, members = setting["board"], list(setting["members"].values())
    first = _meeting(board, date(2025, 1, 15), members)
    numbers = [services.add_minute(first, title=f"Item {i}").number for i in range(3)]
    assert numbers == [36, 37, 38]  # continues the paper minutes, which ended at 35

    cancelled = services.create_meeting(board, day=date(2025, 2, 15), place="Civic Centre")
    services.set_status(cancelled, MeetingStatus.CANCELLED)
    with pytest.raises(services.MeetingError, match="cancelled meeting takes no minutes"):
        services.add_minute(cancelled, title="Nothing")

    second = _meeting(board, date(2025, 4, 15), members)
    assert [services.add_minute(second, title=t).number for t in ("A", "B")] == [39, 40]

    other = services.create_board(
        setting["partnership"],
        name="YOS Management Board",
        slug="yos",
        kind=BoardKind.YOS,
        owner=setting["orgs"]["council"],
    )
    other_meeting = _meeting(other, date(2025, 4, 16), [])
    assert services.add_minute(other_meeting, title="Welcome").number == 1
    # The first board's numbering is untouched by the second's.
    assert services.add_minute(second, title="C").number == 41
    # An earlier meeting cannot take numbers once a later one has them.
    with pytest.raises(services.MeetingError, match="already use minute numbers"):
        services.add_minute(first, title="Late addition")
    assert list(MinuteItem.objects.filter(board=board).values_list("number", flat=True)) == [
        36,
        37,
        38,
        39,
        40,
        41,
    ]


def test_a_meeting_with_minutes_cannot_be_cancelled(setting) -> None:
    board = setting["board"]
    meeting = services.create_meeting(board, day=date(2025, 1, 15), place="Hall")
    services.set_status(meeting, MeetingStatus.AGENDA_PUBLISHED)
    with pytest.raises(services.MeetingError, match="Record the attendance first"):
        services.add_minute(meeting, title="Too early")
    services.set_status(meeting, MeetingStatus.HELD)
    services.add_minute(meeting, title="Welcome")
    assert meeting.status == MeetingStatus.MINUTES_DRAFT
    with pytest.raises(services.MeetingError):
        services.set_status(meeting, MeetingStatus.CANCELLED)


def test_matters_arising_carry_forward_until_closed(setting, clerk) -> None:
    board, members = setting["board"], list(setting["members"].values())
    police_lead = setting["members"]["police"].person
    # Closing happens now, so the meetings sit around today: two before, two after.
    today = timezone.localdate()
    first = _meeting(board, today - timedelta(days=60), members)
    item = services.add_minute(
        first,
        title="Crime performance dashboard",
        resolutions=["RESOLVED that the dashboard be noted"],
    )
    assert item.resolutions.get().text == "the dashboard be noted"
    ward = services.raise_action(
        item, description="Bring a ward analysis", owners=[police_lead], due=date(2030, 4, 1)
    )
    calls = services.raise_action(
        item,
        description="Circulate the evaluation",
        owner_organisations=[setting["orgs"]["council"]],
    )
    assert (ward.reference, calls.reference) == ("A1", "A2")
    assert ward.plan == board.action_log

    second = services.create_meeting(board, day=today - timedelta(days=30), place="Hall")
    rows = services.generate_matters_arising(second, user=clerk).rows
    assert [(r["minute"], r["reference"], r["status"], r["owners"]) for r in rows] == [
        (
            "36. Crime performance dashboard",
            "A1",
            "Open",
            "Police Lead",
        ),
        ("36. Crime performance dashboard", "A2", "Open", "Council"),
    ]
    assert rows[0]["update"] == "No update recorded"
    assert rows[0]["due"] == "1 April 2030"

    record_update(ward, user=clerk, text="Analysis drafted")
    hold(second, members)
    close_action(calls, user=clerk, reason="Circulated by email")
    services.add_minute(second, title="Matters arising")

    third = services.create_meeting(board, day=today + timedelta(days=30), place="Hall")
    rows = services.generate_matters_arising(third, user=clerk).rows
    # The open action carries forward with its latest update; the one closed since the
    # last meeting is shown once more, closed, with who-when-why kept on the action.
    assert [(r["reference"], r["status"]) for r in rows] == [("A1", "Open"), ("A2", "Closed")]
    assert rows[0]["update"].endswith(": Analysis drafted")
    assert rows[1]["update"].endswith(": Circulated by email")
    calls.refresh_from_db()
    assert calls.closed_by == clerk and calls.closed_reason == "Circulated by email"

    hold(third, members)
    fourth = services.create_meeting(board, day=today + timedelta(days=60), place="Hall")
    rows = services.current_matters_arising(fourth)
    assert [r.reference for r in rows] == ["A1"]  # closed before the third meeting: gone
    with pytest.raises(ValueError, match="already closed"):
        close_action(calls, user=clerk, reason="Again")


def test_minutes_agreed_at_the_next_meeting_are_locked(setting, clerk) -> None:
    board, members = setting["board"], list(setting["members"].values())
    first = _meeting(board, date(2025, 1, 15), members)
    item = services.add_minute(first, title="Welcome", text="The chair welcomed members.")
    second = services.create_meeting(board, day=date(2025, 4, 15), place="Hall")
    with pytest.raises(services.MeetingError, match="has been held"):
        services.agree_minutes(first, at=second, user=clerk)
    hold(second, members)
    with pytest.raises(services.MeetingError, match="later meeting"):
        services.agree_minutes(second, at=first, user=clerk)
    services.agree_minutes(first, at=second, user=clerk)
    first.refresh_from_db()
    assert first.status == MeetingStatus.MINUTES_AGREED and first.minutes_agreed_at == second
    with pytest.raises(MinutesLocked):
        services.update_minute(item, title="Welcome", text="Rewritten")
    with pytest.raises(MinutesLocked):
        services.add_minute(first, title="Another")
    with pytest.raises(MinutesLocked):
        services.add_resolution(item, "something new")
    amendment = services.record_amendment(
        first, text="Apologies from the fire service were omitted.", user=clerk, minute_item=item
    )
    assert Amendment.objects.get() == amendment
    item.refresh_from_db()
    assert item.text == "The chair welcomed members."
    with pytest.raises(PermissionError):
        amendment.delete()


def test_remind_command_emails_each_owner(setting, clerk, capsys) -> None:
    board, members = setting["board"], list(setting["members"].values())
    first = _meeting(board, date(2025, 1, 15), members)
    item = services.add_minute(first, title="Dashboard")
    services.raise_action(
        item,
        description="Ward analysis",
        owners=[setting["members"]["police"].person],
        due=date(2025, 4, 1),
    )
    services.raise_action(
        item, description="Refuge review", owner_organisations=[setting["orgs"]["health"]]
    )
    second = services.create_meeting(board, day=date(2025, 4, 15), place="Hall")
    call_command("meetings", "remind", "--meeting", str(second.pk))
    out = capsys.readouterr().out
    assert "reminded police@example.org: 1 action" in out
    assert "no email address for Health: not reminded" in out
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["police@example.org"]
    assert "Action A1 (minute 36. Dashboard): Ward analysis" in message.body
    assert "Safer Partnership Board" in message.subject


def test_a_meeting_to_come_cannot_be_marked_held(setting) -> None:
    """Issue 20: only attendance was guarded; the status button is too."""
    meeting = services.create_meeting(setting["board"], day=date(2030, 1, 15), place="Hall")
    services.set_status(meeting, MeetingStatus.AGENDA_PUBLISHED)
    with pytest.raises(services.MeetingError, match="can be marked held on the day"):
        services.set_status(meeting, MeetingStatus.HELD, today=date(2030, 1, 14))
    services.set_status(meeting, MeetingStatus.HELD, today=date(2030, 1, 15))
    assert meeting.status == MeetingStatus.HELD
