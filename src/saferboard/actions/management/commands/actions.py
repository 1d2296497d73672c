"""``saferboard actions import-hmi-ratings FILE``: load published inspection comparators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.actions.inspection_services import import_published

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "hmi_youth_justice_inspection_ratings.csv"


class Command(BaseCommand):
    help = (
        "Action plans: `import-hmi-ratings FILE` loads HMI Probation's published youth "
        "justice inspection ratings (all or nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        hmi = sub.add_parser(
            "import-hmi-ratings",
            help="import HMI Probation youth justice inspection ratings from a CSV file",
        )
        hmi.add_argument(
            "file",
            nargs="?",
            default=str(SHIPPED),
            help="the CSV file (default: the copy shipped with Saferboard)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}")
        outcome = import_published(path.name, path.read_bytes())
        if outcome.problems:
            for problem in outcome.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(outcome.problems)} problem{'s' if len(outcome.problems) != 1 else ''} "
                f"in {path.name}: nothing was imported"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {outcome.created} new and {outcome.updated} updated inspections "
                f"from {path.name}"
            )
        )
