"""The places a partnership is set up for: local authorities from the shipped ONS
lookups, and the police forces that are known to cover them.

Forces are stored as ``Area`` rows of kind ``force`` whose code is the police.uk force
identifier (``metropolitan``), the name the crime data itself uses for a force.
"""

from __future__ import annotations

import difflib
import functools
import re

from saferboard.core.models import Area, AreaKind
from saferboard.crime.categories import FORCES, LONDON_BOROUGHS
from saferboard.crime.geography import ensure_authorities, force_areas, shipped_lookups

ONS_CODE = re.compile(r"^[EW]0[6-9]\d{6}$", re.IGNORECASE)


class UnknownArea(ValueError):
    """A local authority that the shipped lookups do not hold, with the nearest names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        message = f"No local authority called {text!r} is in the shipped ONS lookups."
        if suggestions:
            message += " Did you mean: " + "; ".join(suggestions) + "?"
        super().__init__(message)


@functools.cache
def local_authorities() -> dict[str, str]:
    """``{ONS code: name}`` of every local authority in England and Wales the shipped
    lookups know (2024 boundaries), plus London's 33 by the Met's spelling."""
    _, lsoa21 = shipped_lookups()
    names = dict(
        zip(lsoa21.column("lad").to_pylist(), lsoa21.column("lad_name").to_pylist(), strict=True)
    )
    for name, code in LONDON_BOROUGHS.items():
        names.setdefault(code, name)
    return {str(code): str(name) for code, name in sorted(names.items()) if code and name}


def local_authority_choices() -> list[tuple[str, str]]:
    """``(code, "Name (code)")`` pairs sorted by name as people say it, for a select."""
    return sorted(
        ((code, f"{plain_name(name)} ({code})") for code, name in local_authorities().items()),
        key=lambda pair: pair[1].casefold(),
    )


def resolve_local_authority(text: str) -> tuple[str, str]:
    """The ``(code, name)`` of the local authority ``text`` names: an ONS code such as
    ``E09000006`` or a name, either in any case.

    Raises :class:`UnknownArea` with up to five nearest names when nothing matches.
    """
    wanted = " ".join(text.split())
    authorities = local_authorities()
    if ONS_CODE.match(wanted) and wanted.upper() in authorities:
        return wanted.upper(), authorities[wanted.upper()]
    by_name = {name.casefold(): code for code, name in authorities.items()}
    code = by_name.get(wanted.casefold())
    if code is not None:
        return code, authorities[code]
    # The lookups write some names "Bristol, City of": accept "City of Bristol" and,
    # where only one name starts so, "Bristol".
    heads: dict[str, list[str]] = {}
    for name, code in by_name.items():
        if "," in name:
            if plain_name(name) == wanted.casefold():
                return code, authorities[code]
            heads.setdefault(name.partition(",")[0].strip(), []).append(code)
    if len(heads.get(wanted.casefold(), [])) == 1:
        code = heads[wanted.casefold()][0]
        return code, authorities[code]
    raise UnknownArea(text, nearest_names(wanted, list(authorities.values())))


def nearest_names(text: str, names: list[str], limit: int = 5) -> list[str]:
    """Up to ``limit`` of ``names`` closest to ``text``: those containing it first, then
    by similarity of the whole name, its part before a comma or its opening letters
    (so "Kingston" finds "Kingston upon Thames" and "Bristl" finds "Bristol, City of")."""
    wanted = text.casefold().strip()

    def score(name: str) -> float:
        folded = name.casefold()
        if wanted and wanted in folded:
            return 2.0
        variants = {folded, folded.partition(",")[0], folded[: len(wanted)]}
        return max(difflib.SequenceMatcher(None, wanted, v).ratio() for v in variants)

    scored = sorted(((score(n), n) for n in names), key=lambda pair: (-pair[0], pair[1]))
    return [name for value, name in scored[:limit] if value >= 0.7]


def plain_name(name: str) -> str:
    """An ONS name as people say it: "Bristol, City of" as "City of Bristol"."""
    head, comma, tail = name.partition(",")
    return f"{tail.strip()} {head.strip()}" if comma else name


def local_authority_area(code: str) -> Area:
    """The ``Area`` row of a shipped local authority, created if missing."""
    ensure_authorities([code])
    return Area.objects.get(code=code)


@functools.cache
def force_names() -> dict[str, str]:
    """``{police.uk force id: name}``; where a force's name changed, the latest one."""
    names: dict[str, str] = {}
    for name, force_id in FORCES.items():
        names[force_id] = name  # FORCES lists a renamed force's current name last
    return names


def forces_covering(code: str) -> list[str]:
    """The police.uk ids of the forces the shipped table says police a local authority;
    empty where the table does not say (it covers London only), never a guess."""
    force = force_areas().get(code)
    return [force] if force else []


def force_area(force_id: str) -> Area:
    """The ``Area`` of kind force for a police.uk force id, created if missing."""
    area, _ = Area.objects.get_or_create(
        code=force_id, defaults={"name": force_names()[force_id], "kind": AreaKind.FORCE}
    )
    return area


def ensure_force_areas() -> list[Area]:
    """Every police force as an ``Area`` (so a page can offer them all), sorted by name."""
    have = set(Area.objects.filter(kind=AreaKind.FORCE).values_list("code", flat=True))
    missing = [
        Area(code=force_id, name=name, kind=AreaKind.FORCE)
        for force_id, name in force_names().items()
        if force_id not in have
    ]
    if missing:
        Area.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Area.objects.filter(kind=AreaKind.FORCE).order_by("name"))
