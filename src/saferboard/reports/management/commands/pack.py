"""`saferboard pack --meeting ID [--format pdf|docx|html] [--public|--restricted] --out PATH`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.reports.files import write_atomic


class Command(BaseCommand):
    help = (
        "Build a meeting's board pack and write it to a file: PDF (default), DOCX or the "
        "web pack's HTML; the public pack (default) or the restricted pack. Prints the "
        "pages, page ranges, figure-check findings and data version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", type=int, required=True, help="the meeting's id")
        parser.add_argument(
            "--format", choices=["pdf", "docx", "html"], default="pdf", help="default: pdf"
        )
        audience = parser.add_mutually_exclusive_group()
        audience.add_argument(
            "--public",
            dest="public",
            action="store_true",
            default=True,
            help="exempt items left out, small numbers suppressed (default)",
        )
        audience.add_argument(
            "--restricted", dest="public", action="store_false", help="everything, unsuppressed"
        )
        parser.add_argument("--out", required=True, type=Path, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        from saferboard.meetings.models import Meeting
        from saferboard.reports.assemble import assemble
        from saferboard.reports.render import render_document_html, render_docx, render_pdf

        try:
            meeting = Meeting.objects.select_related("board__partnership").get(
                pk=options["meeting"]
            )
        except Meeting.DoesNotExist as error:
            raise CommandError(f"No meeting with id {options['meeting']}") from error
        started = time.perf_counter()
        content = assemble(meeting, public=options["public"])
        result = render_pdf(content)
        fmt = options["format"]
        if fmt == "pdf":
            data = result.pdf
        elif fmt == "docx":
            data = render_docx(content, result.ranges)
        else:
            body = render_document_html(content, result.ranges)
            data = body.encode("utf-8")
        out: Path = options["out"]
        write_atomic(out.resolve(), data)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{content.title[0].upper() + content.title[1:]}: {result.pages} pages "
            f"({result.passes} layout passes) in {elapsed:.1f} s → {out}"
        )
        for entry in content.entries:
            pages = result.ranges[entry.anchor].label if entry.anchor else ""
            note = ""
            if entry.withheld:
                note = " [exempt: not in the public pack]"
            elif entry.section is not None and not entry.section.available:
                note = f" [not available: {entry.section.note}]"
            self.stdout.write(f"  {entry.number:>2}. {entry.title} {pages}{note}")
        self.stdout.write(f"Figure check: {len(content.issues)} finding(s)")
        for issue in content.issues:
            self.stdout.write(f"  - {issue.severity}: {issue.location}: {issue.message}")
        self.stdout.write(
            f"Data version {content.data_version}; code version {content.code_version}"
        )
