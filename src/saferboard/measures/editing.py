"""Adding and changing measures: the one service the command line and the pages share.

Every change is checked in full first (each problem names the option and value), then
saved in one transaction and audited as before and after. A change of a rule's kind or
thresholds adds a rule version (versions are immutable, so ratings already given keep
the version they name); a measure with thresholds of its own gets a rule of its own
rather than changing the standard rule other measures share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferboard.core import audit
from saferboard.core.models import User
from saferboard.crime.measures import MET_DASHBOARD, MET_RECORDED, POLICE_UK, known_categories
from saferboard.measures.definitions import (
    MADE_FROM,
    SOURCE_NAMES,
    Parts,
    Problem,
    Refused,
    Source,
    build_definition,
    find_source,
    nearest,
    parts_of,
)
from saferboard.measures.models import (
    Direction,
    Measure,
    RagRule,
    RagRuleVersion,
    RuleKind,
    SourceKind,
    Unit,
)
from saferboard.measures.standard import ensure_standard_rules

DIRECTIONS = {
    "lower": Direction.LOWER_IS_BETTER,
    "higher": Direction.HIGHER_IS_BETTER,
    "monitor": Direction.NEUTRAL,
    "neutral": Direction.NEUTRAL,
}
DIRECTION_NAMES = {
    Direction.LOWER_IS_BETTER.value: "lower",
    Direction.HIGHER_IS_BETTER.value: "higher",
    Direction.NEUTRAL.value: "monitor",
}
NO_RULE = "none"
JUDGEMENT = "judgement"
RULES: dict[str, str | None] = {
    "lower-is-better": RuleKind.LOWER_IS_BETTER.value,
    "higher-is-better": RuleKind.HIGHER_IS_BETTER.value,
    JUDGEMENT: RuleKind.MANUAL.value,
    "manual": RuleKind.MANUAL.value,
    NO_RULE: None,
}
RULE_NAMES = {
    RuleKind.LOWER_IS_BETTER.value: "lower-is-better",
    RuleKind.HIGHER_IS_BETTER.value: "higher-is-better",
    RuleKind.MANUAL.value: JUDGEMENT,
}
STANDARD_RULE = {
    RuleKind.LOWER_IS_BETTER.value: "lower-is-better",
    RuleKind.HIGHER_IS_BETTER.value: "higher-is-better",
    RuleKind.MANUAL.value: "manual",
}
BAND_KINDS = {RuleKind.LOWER_IS_BETTER.value, RuleKind.HIGHER_IS_BETTER.value}
DEFAULT_GREEN = Decimal(0)
DEFAULT_AMBER = Decimal(10)
MAX_PCT = Decimal("9999.999")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CRIME_VOCABULARIES = {POLICE_UK, MET_RECORDED, MET_DASHBOARD, "mps"}


@dataclass
class MeasureChange:
    """What to set; ``None`` leaves a value as it is (on an edit) or takes the default."""

    slug: str | None = None
    label: str | None = None
    description: str | None = None
    synonyms: str | None = None  # other names in narrative text, one a line
    unit: str | None = None
    direction: str | None = None
    include: Sequence[str] | None = None
    exclude: Sequence[str] | None = None
    plus: Sequence[str] | None = None
    minus: Sequence[str] | None = None
    rule: str | None = None
    green: str | Decimal | None = None
    amber: str | Decimal | None = None
    retire: bool = False
    unretire: bool = False
    retired_on: date | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def touches_definition(self) -> bool:
        return any(v is not None for v in (self.include, self.exclude, self.plus, self.minus))


def source_named(name: str) -> Source:
    """The source called ``name``; refused naming the nearest when there is none."""
    source = find_source(name)
    if source is None:
        near = nearest(name, SOURCE_NAMES)
        raise Refused(
            [Problem("source", name, f"there is no source called that; the nearest is {near!r}")]
        )
    return source


def known_for(source: Source) -> list[str]:
    """The category keys a definition of ``source`` may name."""
    if source.vocabulary == POLICE_UK:
        return known_categories(POLICE_UK)
    # The Met's recorded crime and crime dashboard share a kind (and areas and months):
    # a measure of one may subtract the other's rows.
    return [*known_categories(MET_RECORDED), *known_categories(MET_DASHBOARD)]


def find_measure(source_name: str, slug: str) -> Measure:
    """The measure of that source and slug; refused naming the nearest when missing."""
    source = source_named(source_name)
    measure = Measure.objects.filter(source_kind=source.kind, slug=slug).first()
    if measure is None:
        slugs = Measure.objects.filter(source_kind=source.kind).values_list("slug", flat=True)
        near = nearest(slug, slugs)
        hint = f"; the nearest is {near!r}" if near else ""
        raise Refused(
            [Problem("slug", slug, f"there is no {source.name} measure called that{hint}")]
        )
    return measure


# Reading what is asked --------------------------------------------------------------------
def _direction(value: str, problems: list[Problem]) -> str | None:
    found = DIRECTIONS.get(value.strip().casefold()) or (
        value if value in Direction.values else None
    )
    if found is None:
        problems.append(Problem("direction", value, "choose one of lower, higher or monitor"))
    return found


def _unit(value: str, problems: list[Problem]) -> str | None:
    folded = value.strip().casefold().replace("-", "_")
    if folded in Unit.values:
        return folded
    near = nearest(value, Unit.values)
    problems.append(
        Problem("unit", value, f"there is no unit called that; the nearest is {near!r}")
    )
    return None


def _pct(name: str, value: str | Decimal | None, problems: list[Problem]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        pct = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        problems.append(Problem(name, str(value), "give a percentage, such as 5 or 2.5"))
        return None
    if not pct.is_finite() or pct < 0 or pct > MAX_PCT:
        problems.append(Problem(name, str(value), "give a percentage from 0 to 9999.999"))
        return None
    return pct.quantize(Decimal("0.001"))


def pct_text(value: Decimal) -> str:
    """A threshold as people write it: 10, 2.5 (never 1E+1 or 10.000)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class RuleWanted:
    """The rule a measure should have: a kind (None for no rule) and its thresholds."""

    kind: str | None
    green: Decimal = DEFAULT_GREEN
    amber: Decimal = DEFAULT_AMBER


