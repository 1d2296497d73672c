"""``saferboard setup …``: the set-up workbook from the command line.

``saferboard setup template --out FILE.xlsx`` writes an empty workbook with a Notes sheet;
``saferboard setup import FILE.xlsx [--dry-run]`` creates or updates the set-up from it,
all or nothing; ``saferboard setup export (--out FILE.xlsx | --json)`` writes the current
set-up in the same form (importing it again changes nothing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.setup.workbook_apply import WorkbookRejected, import_workbook
from saferboard.setup.workbook_export import as_json, current_setup, write_workbook
from saferboard.setup.workbook_reader import WorkbookUnreadable, read_workbook


class Command(BaseCommand):
    help = "The set-up workbook: write the template, import a workbook, export the set-up."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        template = sub.add_parser("template", help="write an empty set-up workbook")
        template.add_argument("--out", required=True, metavar="FILE.xlsx")
        imports = sub.add_parser("import", help="create or update the set-up from a workbook")
        imports.add_argument("file", metavar="FILE.xlsx")
        imports.add_argument(
            "--dry-run", action="store_true", help="report what would change; change nothing"
        )
        export = sub.add_parser("export", help="write the current set-up")
        where = export.add_mutually_exclusive_group(required=True)
        where.add_argument("--out", metavar="FILE.xlsx")
        where.add_argument("--json", action="store_true", help="print the set-up as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "template":
            Path(options["out"]).write_bytes(write_workbook())
            self.stdout.write(f"Wrote the set-up workbook template to {options['out']}")
        elif command == "import":
            self._import(Path(options["file"]), dry_run=options["dry_run"])
        else:
            self._export(options["out"], as_json_text=options["json"])

    def _import(self, path: Path, *, dry_run: bool) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file {path}")
        try:
            workbook = read_workbook(path.read_bytes(), path.name)
            report = import_workbook(
                workbook,
                actor_label="saferboard setup import",
                dry_run=dry_run,
                file_name=path.name,
            )
        except WorkbookUnreadable as error:
            raise CommandError(str(error.problem)) from error
        except WorkbookRejected as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"The workbook was refused ({len(error.problems)} problem"
                f"{'' if len(error.problems) == 1 else 's'}): nothing was changed"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")

    def _export(self, out: str | None, *, as_json_text: bool) -> None:
        from saferboard.core.audit import record
        from saferboard.core.models import AuditAction, Partnership

        partnership = Partnership.objects.order_by("pk").first()
        if partnership is None:
            raise CommandError("There is no partnership yet: run `saferboard init` first")
        rows = current_setup(partnership)
        # It lists people and their roles: an export like any other, audited.
        record(
            AuditAction.EXPORT,
            obj=partnership,
            actor_label="saferboard setup export",
            what="set-up workbook",
            format="json" if as_json_text else "xlsx",
        )
        if as_json_text:
            self.stdout.write(json.dumps(as_json(rows), indent=2, ensure_ascii=False))
            return
        if out is None:  # the parser requires --out or --json
            raise CommandError("Give --out FILE.xlsx or --json")
        Path(out).write_bytes(write_workbook(rows))
        self.stdout.write(f"Wrote the set-up of {partnership.name} to {out}")
