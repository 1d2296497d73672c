"""``saferboard crime import|dashboard|rank``: the crime engine's command-line contract.

    saferboard crime import PATH... [--format auto|police-uk|mps-recorded-crime|mps-crime-dashboard]
    saferboard crime dashboard --area NAME_OR_CODE --to YYYY-MM [--source police-uk|mps] --json
    saferboard crime rank --measure SLUG --to YYYY-MM --peers london|all|FILE [--source …] --json

Other tools rely on these options and on the JSON they print: keep them stable.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.core import formats
from saferboard.crime.dashboard import (
    SOURCES,
    DashboardError,
    rank_table,
    source_measures,
)
from saferboard.crime.importer import FORMATS, import_files
from saferboard.crime.management.commands._progress import progress_bar
from saferboard.crime.observations import dashboard_figures
from saferboard.crime.problems import ImportRejected
from saferboard.crime.sources import SOURCE_LABELS, preferred_source, source_for_peers, source_note


def _pct(value: float | None) -> str:
    return formats.signed_pct(value, 0)


class Command(BaseCommand):
    help = "Import crime data, and print a crime dashboard or a ranking."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="import|dashboard|rank")
        imp = sub.add_parser(
            "import", help="import police.uk or MPS (recorded crime, crime dashboard) files"
        )
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument("--format", choices=FORMATS, default="auto")
        dash = sub.add_parser("dashboard", help="rolling-year dashboard for an area")
        dash.add_argument("--area", required=True, metavar="NAME_OR_CODE")
        dash.add_argument("--to", required=True, metavar="YYYY-MM")
        dash.add_argument("--source", choices=SOURCES, default=None)
        dash.add_argument("--json", action="store_true", help="print JSON")
        rank = sub.add_parser("rank", help="rank areas on one measure")
        rank.add_argument("--measure", required=True, metavar="SLUG")
        rank.add_argument("--to", required=True, metavar="YYYY-MM")
        rank.add_argument("--peers", required=True, metavar="london|all|FILE")
        rank.add_argument("--source", choices=SOURCES, default=None)
        rank.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ImportRejected, DashboardError) as error:
            raise CommandError(str(error)) from error

    def _import(self, options: dict[str, Any]) -> None:
        with progress_bar() as progress:
            result = import_files(options["paths"], format=options["format"], progress=progress)
        self.stdout.write(self.style.SUCCESS(result.summary()))
        for note in result.notes:
            self.stdout.write(f"  {note}")
        for replaced in result.replaced[:5]:
            self.stdout.write(
                f"  replaced {replaced['partition']} ({replaced.get('rows', 0):,} rows, "
                f"import #{replaced.get('import_id')})"
            )
        if len(result.replaced) > 5:
            self.stdout.write(f"  … and {len(result.replaced) - 5} more partitions replaced")

    def _dashboard(self, options: dict[str, Any]) -> None:
        # The stored, rated figures of the window (stored now if not yet, or if the
        # data changed since): the same as the page, the downloads and the board pack.
        board, _ = dashboard_figures(
            options["area"], options["to"], options["source"], details=False
        )
        if options["json"]:
            self.stdout.write(json.dumps(board.as_json(), indent=2))
            return
        c = board.comparison
        self.stdout.write(
            f"{board.area.name} ({board.area.code}), {board.source}: rolling year "
            f"{c.current.label} against {c.previous.label}"
        )
        for m in board.measures:
            current = "no data" if m.current is None else f"{m.current:,}"
            previous = "no data" if m.previous is None else f"{m.previous:,}"
            signif = {True: "significant", False: "not significant", None: ""}[m.significant]
            self.stdout.write(
                f"  {m.label:<50} {current:>9} {previous:>9} {_pct(m.change_pct):>6} "
                f"{m.rating.label if m.rating else 'none':<6} {signif}"
            )
        for note in board.notes:
            self.stdout.write(f"  Note: {note}")

    def _rank(self, options: dict[str, Any]) -> None:
        source = options["source"] or source_for_peers(options["peers"])
        measure = next((m for m in source_measures(source) if m.slug == options["measure"]), None)
        if measure is None:
            raise CommandError(f"No {source} measure {options['measure']!r}")
        left_out: list[dict[str, str]] = []
        label, comparison, rows = rank_table(
            source, measure, options["to"], options["peers"], left_out=left_out
        )
        compared = sum(1 for r in rows if r.rank_count is not None)
        if options["json"]:
            payload = {
                "measure": measure.slug,
                "label": measure.label,
                "source": source,
                "to": options["to"],
                "peers": label,
                "current": comparison.current.as_dict(),
                "previous": comparison.previous.as_dict(),
                "areas": [r.as_json() for r in rows],
                "source_label": SOURCE_LABELS[source],
                "preferred_source": preferred_source(),
                "compared": compared,
                "not_ranked": left_out,
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(
            f"{measure.label}, rolling year {comparison.current.label}, {label}, "
            f"{SOURCE_LABELS[source]}: {compared} area(s) compared"
        )
        note = source_note(source)
        if note:
            self.stdout.write(f"  Note: {note}")
        for r in rows:
            if r.rank_count is None:
                continue
            self.stdout.write(
                f"  {r.rank_count:>3}  {r.name:<40} {r.current:>9,} {_pct(r.change_pct):>6}"
            )
        for row in left_out:
            self.stdout.write(f"  not ranked: {row['name']} ({row['reason']})")
