"""Reminders to action owners before a meeting: one email per owner, listing their actions.

Sent by hand (``saferboard meetings remind --meeting ID``) or, each morning, by the
worker's schedule (:func:`send_reminders`, docs/deployment.md): each meeting in the
coming :data:`REMIND_DAYS_BEFORE` days is reminded about once, automatically.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from saferboard.actions.models import Action
from saferboard.core.links import absolute_url
from saferboard.meetings.arising import ArisingRow
from saferboard.meetings.models import Meeting, MeetingStatus
from saferboard.meetings.services import current_matters_arising
from saferboard.tasks.models import PeriodicRun
from saferboard.tasks.schedule import claim

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderResult:
    sent: list[tuple[str, int]]  # (email, number of actions)
    without_email: list[str]  # owners with no email address


def _action_link(action: Action) -> str:
    path = reverse("actions:action", kwargs={"pk": action.plan_id, "reference": action.reference})
    return absolute_url(path)


def remind_owners(meeting: Meeting) -> ReminderResult:
    """Email each owner of an open matter arising for ``meeting`` (people with an email;
    organisation-only owners are reached through their people's accounts, so they are
    listed as without email)."""
    rows = [r for r in current_matters_arising(meeting) if r.status == "Open"]
    actions = {
        a.pk: a
        for a in Action.objects.filter(pk__in=[r.action_id for r in rows]).prefetch_related(
            "lead_people", "lead_organisations"
        )
    }
    by_email: dict[str, list[ArisingRow]] = defaultdict(list)
    names: dict[str, str] = {}
    without: list[str] = []
    for row in rows:
        if row.action_id is None:  # never for current rows: each is made from its action
            continue
        action = actions[row.action_id]
        people = list(action.lead_people.all())
        for person in people:
            if person.email:
                by_email[person.email].append(row)
                names[person.email] = person.full_name
            elif person.full_name not in without:
                without.append(person.full_name)
        if not people:
            for org in action.lead_organisations.all():
                if org.name not in without:
                    without.append(org.name)
    when = f"{meeting.date:%A %-d %B %Y}"
    messages = []
    for email, owned in sorted(by_email.items()):
        lines = [
            f"Dear {names[email]},",
            "",
            f"The {meeting.board.name} meets on {when}. These actions from its minutes are "
            "still open and will be reviewed under matters arising:",
            "",
        ]
        for row in owned:
            lines += [
                f"- Action {row.reference} (minute {row.minute}): {row.matter}",
                f"  Due: {row.due}. Latest update: {row.update}",
            ]
            if row.action_id is not None:  # always, for rows kept above
                lines.append(f"  Update it: {_action_link(actions[row.action_id])}")
        meeting_link = absolute_url(reverse("meetings:meeting", kwargs={"pk": meeting.pk}))
        lines += [
            "",
            "Please record an update in Saferboard before the meeting, or close the action "
            "if it is done.",
            f"The meeting: {meeting_link}",
        ]
        messages.append(
            EmailMessage(
                subject=f"Your actions for the {meeting.board.name} on {when}",
                body="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email],
            )
        )
    if messages:
        get_connection().send_messages(messages)
    return ReminderResult(
        sent=[(email, len(owned)) for email, owned in sorted(by_email.items())],
        without_email=without,
    )


REMIND_DAYS_BEFORE = 7
"""The schedule reminds owners about a meeting this many days ahead (or, for a meeting
arranged at shorter notice, on the first morning after it was arranged)."""


def _claim_name(meeting: Meeting) -> str:
    return f"reminders-meeting-{meeting.pk}"


def meetings_to_remind(today: date) -> list[Meeting]:
    """Meetings from ``today`` to :data:`REMIND_DAYS_BEFORE` days ahead, neither
    cancelled nor held, whose owners the schedule has not reminded for that date."""
    coming = list(
        Meeting.objects.filter(
            date__gte=today,
            date__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
            status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED],
        ).select_related("board")
    )
    claimed = set(
        PeriodicRun.objects.filter(name__in=[_claim_name(m) for m in coming]).values_list(
            "name", "period"
        )
    )
    return [m for m in coming if (_claim_name(m), m.date.isoformat()) not in claimed]


def remind_due(today: date) -> dict[int, ReminderResult]:
    """Remind the owners of open actions for each meeting due a reminder on ``today``.

    Each meeting's reminders are claimed (a unique row per meeting and date) in one
    transaction with sending them: an email server that refuses leaves the meeting
    unclaimed for the next day's run; a worker killed after sending may send again
    (at least once, never silently none)."""
    results = {}
    for meeting in meetings_to_remind(today):
        with transaction.atomic():
            if not claim(_claim_name(meeting), meeting.date.isoformat(), "reminders"):
                continue  # another run has just reminded about it
            results[meeting.pk] = remind_owners(meeting)
            log.info("Reminded %d owner(s) about %s", len(results[meeting.pk].sent), meeting)
    return results


@task()
def send_reminders() -> int:
    """The daily task: remind owners before each coming meeting; returns how many
    meetings were reminded about."""
    return len(remind_due(timezone.localdate()))
