"""``saferboard strategy …``: the reporting cycle from the command line.

``saferboard strategy rounds`` lists the reporting rounds with their ids;
``saferboard strategy remind --round ID`` emails the partner leads of every
organisation with returns outstanding in that round, and logs each reminder.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.strategy.models import ReportingRound
from saferboard.strategy.reminders import send_reminders


class Command(BaseCommand):
    help = "Strategy delivery: list reporting rounds, send reminders for outstanding returns."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        sub.add_parser("rounds", help="list reporting rounds with their ids and returns")
        remind = sub.add_parser(
            "remind", help="email partner leads whose returns are outstanding in a round"
        )
        remind.add_argument("--round", type=int, required=True, dest="round_id", metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rounds":
            self._rounds()
        else:
            self._remind(options["round_id"])

    def _rounds(self) -> None:
        rounds = ReportingRound.objects.select_related("strategy").order_by(
            "strategy", "financial_year", "quarter"
        )
        if not rounds:
            self.stdout.write("No reporting rounds.")
        for round in rounds:
            outstanding = round.updates.outstanding().count()
            self.stdout.write(
                f"{round.pk:>4}  {round.label:<11} {round.get_status_display():<7} "
                f"deadline {round.deadline:%Y-%m-%d}  {round.updates.count()} returns, "
                f"{outstanding} outstanding  ({round.strategy.title})"
            )

    def _remind(self, round_id: int) -> None:
        round = ReportingRound.objects.select_related("strategy").filter(pk=round_id).first()
        if round is None:
            raise CommandError(
                f"There is no reporting round {round_id}: `saferboard strategy rounds` lists them"
            )
        if not round.is_open:
            raise CommandError(f"The {round.label} round is closed: no reminders sent")
        reminders = send_reminders(round, via="command")
        if not reminders:
            self.stdout.write(f"Every {round.label} return is in: no reminders needed.")
            return
        for reminder in reminders:
            to = reminder.recipients or "NO PARTNER LEAD EMAIL ADDRESS: not sent"
            self.stdout.write(
                f"{reminder.organisation.name}: {reminder.outstanding} outstanding -> {to}"
            )
        emailed = sum(1 for r in reminders if r.recipients)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent {emailed} reminder{'s' if emailed != 1 else ''} for {round.label} "
                f"(deadline {round.deadline:%-d %B %Y})."
            )
        )
