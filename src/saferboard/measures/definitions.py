"""Measure definitions from what a person names: categories in and out, measures plus and
minus. Pure functions: the known categories and the other measures' definitions come in
as arguments, so the same checks serve the command line, the pages and the tests.

A crime measure's ``definition`` is the JSON :func:`saferboard.crime.measures.categories_for`
reads. What the person asked for is kept beside it under ``made_from`` (the engine reads
only the keys it knows), so an edit starts from what was asked, not from its expansion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saferboard.crime.categories import DASHBOARD_CATEGORY_PREFIX, is_dashboard_category
from saferboard.crime.measures import MET_DASHBOARD, MET_RECORDED, POLICE_UK, categories_for
from saferboard.measures.models import SourceKind

ALL = "all"
MADE_FROM = "made_from"
DEFAULT_DASHBOARD_MEASURE = "Offences"
# The vocabulary of a measure stored under the Met's source kind: recorded crime names
# and crime dashboard rows may be mixed (non-domestic violence with injury is both).
MET_ANY = "mps"


@dataclass(frozen=True)
class Source:
    """A source a person can name, the kind it is stored under and the categories its
    definitions use (``None``: not defined by categories)."""

    name: str
    kind: str
    vocabulary: str | None
    label: str


SOURCES: tuple[Source, ...] = (
    Source("police.uk", SourceKind.POLICE_UK.value, POLICE_UK, "police.uk"),
    Source("met-recorded-crime", SourceKind.MPS.value, MET_RECORDED, "Met recorded crime"),
    Source("met-crime-dashboard", SourceKind.MPS.value, MET_DASHBOARD, "Met crime dashboard"),
    Source("youth-justice", SourceKind.YOUTH_JUSTICE.value, None, "Youth justice"),
    Source("data-return", SourceKind.PARTNER_RETURN.value, None, "Data return"),
    Source("manual", SourceKind.MANUAL.value, None, "Manual (entered by hand)"),
)
# The stored kinds are accepted too, so `measure list` output can be fed back.
ALIASES: dict[str, Source] = {
    "police-uk": SOURCES[0],
    "mps": Source("mps", SourceKind.MPS.value, MET_ANY, "Met (recorded crime or dashboard)"),
    "partner-return": SOURCES[4],
    "published": Source("published", SourceKind.PUBLISHED.value, None, "Published statistics"),
    "composite": Source("composite", SourceKind.COMPOSITE.value, None, "Computed"),
}
SOURCE_NAMES = tuple(s.name for s in SOURCES)


@dataclass(frozen=True)
class Problem:
    """Why a value was refused: the option (form field) and value it is about."""

    field: str
    value: str
    message: str

    def as_option(self) -> str:
        """The problem as the command line states it: ``--include 'Burglery': …``."""
        option = "--" + self.field.replace("_", "-")
        return (
            f"{option} {self.value!r}: {self.message}"
            if self.value
            else f"{option}: {self.message}"
        )


class Refused(ValueError):
    """A measure or definition that cannot be saved, with every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.as_option() for p in self.problems))


def find_source(name: str) -> Source | None:
    """The source called ``name`` (a name of :data:`SOURCES` or a stored kind)."""
    folded = name.strip().casefold()
    for source in SOURCES:
        if source.name == folded:
            return source
    return ALIASES.get(folded)


def source_of(kind: str, definition: Mapping[str, Any]) -> Source:
    """The source a stored measure reads as: the Met's kind splits by its definition."""
    if kind == SourceKind.MPS.value:
        ratio = definition.get("ratio")
        if isinstance(ratio, Mapping):
            # A ratio reads as the source of its parts (both the dashboard's, or mixed).
            sources = {source_of(kind, part or {}).name for part in ratio.values()}
            return SOURCES[2] if sources == {SOURCES[2].name} else ALIASES["mps"]
        keys = set(definition) - {MADE_FROM}
        if keys and keys <= {"dashboard"}:
            return SOURCES[2]
        if "dashboard" in keys or "dashboard" in (definition.get("minus") or {}):
            return ALIASES["mps"]
        return SOURCES[1]
    for source in SOURCES:
        if source.kind == kind:
            return source
    return next(s for s in ALIASES.values() if s.kind == kind)


