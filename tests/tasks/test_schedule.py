"""Periodic work (saferboard.tasks.schedule) and the periodic and follow-up tasks:
each run is claimed once per period however many workers look, and each task does
its work (reminders, retention, the crime dashboard's refresh after an import)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task

from saferboard.tasks import schedule
from saferboard.tasks.models import PeriodicRun
from tests.meetings import conftest as meetings_fixtures
from tests.panels import conftest as panels_fixtures

pytestmark = pytest.mark.django_db

# The meetings' and panels' own fixtures, for the tasks that work on them.
setting = meetings_fixtures.setting
world = panels_fixtures.world
hold = meetings_fixtures.hold

RUNS: list[str] = []


@task()
def noted() -> None:
    """A periodic task for the tests: notes that it ran."""
    RUNS.append("ran")


NOTED = schedule.Periodic("noted", f"{__name__}.noted", time(7, 0))
# 7 December 2026 in London is GMT (UTC+0).
BEFORE = datetime(2026, 12, 7, 6, 59, tzinfo=UTC)
AFTER = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_runs() -> None:
    RUNS.clear()


def test_a_run_is_claimed_once_per_period_whichever_worker_asks() -> None:
    assert schedule.claim("reminders", "2026-12-07", "worker-1")
    assert not schedule.claim("reminders", "2026-12-07", "worker-2")  # the other worker
    assert schedule.claim("reminders", "2026-12-08", "worker-2")  # the next day's
    assert schedule.claim("retention", "2026-12-07", "worker-2")  # another task's
    claims = PeriodicRun.objects.order_by("name", "period")
    assert [(c.name, c.period, c.enqueued_by) for c in claims] == [
        ("reminders", "2026-12-07", "worker-1"),
        ("reminders", "2026-12-08", "worker-2"),
        ("retention", "2026-12-07", "worker-2"),
    ]


def test_a_daily_task_is_due_from_its_local_time() -> None:
    assert NOTED.period(BEFORE) is None
    assert NOTED.period(AFTER) == "2026-12-07"
    # In British Summer Time 07:00 local is 06:00 UTC.
    assert NOTED.period(datetime(2026, 7, 1, 6, 0, tzinfo=UTC)) == "2026-07-01"
    assert NOTED.period(datetime(2026, 7, 1, 5, 59, tzinfo=UTC)) is None
    # Just before midnight UTC in summer is already tomorrow in London.
    assert NOTED.period(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) is None


def test_two_workers_looking_queue_each_run_once() -> None:
    assert schedule.enqueue_due(BEFORE, worker_id="w1", schedule=[NOTED]) == []
    assert schedule.enqueue_due(AFTER, worker_id="w1", schedule=[NOTED]) == ["noted"]
    later = AFTER + timedelta(hours=3)
    assert schedule.enqueue_due(later, worker_id="w2", schedule=[NOTED]) == []
    assert RUNS == ["ran"]  # the tests' immediate backend runs it as it is queued
    tomorrow = AFTER + timedelta(days=1)
    assert schedule.enqueue_due(tomorrow, worker_id="w2", schedule=[NOTED]) == ["noted"]
    assert RUNS == ["ran", "ran"]


def test_a_claim_that_could_not_queue_its_task_is_undone() -> None:
    broken = schedule.Periodic("broken", f"{__name__}.missing", time(0, 0))
    with pytest.raises(ImportError):
        schedule.enqueue_due(AFTER, schedule=[broken])
    assert not PeriodicRun.objects.exists()  # the next look tries again


def test_the_schedule_names_real_tasks() -> None:
    from django.utils.module_loading import import_string

    assert {p.name for p in schedule.SCHEDULE} == {"reminders", "retention"}
    for periodic in schedule.SCHEDULE:
        assert hasattr(import_string(periodic.task), "enqueue"), periodic.task


# Reminders -------------------------------------------------------------------------


def _arising(setting, meeting_day: date):  # type: ignore[no-untyped-def]
    """A held meeting with an action owned by the police member, and the next meeting."""
    from saferboard.meetings import services

    board, members = setting["board"], list(setting["members"].values())
    first = services.create_meeting(board, day=date(2025, 1, 15), place="Civic Centre")
    hold(first, members)
    item = services.add_minute(first, title="Dashboard")
    services.raise_action(
        item,
        description="Ward analysis",
        owners=[setting["members"]["police"].person],
        due=date(2025, 4, 1),
    )
    return services.create_meeting(board, day=meeting_day, place="Hall")


def test_owners_are_reminded_once_in_the_week_before_their_meeting(setting) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import reminders

    assert reminders.REMIND_DAYS_BEFORE == 7
    meeting = _arising(setting, date(2025, 4, 15))
    assert reminders.remind_due(date(2025, 4, 7)) == {}  # eight days ahead: not yet
    sent = reminders.remind_due(date(2025, 4, 8))  # seven days ahead
    assert list(sent) == [meeting.pk] and sent[meeting.pk].sent == [("police@example.org", 1)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["police@example.org"]
    assert reminders.remind_due(date(2025, 4, 9)) == {}  # once
    assert len(mail.outbox) == 1


def test_a_meeting_arranged_at_short_notice_is_reminded_the_next_morning(setting) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import reminders

    meeting = _arising(setting, date(2025, 4, 15))
    assert list(reminders.remind_due(date(2025, 4, 13))) == [meeting.pk]
    assert reminders.remind_due(date(2025, 4, 16)) == {}  # past: never


def test_cancelled_meetings_get_no_reminders(setting) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import reminders
    from saferboard.meetings.models import MeetingStatus

    meeting = _arising(setting, date(2025, 4, 15))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    assert reminders.remind_due(date(2025, 4, 10)) == {}
    assert mail.outbox == []


def test_the_reminders_task_reminds_for_today(setting, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import reminders

    _arising(setting, date(2025, 4, 15))
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: date(2025, 4, 10))
    result = reminders.send_reminders.enqueue()
    assert result.return_value == 1 and len(mail.outbox) == 1


def test_a_failed_send_leaves_the_meeting_for_the_next_run(setting, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import reminders

    meeting = _arising(setting, date(2025, 4, 15))

    def refused(meeting):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "remind_owners", refused)
    with pytest.raises(ConnectionRefusedError):
        reminders.remind_due(date(2025, 4, 10))
    monkeypatch.undo()
    assert list(reminders.remind_due(date(2025, 4, 11))) == [meeting.pk]


# Retention -------------------------------------------------------------------------


def test_the_retention_task_deletes_what_the_command_would_and_audits_it(
    world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.models import AuditEvent
    from saferboard.panels import retention
    from saferboard.panels.models import Case
    from tests.panels.test_retention import _closed

    world.panel.retention_months = 24
    world.panel.save()
    old = _closed(world, "Old Example", date(2024, 3, 15))  # due on 15 March 2026
    younger = _closed(world, "Younger Example", date(2024, 3, 16))
    monkeypatch.setattr(retention.timezone, "localdate", lambda: date(2026, 3, 14))
    assert retention.retention_task.enqueue().return_value == 0
    assert not AuditEvent.objects.filter(action="delete_personal_data").exists()
    monkeypatch.setattr(retention.timezone, "localdate", lambda: date(2026, 3, 15))
    assert retention.retention_task.enqueue().return_value == 1
    remaining = set(Case.objects.values_list("reference", flat=True))
    assert old.reference not in remaining and younger.reference in remaining
    event = AuditEvent.objects.get(action="delete_personal_data")
    assert event.actor_label == retention.SCHEDULED
    assert event.detail["cases"] == [old.reference]


# The crime dashboard's refresh -----------------------------------------------------


def test_the_refresh_is_its_own_task_and_is_retried_when_it_fails(monkeypatch) -> None:
    from django_tasks import TaskResultStatus

    from saferboard.crime import jobs

    calls: list[str] = []

    def failing(source: str) -> None:
        calls.append(source)
        raise RuntimeError("dashboard store unavailable")

    monkeypatch.setattr(jobs, "_refresh_partnership", failing)
    result = jobs.refresh_dashboard.enqueue("police-uk")
    assert result.status == TaskResultStatus.FAILED  # visible, with its traceback
    assert calls == ["police-uk"] * jobs.REFRESH_ATTEMPTS  # queued again, then given up
    monkeypatch.setattr(jobs, "_refresh_partnership", calls.append)
    assert jobs.refresh_dashboard.enqueue("police-uk").status == TaskResultStatus.SUCCESSFUL


def test_a_retried_refresh_waits_where_the_queue_can_defer(monkeypatch) -> None:
    from saferboard.crime import jobs

    queued: list[tuple[object, tuple[object, ...]]] = []

    class Deferring:
        supports_defer = True

    class FakeTask:
        def __init__(self, run_after: object = None) -> None:
            self.run_after = run_after

        def get_backend(self) -> Deferring:
            return Deferring()

        def using(self, run_after: object) -> FakeTask:
            return FakeTask(run_after)

        def enqueue(self, *args: object) -> None:
            queued.append((self.run_after, args))

    monkeypatch.setattr(jobs, "refresh_dashboard", FakeTask())
    jobs.queue_refresh("police-uk")
    before = timezone.now()
    jobs.queue_refresh("police-uk", 2)
    assert queued[0] == (None, ("police-uk", 1))
    run_after = queued[1][0]
    assert isinstance(run_after, datetime) and run_after >= before + jobs.REFRESH_RETRY_AFTER
    assert queued[1][1] == ("police-uk", 2)


# The worker ------------------------------------------------------------------------


def test_the_worker_looks_at_the_schedule_as_it_beats(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from saferboard.tasks.management.commands import worker

    looked: list[str] = []
    stop = threading.Event()

    def enqueue_due(**kwargs: str) -> list[str]:
        looked.append(kwargs["worker_id"])
        stop.set()
        return []

    monkeypatch.setattr(worker.schedule, "enqueue_due", enqueue_due)
    # In a thread of its own: the beat closes its database connection as it ends.
    beating = threading.Thread(target=worker._beat, args=(None, "w1", None, stop, True))
    beating.start()
    beating.join(timeout=5)
    assert looked == ["w1"]


def test_no_schedule_and_batch_workers_queue_no_periodic_tasks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from saferboard.tasks.management.commands import worker

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(worker, "run_worker", lambda **kwargs: calls.append(kwargs))
    call_command("worker")
    call_command("worker", "--no-schedule")
    assert [c["scheduling"] for c in calls] == [True, False]


def test_the_refresh_task_stores_the_partnerships_dashboard(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django_tasks import TaskResultStatus

    from saferboard.core.partnerships import current_partnership
    from saferboard.crime import jobs, observations

    stored: list[tuple[str, str]] = []
    monkeypatch.setattr(
        observations, "store_dashboard", lambda area, source: stored.append((area, source)) or 1
    )
    result = jobs.refresh_dashboard.enqueue("police-uk")
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "police-uk"
    partnership = current_partnership()
    assert partnership is not None and partnership.local_authority is not None
    assert stored == [(partnership.local_authority.code, "police-uk")]