def _rule_wanted(
    measure: Measure, change: MeasureChange, direction: str, problems: list[Problem]
) -> RuleWanted:
    current = measure.rag_rule.current_version() if measure.pk and measure.rag_rule else None
    had_rule = measure.pk is not None and measure.rag_rule_id is not None
    green = _pct("green", change.green, problems)
    amber = _pct("amber", change.amber, problems)
    if change.rule is not None:
        name = change.rule.strip().casefold()
        if name not in RULES:
            near = nearest(change.rule, [n for n in RULES if n != "manual"])
            problems.append(
                Problem(
                    "rule", change.rule, f"there is no rule called that; the nearest is {near!r}"
                )
            )
            return RuleWanted(None)
        kind = RULES[name]
    elif measure.pk is None or (
        direction != measure.direction and current and current.kind in BAND_KINDS
    ):
        # A new measure, or a band rule whose direction of good changed: follow it.
        kind = {
            Direction.LOWER_IS_BETTER: RuleKind.LOWER_IS_BETTER.value,
            Direction.HIGHER_IS_BETTER: RuleKind.HIGHER_IS_BETTER.value,
        }.get(Direction(direction))
        if kind is None and measure.pk is not None:
            kind = RuleKind.MANUAL.value
    else:
        kind = current.kind if current else None
        if not had_rule and (green is not None or amber is not None):
            kind = {
                Direction.LOWER_IS_BETTER: RuleKind.LOWER_IS_BETTER.value,
                Direction.HIGHER_IS_BETTER: RuleKind.HIGHER_IS_BETTER.value,
            }.get(Direction(direction))
    if kind not in BAND_KINDS:
        for name, value in (("green", green), ("amber", amber)):
            if value is not None:
                problems.append(
                    Problem(
                        name,
                        pct_text(value),
                        "thresholds apply to the lower-is-better and higher-is-better rules only",
                    )
                )
        return RuleWanted(kind, Decimal(0), Decimal(0))
    wanted_direction = (
        Direction.LOWER_IS_BETTER.value
        if kind == RuleKind.LOWER_IS_BETTER.value
        else Direction.HIGHER_IS_BETTER.value
    )
    if direction != wanted_direction:
        problems.append(
            Problem(
                "rule",
                RULE_NAMES[kind],
                f"does not fit the direction {DIRECTION_NAMES[direction]!r}: "
                + (
                    "a monitor-only measure has no direction of good; use judgement or none"
                    if direction == Direction.NEUTRAL
                    else f"use {RULE_NAMES[BAND_KINDS_BY_DIRECTION[direction]]}"
                ),
            )
        )
    keep = current if current and current.kind in BAND_KINDS else None
    green = green if green is not None else (keep.green_max_pct if keep else DEFAULT_GREEN)
    amber = amber if amber is not None else (keep.amber_max_pct if keep else DEFAULT_AMBER)
    if amber < green:
        problems.append(
            Problem(
                "amber",
                pct_text(amber),
                f"must be at least the Green threshold ({pct_text(green)}%)",
            )
        )
    return RuleWanted(kind, Decimal(green), Decimal(amber))


