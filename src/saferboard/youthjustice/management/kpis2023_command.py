"""``saferboard yj kpis2023``: the ten 2023 key performance indicators of one service.

    saferboard yj kpis2023 --service NAME --from YYYY-MM-DD --to YYYY-MM-DD
                           [--json] [--return FILE.csv]

``--json`` prints the contract documented in docs/youth-justice-data.md; without it a
readable table. ``--return`` also writes the quarterly return CSV (the same file as the
download on the youth justice page). Kept apart from the ``yj`` command module so that
the dispatcher needs only a hook.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

ACTIONS = ("kpis2023",)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def add_parsers(sub: Any) -> None:
    """Add ``kpis2023`` to the ``yj`` command's subparsers."""
    kpis = sub.add_parser("kpis2023", help="the ten 2023 YJB KPIs for a service and period")
    kpis.add_argument("--service", required=True, metavar="NAME")
    kpis.add_argument("--from", dest="start", required=True, type=_day, metavar="YYYY-MM-DD")
    kpis.add_argument("--to", dest="end", required=True, type=_day, metavar="YYYY-MM-DD")
    kpis.add_argument("--json", action="store_true", help="print the JSON document")
    kpis.add_argument(
        "--return",
        dest="return_file",
        type=Path,
        metavar="FILE.csv",
        help="also write the quarterly return CSV",
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run ``yj kpis2023``."""
    from saferboard.core import audit
    from saferboard.core.models import AuditAction
    from saferboard.youthjustice.exports import to_csv
    from saferboard.youthjustice.kpis2023 import RETURN_HEADER, document, return_rows
    from saferboard.youthjustice.kpis2023_data import service_kpis
    from saferboard.youthjustice.models import Service

    start, end = options["start"], options["end"]
    if end < start:
        raise CommandError("--to is before --from")
    service = Service.objects.filter(name__iexact=options["service"]).first()
    if service is None or service.data_to is None:
        raise CommandError(f"no case records are held for the service {options['service']!r}")
    kpis = service_kpis(service, start, end)
    if options.get("return_file"):
        path: Path = options["return_file"]
        rows = return_rows(service.name, start, end, kpis)
        path.write_bytes(to_csv(list(RETURN_HEADER), rows))
        audit.record(
            AuditAction.EXPORT,
            actor_label="command line",
            what="youth justice 2023 KPI return",
            service=service.name,
            period=[start.isoformat(), end.isoformat()],
            rows=len(rows),
        )
    if options["json"]:
        command.stdout.write(json.dumps(document(service.name, start, end, kpis), indent=2))
        return
    command.stdout.write(f"{service.name}, {start.isoformat()} to {end.isoformat()}")
    command.stdout.write(f"  {'KPI':<72} {'Numerator':>10} {'Denominator':>12} {'Value':>10}")
    for k in kpis:
        if k.rate is not None:
            value = f"{k.rate:.2f}"
        elif k.percentage is not None:
            value = f"{k.percentage:.1f}%"
        else:
            value = "-"
        command.stdout.write(
            f"  {k.number:>2}. {k.title:<68} {_count(k.numerator):>10} "
            f"{_count(k.denominator):>12} {value:>10}"
        )
        for s in k.sub_measures:
            share = "" if s.percentage is None else f"{s.percentage:.1f}%"
            command.stdout.write(
                f"        {s.label:<64} {_count(s.count):>10} {_count(s.denominator):>12} "
                f"{share:>10}"
            )
        for note in k.notes:
            command.stdout.write(f"        note: {note}")
    if options.get("return_file"):
        command.stdout.write(f"Wrote the quarterly return to {options['return_file']}")


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
