"""Back up the database and the data directory into one checksummed archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.core import audit
from saferboard.core.backup import BackupError, create_backup
from saferboard.core.models import AuditAction


class Command(BaseCommand):
    help = "Back up the database and data directory to a .tar.gz (default: $SABO_DATA_DIR/backups)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=None, help="folder for the backup file")

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["out"] or Path(settings.DATA_DIR) / "backups"
        try:
            result = create_backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        audit.record(
            AuditAction.EXPORT,
            actor_label="saferboard backup",
            what="backup",
            path=str(result.path),
            engine=result.engine,
        )
        self.stdout.write(
            f"Backed up the {result.engine} database and {result.files} data files "
            f"({result.bytes:,} bytes) to {result.path}"
        )
