"""``saferboard measure``: list, add and change measures without code.

saferboard measure list [--source SOURCE] [--json]
saferboard measure add --slug SLUG --label LABEL --source SOURCE [options]
saferboard measure edit SLUG --source SOURCE [options] [--retire | --unretire]
saferboard measure rerate SLUG --source SOURCE --user USERNAME [--json]
saferboard measure observations SLUG --source SOURCE [--area CODE] [--json]

See docs/measures.md. Errors name the option and value, and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.core.models import User
from saferboard.core.rag import NOT_RATED_LABEL
from saferboard.measures.definitions import SOURCE_NAMES, Refused, describe
from saferboard.measures.editing import (
    MeasureChange,
    find_measure,
    measure_json,
    save_measure,
    source_named,
)
from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import rerate
from saferboard.measures.stored_ratings import rerating_sentence

SOURCES_HELP = (
    "police.uk, met-recorded-crime, met-crime-dashboard, youth-justice, data-return or "
    "manual (the stored kinds police-uk, mps, partner-return are accepted too)"
)
CATEGORY_HELP = (
    "a category (repeatable): police.uk a category key or name (burglary), or 'all'; Met "
    "recorded crime a major or minor category (BURGLARY, VIOLENCE WITH INJURY), or 'all'; "
    "Met crime dashboard a row 'crime type|subtype|measure' (measure Offences if left out)"
)


def _options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    parser.add_argument(
        "--source", required=True, help=f"where the figures come from: {SOURCES_HELP}"
    )
    if adding:
        parser.add_argument("--slug", required=True, help="identifier: lower case and hyphens")
        parser.add_argument("--label", required=True, help="the name people read")
    else:
        parser.add_argument("--label", help="a new name")
    parser.add_argument("--description", help="the definition in plain words")
    parser.add_argument(
        "--unit", help="count, percent, rate_per_1000, rate_per_100000 or ratio (default count)"
    )
    parser.add_argument(
        "--direction",
        help="lower, higher (is better) or monitor (monitor only: no direction of good); "
        "default lower",
    )
    # "extend" with nargs "*": repeat or list several; the bare option (no value) on an
    # edit clears what was there.
    for name, what in (
        ("include", CATEGORY_HELP),
        (
            "exclude",
            "a category left out (repeatable; same forms as --include): police.uk "
            "from 'all'; Met recorded crime a minor category within what is included, or a "
            "Met crime dashboard row to subtract",
        ),
        ("plus", "another measure of the same source to add (its slug; repeatable)"),
        ("minus", "another measure of the same source to subtract (its slug; repeatable)"),
    ):
        parser.add_argument(f"--{name}", nargs="*", action="extend", metavar="VALUE", help=what)
    parser.add_argument(
        "--rule",
        help="lower-is-better, higher-is-better, judgement (a named person rates it with a "
        "reason) or none; default follows --direction (monitor: none)",
    )
    parser.add_argument(
        "--green", help="Green while the figure is at most this %% worse than before (default 0)"
    )
    parser.add_argument(
        "--amber", help="Amber while at most this %% worse (default 10); Red beyond it"
    )
    parser.add_argument("--user", help="the username making the change (audited)")
    parser.add_argument("--json", action="store_true", help="print the measure as JSON")


class Command(BaseCommand):
    help = "List, add and change measures (see docs/measures.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every measure with its source, rule and definition")
        listing.add_argument("--source", help=f"only this source: {SOURCES_HELP}")
        listing.add_argument(
            "--json",
            action="store_true",
            help="a JSON list of objects with keys slug, label, source, source_kind, unit, "
            "direction, rule (ref, slug, version, kind, green_max_pct, amber_max_pct, or "
            "null), definition, description, retired (a date or null)",
        )
        add = sub.add_parser("add", help="add a measure")
        _options(add, adding=True)
        edit = sub.add_parser("edit", help="change a measure (what is not given is kept)")
        edit.add_argument("slug", help="the measure's identifier")
        _options(edit, adding=False)
        retire = edit.add_mutually_exclusive_group()
        retire.add_argument(
            "--retire", action="store_true", help="retire it from today (figures are kept)"
        )
        retire.add_argument("--unretire", action="store_true", help="bring it back")
        again = sub.add_parser(
            "rerate",
            help="re-rate the measure's stored figures under its rule's current version "
            "(audited; old ratings stay in each figure's history)",
        )
        again.add_argument("slug", help="the measure's identifier")
        again.add_argument(
            "--source", required=True, help=f"where the figures come from: {SOURCES_HELP}"
        )
        again.add_argument(
            "--user", required=True, help="the username asking for the re-rating (audited)"
        )
        again.add_argument(
            "--json",
            action="store_true",
            help="print what was done as a JSON object with keys measure, rule, considered, "
            "rated, changed, unchanged",
        )
        shown = sub.add_parser(
            "observations", help="the measure's stored figures and ratings, newest first"
        )
        shown.add_argument("slug", help="the measure's identifier")
        shown.add_argument(
            "--source", required=True, help=f"where the figures come from: {SOURCES_HELP}"
        )
        shown.add_argument("--area", help="only this area (its ONS code)")
        shown.add_argument(
            "--json",
            action="store_true",
            help="a JSON list of objects with keys measure, area_code, area_name, "
            "period_start, period_end, value, numerator, denominator, rank, "
            "peer_group_size, provisional, data_as_at, rag, rag_second_status, rag_label, "
            "rag_reason, rule, source_label, code_version, definition_version",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "list":
                self._list(options)
            elif options["action"] == "rerate":
                self._rerate(options)
            elif options["action"] == "observations":
                self._observations(options)
            else:
                self._save(options)
        except Refused as refused:
            raise CommandError("\n".join(p.as_option() for p in refused.problems)) from None

    def _list(self, options: dict[str, Any]) -> None:
        measures = Measure.objects.select_related("rag_rule").order_by(
            "source_kind", "display_order", "label"
        )
        if options.get("source"):
            source = source_named(options["source"])
            measures = measures.filter(source_kind=source.kind)
        rows = [measure_json(m) for m in measures]
        if options.get("source") and source.name in {"met-recorded-crime", "met-crime-dashboard"}:
            rows = [r for r in rows if r["source"] in {source.name, "mps"}]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            rule = row["rule"]
            rule_text = "no rule"
            if rule:
                rule_text = f"{rule['ref']} {rule['kind']}"
                if rule["kind"] in {"lower-is-better", "higher-is-better"}:
                    rule_text += (
                        f" (green {rule['green_max_pct']:g}%, amber {rule['amber_max_pct']:g}%)"
                    )
            retired = f" RETIRED {row['retired']}" if row["retired"] else ""
            self.stdout.write(
                f"{row['source']}/{row['slug']}: {row['label']} [{row['unit']}, "
                f"{row['direction']}, {rule_text}]{retired}\n    {describe(row['definition'])}"
            )

    def _rerate(self, options: dict[str, Any]) -> None:
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"--user {options['user']!r}: there is no user called that")
        measure = find_measure(options["source"], options["slug"])
        result = rerate(measure, actor=actor)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(rerating_sentence(result))

    def _observations(self, options: dict[str, Any]) -> None:
        measure = find_measure(options["source"], options["slug"])
        rows = measure.observations.select_related("area", "source", "measure").order_by(
            "-period_end", "-period_start", "area__code"
        )
        if options.get("area"):
            rows = rows.filter(area__code=options["area"])
        found = [observation_json(o) for o in rows]
        if options["json"]:
            self.stdout.write(json.dumps(found, indent=2, ensure_ascii=False))
            return
        if not found:
            self.stdout.write(f"No figures stored for {measure_ref(measure)}")
        for row in found:
            value = "not available" if row["value"] is None else f"{row['value']:g}"
            rule = f" by {row['rule']}" if row["rule"] else ""
            self.stdout.write(
                f"{row['area_code']} {row['area_name']} {row['period_start']} to "
                f"{row['period_end']}: {value} — {row['rag_label']}{rule}"
            )

    def _save(self, options: dict[str, Any]) -> None:
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"--user {options['user']!r}: there is no user called that")
        change = MeasureChange(
            slug=options.get("slug") if options["action"] == "add" else None,
            label=options.get("label"),
            description=options.get("description"),
            unit=options.get("unit"),
            direction=options.get("direction"),
            include=options.get("include"),
            exclude=options.get("exclude"),
            plus=options.get("plus"),
            minus=options.get("minus"),
            rule=options.get("rule"),
            green=options.get("green"),
            amber=options.get("amber"),
            retire=bool(options.get("retire")),
            unretire=bool(options.get("unretire")),
        )
        measure = None
        if options["action"] == "edit":
            measure = find_measure(options["source"], options["slug"])
        saved = save_measure(
            options["source"],
            change,
            measure=measure,
            actor=actor,
            actor_label="" if actor else "saferboard measure (command line)",
        )
        if options["json"]:
            self.stdout.write(json.dumps(measure_json(saved), indent=2, ensure_ascii=False))
            return
        verb = "Added" if options["action"] == "add" else "Saved"
        row = measure_json(saved)
        rule = row["rule"]["ref"] if row["rule"] else "no rule"
        self.stdout.write(f"{verb} {row['source']}/{saved.slug}: {saved.label} ({rule})")


def measure_ref(measure: Measure) -> str:
    return f"{measure.source_kind}/{measure.slug}"


def observation_json(obs: Observation) -> dict[str, Any]:
    """One stored observation and the rating stored with it, as ``measure observations
    --json`` prints it (dates as ISO strings; ``rag`` and ``rule`` null when not rated)."""
    rating = obs.rag
    return {
        "measure": measure_ref(obs.measure),
        "area_code": obs.area.code,
        "area_name": obs.area.name,
        "period_start": obs.period_start.isoformat(),
        "period_end": obs.period_end.isoformat(),
        "value": obs.value,
        "numerator": obs.numerator,
        "denominator": obs.denominator,
        "rank": obs.rank,
        "peer_group_size": obs.peer_group_size,
        "provisional": obs.provisional,
        "data_as_at": obs.data_as_at.isoformat() if obs.data_as_at else None,
        "rag": rating.status if rating else None,
        "rag_second_status": rating.second_status if rating else None,
        "rag_label": rating.label if rating else NOT_RATED_LABEL,
        "rag_reason": obs.rag_reason,
        "rule": obs.rag_rule or None,
        "source_label": obs.source.label if obs.source else None,
        "code_version": obs.code_version,
        "definition_version": obs.definition_version,
    }


__all__ = ["SOURCE_NAMES", "Command", "observation_json"]
