"""Which crime data a figure uses: chosen, never guessed from what happens to be imported.

A partnership names its preferred crime source (``Partnership.crime_source``); left
blank, the choice follows the rule the boards use: the Met's recorded crime for a
London borough policed by the Met, police.uk street-level data anywhere else (the City
of London has its own force and no Met figures). The preferred source is the default of
the web dashboard, ``crime dashboard``, ``crime rank``, the stored observations, the
board pack and the API; ``--source`` (or the page's picker) overrides it, and a view
that uses another source says so in words (:func:`source_note`).
"""

from __future__ import annotations

from saferboard.core.models import Partnership
from saferboard.crime.categories import FORCE_IDS, FORCES, LONDON_BOROUGHS

SOURCES = ("police-uk", "mps")
SOURCE_LABELS = {"police-uk": "police.uk street-level data", "mps": "Met recorded crime"}
CITY_OF_LONDON = "E09000001"
# The authorities whose crimes the Met's files count: the 32 boroughs (not the City).
MET_BOROUGHS = frozenset(code for code in LONDON_BOROUGHS.values() if code != CITY_OF_LONDON)
LONDON_REGION = "E12000007"


def area_source(code: str | None) -> str:
    """The source the rule gives an area: the Met's for a Met borough (and London),
    police.uk for any other authority or a police force."""
    if code in MET_BOROUGHS or code == LONDON_REGION:
        return "mps"
    return "police-uk"


def covers(source: str, code: str | None) -> bool:
    """Can ``source`` have figures for the area at all? (The Met's files hold the 32
    boroughs and London only; police.uk holds every authority and force.)"""
    if source == "mps":
        return code in MET_BOROUGHS or code == LONDON_REGION
    return True


def preferred_source(partnership: Partnership | None = None) -> str | None:
    """The partnership's chosen crime source (its own setting, else the rule for its
    local authority); ``None`` when no partnership is set up."""
    if partnership is None:
        from saferboard.core.partnerships import current_partnership

        partnership = current_partnership()
    if partnership is None:
        return None
    if partnership.crime_source in SOURCES:
        return partnership.crime_source
    la = partnership.local_authority
    return area_source(la.code if la else None)


def is_force(text: str) -> bool:
    wanted = text.strip().lower()
    return wanted in FORCE_IDS or wanted in {name.lower() for name in FORCES}


def source_for_area(code: str | None, *, force: bool = False) -> str:
    """The default source for an area: the partnership's preferred source where that
    source covers the area, otherwise the rule's source for the area."""
    if force:
        return "police-uk"
    preferred = preferred_source()
    if preferred is not None and covers(preferred, code):
        return preferred
    return area_source(code)


def source_for_peers(peers: str) -> str:
    """The default source of a ranking: the partnership's preferred source, or (with no
    partnership) the Met's for London's boroughs and police.uk for any other group."""
    preferred = preferred_source()
    if preferred is not None:
        return preferred
    return "mps" if peers == "london" else "police-uk"


def source_note(source: str, code: str | None = None) -> str | None:
    """Words saying that a view uses another source than the partnership's preferred
    one (``None`` when it uses the preferred source, or none is set up)."""
    preferred = preferred_source()
    if preferred is None or preferred == source:
        return None
    note = (
        f"These figures use {SOURCE_LABELS[source]}, not the partnership's chosen source "
        f"({SOURCE_LABELS[preferred]})"
    )
    if code is not None and not covers(preferred, code):
        note += f": {SOURCE_LABELS[preferred]} has no figures for this area"
    return note + "."
