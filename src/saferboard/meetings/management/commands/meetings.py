"""``saferboard meetings remind --meeting ID``: email action owners before a meeting."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.meetings.models import Meeting
from saferboard.meetings.reminders import remind_owners


class Command(BaseCommand):
    help = "Meetings: `remind --meeting ID` emails each owner of an open matter arising."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        remind = sub.add_parser(
            "remind",
            help="email the owners of open actions due to come up at a meeting",
        )
        remind.add_argument(
            "--meeting",
            type=int,
            required=True,
            metavar="ID",
            help="the id of the meeting (as in /meetings/ID/)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            meeting = Meeting.objects.select_related("board").get(pk=options["meeting"])
        except Meeting.DoesNotExist as error:
            raise CommandError(f"There is no meeting {options['meeting']}") from error
        if meeting.is_cancelled:
            raise CommandError(f"The meeting on {meeting.date:%-d %B %Y} is cancelled")
        result = remind_owners(meeting)
        for email, count in result.sent:
            self.stdout.write(f"reminded {email}: {count} action{'s' if count != 1 else ''}")
        for name in result.without_email:
            self.stdout.write(f"no email address for {name}: not reminded")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.sent)} reminder{'s' if len(result.sent) != 1 else ''} sent for "
                f"{meeting}"
            )
        )