BAND_KINDS_BY_DIRECTION = {
    Direction.LOWER_IS_BETTER.value: RuleKind.LOWER_IS_BETTER.value,
    Direction.HIGHER_IS_BETTER.value: RuleKind.HIGHER_IS_BETTER.value,
}


def _definition(
    measure: Measure, source: Source, change: MeasureChange, problems: list[Problem]
) -> dict[str, Any]:
    if not change.touches_definition:
        return dict(measure.definition or {})
    if "ratio" in (measure.definition or {}):
        # A ratio's numerator and denominator are not categories to include or exclude.
        given = [n for n in ("include", "exclude", "plus", "minus") if getattr(change, n)]
        for name in given:
            problems.append(
                Problem(
                    name,
                    " ".join(getattr(change, name)),
                    "this measure is a ratio of two counts; its numerator and denominator "
                    "are not changed here",
                )
            )
        return dict(measure.definition or {})
    if source.vocabulary not in CRIME_VOCABULARIES:
        for name in ("include", "exclude", "plus", "minus"):
            values = getattr(change, name)
            if values:
                problems.append(
                    Problem(
                        name,
                        " ".join(values),
                        f"{source.label} measures are not defined by categories; this "
                        "applies to police.uk and the Met's sources only",
                    )
                )
        return dict(measure.definition or {})
    # What is not given is kept from what the measure was made of.
    had = parts_of(measure.definition or {})
    parts = Parts(
        include=tuple(change.include if change.include is not None else had.include),
        exclude=tuple(change.exclude if change.exclude is not None else had.exclude),
        plus=tuple(change.plus if change.plus is not None else had.plus),
        minus=tuple(change.minus if change.minus is not None else had.minus),
    )
    others = _operands(measure, source, parts, problems)
    if problems:
        return dict(measure.definition or {})
    try:
        built = build_definition(source.vocabulary or "", parts, known_for(source), others)
    except Refused as refused:
        problems.extend(refused.problems)
        return dict(measure.definition or {})
    had_definition = dict(measure.definition or {})
    if (
        MADE_FROM not in had_definition
        and {k: v for k, v in built.items() if k != MADE_FROM} == had_definition
    ):
        return had_definition  # a shipped definition read back unchanged: left as it was
    return built


