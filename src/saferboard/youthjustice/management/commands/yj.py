"""``saferboard yj``: youth justice case records, KPIs, benchmarks and ranks.

    saferboard yj import DIR [--mapping FILE.json]
    saferboard yj template --out DIR | sample --out DIR
    saferboard yj published FILE --published-on YYYY-MM-DD [--mapping FILE.json]
    saferboard yj kpis --service NAME --from YYYY-MM-DD --to YYYY-MM-DD
                       [--cohort 12m|3m] [--json]
    saferboard yj kpis2023 --service NAME --from YYYY-MM-DD --to YYYY-MM-DD
                           [--json] [--return FILE.csv]
    saferboard yj benchmark import FILE
    saferboard yj rank --measure M --from YYYY-MM-DD --to YYYY-MM-DD --peers GROUP
                       [--service NAME] [--json]

The JSON of ``kpis`` and ``rank`` is a contract other tools rely on: see
docs/youth-justice-data.md.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.youthjustice.definitions import BENCHMARK_MEASURES
from saferboard.youthjustice.management import kpis2023_command, start_commands


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Youth justice: import case records, compute the national KPIs, benchmark and rank."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        imp = sub.add_parser("import", help="import a case management export (a folder of CSVs)")
        imp.add_argument("folder", metavar="DIR", type=Path)
        imp.add_argument("--mapping", type=Path, metavar="FILE.json", help="column mapping")

        kpis = sub.add_parser("kpis", help="the three KPIs for a service and period")
        kpis.add_argument("--service", required=True, metavar="NAME")
        kpis.add_argument("--from", dest="start", required=True, type=_day, metavar="YYYY-MM-DD")
        kpis.add_argument("--to", dest="end", required=True, type=_day, metavar="YYYY-MM-DD")
        kpis.add_argument("--cohort", choices=["12m", "3m"], default="12m")
        kpis.add_argument("--json", action="store_true", help="print the JSON document")

        bench = sub.add_parser("benchmark", help="published comparator figures and peer groups")
        bench_sub = bench.add_subparsers(dest="bench_action", required=True, metavar="ACTION")
        bench_imp = bench_sub.add_parser("import", help="import a figures or peer groups CSV")
        bench_imp.add_argument("file", metavar="FILE", type=Path)

        rank = sub.add_parser("rank", help="rank a peer group on a measure (1 = best)")
        rank.add_argument("--measure", required=True, choices=BENCHMARK_MEASURES, metavar="M")
        rank.add_argument("--from", dest="start", required=True, type=_day, metavar="YYYY-MM-DD")
        rank.add_argument("--to", dest="end", required=True, type=_day, metavar="YYYY-MM-DD")
        rank.add_argument("--peers", required=True, metavar="GROUP")
        rank.add_argument("--service", metavar="NAME", help="print this service's rank sentence")
        rank.add_argument("--json", action="store_true", help="print the JSON document")
        kpis2023_command.add_parsers(sub)
        rank.add_argument("--source", choices=["published", "local"], default="published")
        start_commands.add_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in kpis2023_command.ACTIONS:
            kpis2023_command.handle(self, options)
            return
        if action in start_commands.ACTIONS:
            start_commands.handle(self, options)
        elif action == "import":
            self._import(options["folder"], options.get("mapping"))
        elif action == "kpis":
            self._kpis(options)
        elif action == "benchmark":
            self._benchmark(options["file"])
        elif action == "rank":
            self._rank(options)

    # ----------------------------------------------------------------------------------
    def _import(self, folder: Path, mapping: Path | None = None) -> None:
        from saferboard.youthjustice.importer import ImportFailed, import_export, read_folder
        from saferboard.youthjustice.mapping import read_mapping_json, resolve

        try:
            given = read_mapping_json(mapping) if mapping else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            files, _ = resolve(read_folder(folder), given)
            report = import_export(
                files,
                label=f"Youth justice case records from {folder.name}",
            )
        except ImportFailed as failure:
            self._fail(failure)
        self.stdout.write(
            f"Imported youth justice case records for {', '.join(report.services)} "
            f"(data to {report.data_to}): "
            + ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in report.rows.items())
        )
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")

    def _kpis(self, options: dict[str, Any]) -> None:
        from saferboard.youthjustice.contract import kpi_document
        from saferboard.youthjustice.models import Service

        service = (
            Service.objects.filter(name__iexact=options["service"])
            .select_related("area", "last_import")
            .first()
        )
        if service is None or service.data_to is None:
            raise CommandError(f"no case records are held for the service {options['service']!r}")
        if options["end"] < options["start"]:
            raise CommandError("--to is before --from")
        try:
            document = kpi_document(service, options["start"], options["end"], options["cohort"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(document, indent=2))
            return
        fte, custody, reo = document["fte"], document["custody"], document["reoffending"]
        self.stdout.write(f"{document['service']}, {document['from']} to {document['to']}")
        self.stdout.write(
            f"  First time entrants: {fte['count']} "
            f"(rate per 100,000 aged 10-17: {_fmt(fte['rate_per_100k'])}; "
            f"population {fte['population_10_17'] or 'not loaded'})"
        )
        self.stdout.write(
            f"  Use of custody: {custody['count']} "
            f"(rate per 1,000: {_fmt(custody['rate_per_1000'])})"
        )
        self.stdout.write(
            f"  Reoffending ({reo['cohort_kind']} cohorts): cohort {reo['cohort']}, "
            f"reoffenders {reo['reoffenders']}, reoffences {reo['reoffences']}; "
            f"binary rate {_fmt(reo['binary_rate_pct'])}%, "
            f"reoffences per child in the cohort {_fmt(reo['frequency_rate'])}, "
            f"reoffences per reoffender {_fmt(reo['reoffences_per_reoffender'])}"
            + (f" (provisional: data to {reo['data_to']})" if reo["provisional"] else "")
        )
        for slug, rating in document["ratings"].items():
            if rating["rag"]:
                self.stdout.write(
                    f"  {slug}: {rating['rag']} ({rating['rag_reason']}; rule {rating['rule']})"
                )

    def _benchmark(self, file: Path) -> None:
        from saferboard.youthjustice.benchmarks import import_benchmark_file
        from saferboard.youthjustice.importer import ImportFailed

        try:
            report = import_benchmark_file(file)
        except ImportFailed as failure:
            self._fail(failure)
        if report.kind == "figures":
            self.stdout.write(
                f"Imported {report.rows:,} published figures for {report.services} services."
            )
        else:
            self.stdout.write(
                f"Imported peer groups {', '.join(report.groups)} "
                f"({report.rows} memberships, {report.services} services)."
            )

    def _rank(self, options: dict[str, Any]) -> None:
        from saferboard.youthjustice.benchmarks import rank

        try:
            table = rank(
                options["measure"],
                options["start"],
                options["end"],
                options["peers"],
                options["source"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            document = table.as_json()
            if options["service"]:
                document["service"] = options["service"]
                document["sentence"] = table.sentence(options["service"])
            self.stdout.write(json.dumps(document, indent=2))
            return
        self.stdout.write(
            f"{table.measure}, {table.period_from} to {table.period_to}, "
            f"{table.group_name}, {table.source} figures (1 = best, lower is better)"
        )
        for entry in table.entries:
            self.stdout.write(
                f"  {entry.rank:>3}  {entry.service:<40} {entry.value:>10.2f}  ({entry.source})"
            )
        if table.without_value:
            self.stdout.write(f"  no figure: {', '.join(table.without_value)}")
        if options["service"]:
            sentence = table.sentence(options["service"])
            self.stdout.write(
                f"{options['service']} {sentence}."
                if sentence
                else f"{options['service']} has no figure for this period in {table.group_name}."
            )

    def _fail(self, failure: Exception) -> None:
        problems = getattr(failure, "problems", [])
        for problem in problems:
            self.stderr.write(f"error: {problem}")
        more = getattr(failure, "more", 0)
        if more:
            self.stderr.write(f"… and {more} more problems")
        raise CommandError(f"{failure}")


def _fmt(value: float | None) -> str:
    return "not available" if value is None else f"{value:.2f}"
