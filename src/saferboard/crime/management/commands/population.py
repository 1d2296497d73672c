"""``saferboard population import PATH``: ONS mid-year estimates by single year of age."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.crime.inputs import expanded
from saferboard.crime.management.commands._progress import progress_bar
from saferboard.crime.population import import_population
from saferboard.crime.problems import ImportRejected


class Command(BaseCommand):
    help = "Import ONS mid-year population estimates (single year of age)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="import")
        imp = sub.add_parser("import", help="import estimate CSV files")
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument(
            "--year",
            type=int,
            default=None,
            help="mid-year of the estimate (default: from the file name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with expanded(options["paths"], street_only=False) as files, progress_bar() as bar:
                result = import_population(files, year=options["year"], progress=bar)
        except ImportRejected as error:
            raise CommandError(str(error)) from error
        years = ", ".join(f"mid-{y}" for y in result.data_import.detail.get("years", []))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows:,} areas ({years}) as import #{result.data_import.pk}"
            )
        )