def nearest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``value`` (ignoring case), or None if there are none."""
    by_fold: dict[str, str] = {}
    for c in candidates:
        by_fold.setdefault(_fold(c), c)
    found = difflib.get_close_matches(_fold(value), list(by_fold), n=1, cutoff=0.0)
    return by_fold[found[0]] if found else None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _suggest(field: str, value: str, what: str, candidates: Iterable[str]) -> Problem:
    near = nearest(value, candidates)
    hint = f"; the nearest is {near!r}" if near else ""
    return Problem(field, value, f"there is no {what} called that{hint}")


# Reading one named category ---------------------------------------------------------------
def _police_uk_names(known: Sequence[str]) -> dict[str, str]:
    from saferboard.crime.categories import CATEGORY_ERAS

    names = {_fold(k): k for k in known}
    for era in CATEGORY_ERAS:
        if era.key in known:
            names.setdefault(_fold(era.label), era.key)
    return names


def _recorded_names(known: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(folded major → major, folded minor → minor) of ``MAJOR|MINOR`` keys."""
    majors: dict[str, str] = {}
    minors: dict[str, str] = {}
    for key in known:
        if is_dashboard_category(key):
            continue
        major, _, minor = key.partition("|")
        majors.setdefault(_fold(major), major)
        if minor:
            minors.setdefault(_fold(minor), minor)
    return majors, minors


def _dashboard_rows(known: Sequence[str]) -> dict[tuple[str, ...], list[str]]:
    rows: dict[tuple[str, ...], list[str]] = {}
    for key in known:
        if is_dashboard_category(key):
            parts = key.split("|")[1:]
            rows.setdefault(tuple(_fold(p) for p in parts), parts)
    return rows


def dashboard_text(row: Sequence[str]) -> str:
    """A crime dashboard row as a person writes it: ``type|subtype|measure``."""
    return "|".join(row)


# Building a definition -----------------------------------------------------------------------
@dataclass(frozen=True)
class Parts:
    """What a person asked a definition to be made of."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()

    def as_json(self) -> dict[str, list[str]]:
        return {
            "include": list(self.include),
            "exclude": list(self.exclude),
            "plus": list(self.plus),
            "minus": list(self.minus),
        }

    @property
    def empty(self) -> bool:
        return not (self.include or self.exclude or self.plus or self.minus)


def build_definition(
    vocabulary: str,
    parts: Parts,
    known: Sequence[str],
    others: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The engine definition for ``parts`` over the ``known`` category keys.

    ``others`` maps the slug of each measure named in ``plus`` or ``minus`` to its
    definition (the caller has checked it is of a compatible source). Raises
    :class:`Refused` naming every option and value that cannot be used.
    """
    others = others or {}
    problems: list[Problem] = []
    base = _included(vocabulary, parts, known, problems)
    if parts.exclude:
        base = _excluded(vocabulary, parts, base, known, problems)
    definition = dict(base)
    minus_clause: dict[str, Any] = dict(definition.pop("minus", {}) or {})
    for slug in parts.plus:
        other = dict(others.get(slug) or {})
        other.pop(MADE_FROM, None)
        if "minus" in other:
            problems.append(Problem("plus", slug, "is itself a difference: add its parts instead"))
            continue
        overlap = set(categories_for(other, known)) & set(categories_for(definition, known))
        if overlap:
            problems.append(
                Problem(
                    "plus",
                    slug,
                    f"counts {_show(min(overlap))} already included, which would be "
                    "counted once, not twice",
                )
            )
            continue
        if "all_except" in other and "all_except" in definition:
            problems.append(Problem("plus", slug, "cannot add two 'all except' measures"))
            continue
        definition = _merge(definition, other)
    for slug in parts.minus:
        other = dict(others.get(slug) or {})
        other.pop(MADE_FROM, None)
        if "minus" in other:
            problems.append(
                Problem("minus", slug, "is itself a difference: subtract its parts instead")
            )
            continue
        minus_clause = _merge(minus_clause, other)
    if minus_clause:
        positive = set(categories_for(definition, known))
        taken = set(categories_for(minus_clause, known))
        if not positive:
            field, values = ("minus", parts.minus) if parts.minus else ("exclude", parts.exclude)
            problems.append(Problem(field, " ".join(values), "there is nothing to subtract from"))
        elif taken & positive:
            problems.append(
                Problem(
                    "minus",
                    " ".join(parts.minus),
                    f"overlaps what is included ({_show(min(taken & positive))}); "
                    "name what to leave out with --exclude instead",
                )
            )
        definition["minus"] = minus_clause
    if not problems and not categories_for(definition, known):
        problems.append(Problem("include", "", "the definition counts no category"))
    if problems:
        raise Refused(problems)
    if not parts.empty:
        definition[MADE_FROM] = parts.as_json()
    return definition