def _operands(
    measure: Measure, source: Source, parts: Parts, problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    """The definitions of the measures named in plus and minus, which must be of the same
    source kind: same areas and months (police.uk with police.uk, the Met with the Met)."""
    named = {*parts.plus, *parts.minus}
    same = {m.slug: m for m in Measure.objects.filter(source_kind=source.kind, slug__in=named)}
    for name in ("plus", "minus"):
        for slug in getattr(parts, name):
            if slug == measure.slug and measure.pk is not None:
                problems.append(Problem(name, slug, "a measure cannot be made of itself"))
            elif slug not in same:
                elsewhere = (
                    Measure.objects.filter(slug=slug).exclude(source_kind=source.kind).first()
                )
                if elsewhere is not None:
                    problems.append(
                        Problem(
                            name,
                            slug,
                            f"is a {elsewhere.get_source_kind_display()} measure: combine only "
                            f"measures of the same source ({source.kind}), whose areas and "
                            "months match",
                        )
                    )
                else:
                    slugs = Measure.objects.filter(source_kind=source.kind).values_list(
                        "slug", flat=True
                    )
                    near = nearest(slug, slugs)
                    hint = f"; the nearest is {near!r}" if near else ""
                    problems.append(
                        Problem(name, slug, f"there is no {source.kind} measure called that{hint}")
                    )
    return {slug: dict(m.definition or {}) for slug, m in same.items()}


# Saving -------------------------------------------------------------------------------------
def state(measure: Measure) -> dict[str, Any]:
    """The audited values of a measure, its rule version included."""
    values = audit.snapshot(
        measure,
        [
            "slug",
            "source_kind",
            "label",
            "description",
            "synonyms",
            "unit",
            "direction",
            "rag_rule",
            "retired_on",
        ],
    )
    values["definition"] = json.dumps(measure.definition or {}, sort_keys=True)
    version = measure.rag_rule.current_version() if measure.rag_rule else None
    values["rule"] = (
        f"{version.ref} ({version.kind}; green {pct_text(version.green_max_pct)}, "
        f"amber {pct_text(version.amber_max_pct)})"
        if version
        else None
    )
    return values


def _own_rule_slug(measure: Measure) -> str:
    """``<slug>-rule``, or with the source in front when another measure has that one."""
    slug = f"{measure.slug}-rule"[:80]
    taken = RagRule.objects.filter(slug=slug).exclude(measures__isnull=True)
    if measure.pk is not None:
        taken = taken.exclude(measures=measure)
    if taken.exists():
        return f"{measure.source_kind}-{measure.slug}-rule"[:80]
    return slug


def _same(version: RagRuleVersion | None, wanted: RuleWanted) -> bool:
    return (
        version is not None
        and version.kind == wanted.kind
        and version.green_max_pct == wanted.green
        and version.amber_max_pct == wanted.amber
    )


def _apply_rule(measure: Measure, wanted: RuleWanted, actor: User | None, note: str) -> None:
    """Point the measure at the rule it should have, adding a version only on a change."""
    if wanted.kind is None:
        measure.rag_rule = None
        return
    own = _own_rule_slug(measure)
    current = measure.rag_rule if measure.rag_rule_id else None
    if current is not None and current.slug == own:
        latest = current.current_version()
        if not _same(latest, wanted):
            _add_version(current, wanted, actor, note)
        return
    standard = ensure_standard_rules()[STANDARD_RULE[wanted.kind]]
    if _same(standard.current_version(), wanted):
        measure.rag_rule = standard
        return
    rule, _ = RagRule.objects.get_or_create(
        slug=own,
        defaults={
            "name": f"{measure.label}: its own thresholds",
            "description": f"The RAG rule of the measure {measure.label} alone.",
        },
    )
    if not _same(rule.current_version(), wanted):
        _add_version(rule, wanted, actor, note)
    measure.rag_rule = rule


def _add_version(rule: RagRule, wanted: RuleWanted, actor: User | None, note: str) -> None:
    latest = rule.current_version()
    RagRuleVersion.objects.create(
        rule=rule,
        version=(latest.version + 1) if latest else 1,
        kind=wanted.kind or RuleKind.MANUAL.value,
        green_max_pct=wanted.green,
        amber_max_pct=wanted.amber,
        created_by=actor,
        note=note,
    )


def _new_slug(change: MeasureChange, source: Source, problems: list[Problem]) -> str:
    """A new measure's identifier as given, with what is wrong with it added to
    ``problems`` (missing, badly formed, or taken within the source)."""
    slug = (change.slug or "").strip()
    if not slug:
        problems.append(Problem("slug", "", "give the measure an identifier, such as knife-crime"))
    elif not SLUG.fullmatch(slug) or len(slug) > 80:
        problems.append(
            Problem("slug", slug, "use lower-case letters, digits and single hyphens (80 at most)")
        )
    elif Measure.objects.filter(source_kind=source.kind, slug=slug).exists():
        problems.append(Problem("slug", slug, f"a {source.name} measure already has it"))
    return slug


def save_measure(
    source_name: str,
    change: MeasureChange,
    *,
    measure: Measure | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    today: date | None = None,
) -> Measure:
    """Add a measure (``measure`` None) or change one; returns it saved and audited.

    Raises :class:`Refused` with every problem found; nothing is saved then.
    """
    from django.utils import timezone

    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    source = source_named(source_name)
    creating = measure is None
    if measure is None:
        measure = Measure(source_kind=source.kind)
    elif measure.source_kind != source.kind:
        raise Refused(
            [Problem("source", source_name, f"the measure is a {measure.source_kind} measure")]
        )
    before = None if creating else state(measure)
    problems = list(change.problems)
    if creating:
        measure.slug = _new_slug(change, source, problems)
    if change.label is not None or creating:
        label = (change.label or "").strip()
        if not label:
            problems.append(Problem("label", "", "give the measure a name"))
        elif len(label) > 200:
            problems.append(Problem("label", label[:40], "is longer than 200 characters"))
        measure.label = label
    if change.description is not None:
        measure.description = change.description.strip()
    if change.synonyms is not None:
        measure.synonyms = "\n".join(
            line.strip() for line in change.synonyms.splitlines() if line.strip()
        )
    if change.unit is not None:
        unit = _unit(change.unit, problems)
        if unit:
            measure.unit = unit
    direction = measure.direction
    if change.direction is not None:
        direction = _direction(change.direction, problems) or direction
    definition = _definition(measure, source, change, problems)
    if creating and source.vocabulary in CRIME_VOCABULARIES and not change.touches_definition:
        problems.append(
            Problem("include", "", f"say what a {source.name} measure counts with --include")
        )
    wanted = _rule_wanted(measure, change, direction, problems)
    if change.retire and change.unretire:
        problems.append(Problem("retire", "", "give --retire or --unretire, not both"))
    if problems:
        raise Refused(problems)
    measure.direction = direction
    measure.definition = definition
    if change.retire:
        measure.retired_on = change.retired_on or today or timezone.localdate()
    elif change.unretire:
        measure.retired_on = None
    with transaction.atomic():
        if creating and measure.label:
            last = (
                Measure.objects.filter(source_kind=source.kind).order_by("-display_order").first()
            )
            measure.display_order = (last.display_order + 1) if last else 1
        _apply_rule(measure, wanted, actor, note=f"Set for the measure {measure.slug}")
        measure.save()
        audit.record_change(
            measure,
            before=before,
            after=state(measure),
            actor=actor,
            request=request,
            actor_label=actor_label,
            change="added" if creating else "changed",
        )
    return measure


def measure_json(measure: Measure) -> dict[str, Any]:
    """A measure as `measure list --json` prints it (a stable contract)."""
    from saferboard.measures.definitions import source_of

    version = measure.rag_rule.current_version() if measure.rag_rule else None
    return {
        "slug": measure.slug,
        "label": measure.label,
        "source": source_of(measure.source_kind, measure.definition or {}).name,
        "source_kind": measure.source_kind,
        "unit": measure.unit,
        "direction": DIRECTION_NAMES.get(measure.direction, measure.direction),
        "rule": (
            {
                "ref": version.ref,
                "slug": measure.rag_rule.slug,  # type: ignore[union-attr]
                "version": version.version,
                "kind": RULE_NAMES.get(version.kind, version.kind),
                "green_max_pct": float(version.green_max_pct),
                "amber_max_pct": float(version.amber_max_pct),
            }
            if version
            else None
        ),
        "definition": measure.definition or {},
        "description": measure.description,
        "retired": measure.retired_on.isoformat() if measure.retired_on else None,
    }


__all__ = [
    "MeasureChange",
    "Refused",
    "SourceKind",
    "find_measure",
    "measure_json",
    "save_measure",
    "source_named",
    "state",
]
