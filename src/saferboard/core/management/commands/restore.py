"""Restore a backup made by `saferboard backup` after checking every checksum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup (.tar.gz) into the configured database and data directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {result['engine']} database and {result['files']} data files "
            f"from the backup made at {result['created_at']}; removed {result['removed']} "
            "data files made after it"
        )
