"""``saferboard panels …``: retention and the board's aggregates, from the command line.

saferboard panels retention [--apply] [--today YYYY-MM-DD]
saferboard panels aggregates [--store] [--panel SLUG] [--today YYYY-MM-DD]
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saferboard.panels import board, retention
from saferboard.panels.models import Panel


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2025-03-31, not {value!r}") from error


class Command(BaseCommand):
    help = "Multi-agency panels: retention of closed cases, and the board's aggregates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        ret = sub.add_parser(
            "retention",
            help="list closed cases past their panel's retention period; --apply deletes them",
        )
        ret.add_argument(
            "--apply", action="store_true", help="delete the cases listed (default: list only)"
        )
        ret.add_argument("--today", type=_day, help="run as if on this date (YYYY-MM-DD)")
        agg = sub.add_parser(
            "aggregates", help="print each panel's published (suppressed) aggregates"
        )
        agg.add_argument("--panel", help="one panel, by its slug")
        agg.add_argument(
            "--store", action="store_true", help="store the counts as observations (measures)"
        )
        agg.add_argument("--today", type=_day, help="as at this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today") or timezone.localdate()
        if options["subcommand"] == "retention":
            self._retention(today, apply=options["apply"])
        else:
            self._aggregates(today, slug=options.get("panel"), store=options["store"])

    def _retention(self, today: date, *, apply: bool) -> None:
        due = [item for _, item in retention.due_for_deletion(today)]
        self.stdout.write(
            f"Closed cases past their retention period on {today:%Y-%m-%d} "
            f"(floor {retention.FLOOR_MONTHS} months): {len(due)}"
        )
        for item in due:
            self.stdout.write(
                f"  {item.reference}  {item.panel}  closed {item.closed_on:%Y-%m-%d}  "
                f"deletable from {item.delete_after:%Y-%m-%d}"
            )
        if not apply:
            if due:
                self.stdout.write("Nothing deleted. Run again with --apply to delete them.")
            return
        deleted = retention.apply(today)
        self.stdout.write(
            self.style.SUCCESS(f"Deleted {len(deleted)} case(s); audit event written.")
        )

    def _aggregates(self, today: date, *, slug: str | None, store: bool) -> None:
        panels = Panel.objects.filter(is_active=True).select_related("partnership__local_authority")
        if slug:
            panels = panels.filter(slug=slug)
            if not panels.exists():
                raise CommandError(f"No active panel with the slug {slug!r}")
        for panel in panels:
            agg = board.panel_aggregates(panel, today)
            self.stdout.write(f"{panel.name} ({today:%Y-%m-%d}): {agg.headline}")
            for title, rows in (("flag", agg.flags), ("risk", agg.risk), ("status", agg.status)):
                self.stdout.write(f"  by {title}: " + "; ".join(f"{k} {v}" for k, v in rows))
            if store:
                count = board.store_panel_observations(panel, today)
                self.stdout.write(f"  stored {count} observation(s)")