def _show(key: str) -> str:
    if key.startswith("-"):
        key = key[1:]
    if is_dashboard_category(key):
        return repr(dashboard_text(key.split("|")[1:]))
    return repr(key.partition("|")[2] or key)


def _merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Clause-by-clause union of two definitions (lists joined without repeats)."""
    out = {k: (list(v) if isinstance(v, list) else v) for k, v in a.items()}
    for key, value in b.items():
        if key == ALL:
            out[ALL] = bool(out.get(ALL)) or bool(value)
        elif isinstance(value, list):
            have = out.setdefault(key, [])
            for item in value:
                if item not in have:
                    have.append(item)
    return out


def _included(
    vocabulary: str, parts: Parts, known: Sequence[str], problems: list[Problem]
) -> dict[str, Any]:
    definition: dict[str, Any] = {}
    for value in parts.include:
        if _fold(value) == ALL and vocabulary in {POLICE_UK, MET_RECORDED, MET_ANY}:
            definition[ALL] = True
            continue
        clause = _one_category(vocabulary, "include", value, known, problems)
        if clause:
            definition = _merge(definition, clause)
    if not parts.include and parts.exclude and vocabulary == POLICE_UK:
        definition[ALL] = True  # police.uk: "everything except" needs no --include all
    return definition


def _one_category(
    vocabulary: str, field: str, value: str, known: Sequence[str], problems: list[Problem]
) -> dict[str, Any] | None:
    """The clause counting one named category, or None (a problem noted)."""
    text = value.strip()
    if vocabulary == POLICE_UK:
        names = _police_uk_names(known)
        key = names.get(_fold(text))
        if key is None:
            problems.append(_suggest(field, value, "police.uk category", names.values()))
            return None
        return {"categories": [key]}
    is_row = "|" in text
    # The Met's two extracts share a source kind: a row with "|" is the dashboard's,
    # a plain name recorded crime's (so a recorded measure can subtract a dashboard row).
    if vocabulary == MET_DASHBOARD or (vocabulary in {MET_ANY, MET_RECORDED} and is_row):
        rows = _dashboard_rows(known)
        parts = [p.strip() for p in text.split("|")]
        if len(parts) == 2:
            parts.append(DEFAULT_DASHBOARD_MEASURE)
        row = rows.get(tuple(_fold(p) for p in parts))
        if row is None:
            problems.append(
                _suggest(
                    field,
                    value,
                    "Met crime dashboard row (crime type|subtype|measure)",
                    [dashboard_text(r) for r in rows.values()],
                )
            )
            return None
        return {"dashboard": [row]}
    if vocabulary in {MET_RECORDED, MET_ANY}:
        majors, minors = _recorded_names(known)
        if _fold(text) in majors:
            return {"major": [majors[_fold(text)]]}
        if _fold(text) in minors:
            return {"minor": [minors[_fold(text)]]}
        problems.append(
            _suggest(
                field,
                value,
                "Met recorded crime major or minor category",
                [*majors.values(), *minors.values()],
            )
        )
        return None
    raise ValueError(f"Unknown category vocabulary {vocabulary!r}")


def _excluded(
    vocabulary: str,
    parts: Parts,
    base: dict[str, Any],
    known: Sequence[str],
    problems: list[Problem],
) -> dict[str, Any]:
    """``base`` without the excluded categories.

    police.uk: "all except" (its categories never overlap, so exclusion only makes sense
    from all). Met recorded crime: the included categories less the excluded minor ones,
    written back as major and minor names. A Met crime dashboard row is subtracted (the
    dashboard's rows are a separate dataset: non-domestic violence with injury is
    recorded violence with injury minus domestic abuse violence with injury).
    """
    if vocabulary == POLICE_UK:
        if set(base) - {ALL}:
            problems.append(
                Problem(
                    "exclude",
                    " ".join(parts.exclude),
                    "police.uk categories do not overlap: exclude from --include all only",
                )
            )
            return base
        excluded: list[str] = []
        for value in parts.exclude:
            clause = _one_category(vocabulary, "exclude", value, known, problems)
            if clause:
                excluded.extend(clause["categories"])
        return {"all_except": sorted(set(excluded))}
    recorded_out: dict[str, Any] = {}
    minus: dict[str, Any] = {}
    for value in parts.exclude:
        if vocabulary == MET_DASHBOARD:
            problems.append(
                Problem(
                    "exclude",
                    value,
                    "the Met crime dashboard's rows overlap; name the published row to count",
                )
            )
            continue
        clause = _one_category(vocabulary, "exclude", value, known, problems)
        if not clause:
            continue
        if "dashboard" in clause:
            minus = _merge(minus, clause)
        else:
            recorded_out = _merge(recorded_out, clause)
    definition = dict(base)
    if recorded_out:
        recorded_known = [k for k in known if not is_dashboard_category(k)]
        recorded_base = {k: v for k, v in base.items() if k in {ALL, "major", "minor"}}
        have = set(categories_for(recorded_base, recorded_known))
        drop = set(categories_for(recorded_out, recorded_known))
        outside = drop - have
        if outside:
            problems.append(
                Problem(
                    "exclude",
                    " ".join(parts.exclude),
                    f"{_show(min(outside))} is not counted by what is included",
                )
            )
        else:
            for key in (ALL, "major", "minor"):
                definition.pop(key, None)
            definition = _merge(definition, _compress(have - drop, recorded_known))
    if minus:
        definition["minus"] = minus
    return definition


def _compress(keys: set[str], known: Sequence[str]) -> dict[str, Any]:
    """``MAJOR|MINOR`` keys as major names where every minor of the major is kept."""
    by_major: dict[str, set[str]] = {}
    for key in known:
        by_major.setdefault(key.partition("|")[0], set()).add(key)
    majors = sorted(m for m, all_keys in by_major.items() if all_keys <= keys)
    minors = sorted({k.partition("|")[2] for k in keys if k.partition("|")[0] not in majors})
    out: dict[str, Any] = {}
    if majors:
        out["major"] = majors
    if minors:
        out["minor"] = minors
    return out


# Reading a definition back -------------------------------------------------------------------
def parts_of(definition: Mapping[str, Any]) -> Parts:
    """What a definition is made of, as a person would name it: the ``made_from`` it was
    built from, or for a shipped definition, its clauses read back."""
    made = definition.get(MADE_FROM)
    if isinstance(made, Mapping):
        return Parts(
            include=tuple(made.get("include", ())),
            exclude=tuple(made.get("exclude", ())),
            plus=tuple(made.get("plus", ())),
            minus=tuple(made.get("minus", ())),
        )
    include: list[str] = []
    exclude: list[str] = []
    if definition.get(ALL):
        include.append(ALL)
    include.extend(definition.get("categories", []))
    if "all_except" in definition:
        exclude.extend(definition["all_except"])
    include.extend(definition.get("major", []))
    include.extend(definition.get("minor", []))
    include.extend(dashboard_text(r) for r in definition.get("dashboard", []))
    minus = definition.get("minus") or {}
    exclude.extend(dashboard_text(r) for r in minus.get("dashboard", []))
    exclude.extend(minus.get("minor", []))
    exclude.extend(minus.get("major", []))
    return Parts(include=tuple(include), exclude=tuple(exclude))


def describe(definition: Mapping[str, Any]) -> str:
    """A definition in plain words, for lists and pages."""
    ratio = definition.get("ratio")
    if isinstance(ratio, Mapping):
        per = definition.get("per", 100)
        scale = "a percentage" if per == 100 else f"a rate per {per:,}"
        return (
            f"{describe(ratio.get('numerator') or {})}, as {scale} of: "
            f"{describe(ratio.get('denominator') or {})}"
        )
    parts = parts_of(definition)
    if parts.empty:
        return "Not defined by categories"
    words = []
    if parts.include:
        words.append("Counts " + "; ".join(parts.include))
    elif parts.exclude and not parts.plus:
        words.append("Counts all")
    if parts.plus:
        words.append("plus " + ", ".join(parts.plus))
    if parts.exclude:
        words.append("leaving out " + "; ".join(parts.exclude))
    if parts.minus:
        words.append("minus " + ", ".join(parts.minus))
    return ", ".join(words)


__all__ = [
    "ALIASES",
    "DASHBOARD_CATEGORY_PREFIX",
    "SOURCES",
    "Parts",
    "Problem",
    "Refused",
    "Source",
    "build_definition",
    "describe",
    "find_source",
    "nearest",
    "parts_of",
    "source_of",
]
