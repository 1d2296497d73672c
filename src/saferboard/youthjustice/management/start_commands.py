"""``saferboard yj`` subcommands for a start without a developer, and published figures:

    saferboard yj template --out DIR
    saferboard yj sample --out DIR
    saferboard yj published FILE --published-on YYYY-MM-DD [--mapping FILE.json]
                                 [--sheet NAME] [--synthetic]

Kept apart from the ``yj`` command module so that the dispatcher needs only a hook.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ("template", "sample", "published")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def add_parsers(sub: Any) -> None:
    """Add the subcommands to the ``yj`` command's subparsers."""
    template = sub.add_parser(
        "template", help="write header-only CSVs of the case record export, with NOTES.md"
    )
    template.add_argument("--out", required=True, type=Path, metavar="DIR")
    sample = sub.add_parser("sample", help="write a small SYNTHETIC export to try the import")
    sample.add_argument("--out", required=True, type=Path, metavar="DIR")
    published = sub.add_parser(
        "published", help="import published MoJ/YJB youth justice statistics (CSV or XLSX)"
    )
    published.add_argument("file", metavar="FILE", type=Path)
    published.add_argument("--published-on", required=True, type=_day, metavar="YYYY-MM-DD")
    published.add_argument(
        "--mapping", type=Path, metavar="FILE.json", help='{"column": "the file\'s header"}'
    )
    published.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default first)")
    published.add_argument(
        "--synthetic", action="store_true", help="the figures are made up (for a demonstration)"
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run one of :data:`ACTIONS`."""
    action = options["action"]
    if action in ("template", "sample"):
        from saferboard.youthjustice.starter import sample_files, template_files, write_files

        files = template_files() if action == "template" else sample_files()
        try:
            written = write_files(files, options["out"])
        except OSError as error:
            raise CommandError(f"cannot write to {options['out']}: {error}") from None
        what = "template" if action == "template" else "SYNTHETIC sample export"
        command.stdout.write(f"Wrote the {what} to {options['out']}:")
        for path in written:
            command.stdout.write(f"  {path.name}")
    elif action == "published":
        _published(command, options)


def _published(command: BaseCommand, options: dict[str, Any]) -> None:
    from saferboard.youthjustice.importer import ImportFailed
    from saferboard.youthjustice.published import import_publication

    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"{path} is not a file")
    mapping = None
    if options["mapping"]:
        try:
            mapping = json.loads(options["mapping"].read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{options['mapping']}: cannot be read as JSON ({error})") from None
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise CommandError(f'{options["mapping"]}: must be {{"column": "header", ...}}')
    try:
        report = import_publication(
            path.read_bytes(),
            path.name,
            published_on=options["published_on"],
            mapping=mapping,
            sheet=options["sheet"],
            synthetic=options["synthetic"],
        )
    except ImportFailed as failure:
        for problem in failure.problems:
            command.stderr.write(f"error: {problem}")
        if failure.more:
            command.stderr.write(f"… and {failure.more} more problems")
        raise CommandError(str(failure)) from None
    command.stdout.write(
        f"Imported {report.figures:,} published figures for {len(report.services)} services "
        f"(published {options['published_on']})"
        + (f"; combined: {', '.join(report.combined)}" if report.combined else "")
        + "."
    )
