"""``saferboard geography import PATH``: the ONS LSOA → ward → local authority lookups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.crime.geography import import_geography
from saferboard.crime.inputs import expanded
from saferboard.crime.management.commands._progress import progress_bar
from saferboard.crime.problems import ImportRejected


class Command(BaseCommand):
    help = "Import the ONS LSOA (2011 → 2021) and LSOA → ward → local authority lookups."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="import")
        imp = sub.add_parser("import", help="import lookup CSV files")
        imp.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with expanded(options["paths"], street_only=False) as files, progress_bar() as bar:
                result = import_geography(files, progress=bar)
        except ImportRejected as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows:,} lookup rows "
                f"({', '.join(result.data_import.detail['lookups'])}) "
                f"as import #{result.data_import.pk}"
            )
        )
