"""Crime measures as configuration: Measure rows whose ``definition`` says what is counted.

A definition is JSON read by :func:`categories_for`; a row is counted when its category
matches any of:

* ``{"categories": [...]}``: police.uk category keys (see :mod:`.categories`);
* ``{"all_except": [...]}``: every category but these (``recorded-crime`` is every
  police.uk row except anti-social behaviour);
* ``{"all": true}``: every category;
* ``{"major": [...]}`` / ``{"minor": [...]}``: Met major or minor category names;
* ``{"dashboard": [[crime type, crime subtype, measure], ...]}``: rows of the Met's
  monthly crime dashboard extract (compared without regard to case, since the Met
  capitalises a subtype differently from one measure to the other). Name the published
  total row (subtype "Hate crime"), never several subtypes: they overlap.

The dashboard's rows are a separate dataset: ``all``, ``all_except``, ``major`` and
``minor`` never count them, so recorded-crime figures do not change when the dashboard
extract is imported.

So a composite (say burglary plus robbery) is a new Measure row, not new code.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction

from saferboard.crime.categories import (
    ASB,
    CATEGORY_ERAS,
    DASHBOARD_CATEGORY_PREFIX,
    NEGATIVE,
    current_categories,
    is_dashboard_category,
)
from saferboard.crime.engine import engine
from saferboard.measures.models import Direction, Measure, SourceKind, Unit
from saferboard.measures.standard import ensure_standard_rules

SOURCES = (SourceKind.POLICE_UK.value, SourceKind.MPS.value)

# The Met crime dashboard's hate crime strands (crime subtypes of "Hate crime").
HATE_STRANDS = (
    ("racist", "racist", "Racist Crime"),
    ("racist-religious", "racist and religious", "Racist and Religious Crime"),
    ("faith", "faith", "Faith Crime"),
    ("antisemitic", "antisemitic", "AntiSemitic"),
    ("islamophobic", "Islamophobic", "Islamophobic Crime"),
    ("homophobic", "homophobic", "Homophobic Crime"),
    ("transphobic", "transphobic", "Transphobic Crime"),
    ("disability", "disability", "Disability Crime"),
)

MPS_MEASURES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "total-notifiable-offences",
        "Total notifiable offences",
        "Every offence in the Met recorded-crime file for the borough.",
        {"all": True},
    ),
    (
        "burglary",
        "Burglary",
        "Major category BURGLARY (residential and business).",
        {"major": ["BURGLARY"]},
    ),
    (
        "residential-burglary",
        "Residential burglary",
        "Minor categories DOMESTIC BURGLARY (until the 2017 change in counting rules) and "
        "its successors RES BURGLARY OF A HOME, RES BURGLARY OF UNCONNECTED BUILDING and "
        "BURGLARY - RESIDENTIAL.",
        {
            "minor": [
                "DOMESTIC BURGLARY",
                "RES BURGLARY OF A HOME",
                "RES BURGLARY OF UNCONNECTED BUILDING",
                "BURGLARY - RESIDENTIAL",
            ]
        },
    ),
    (
        "theft-of-motor-vehicles",
        "Theft of motor vehicles",
        "Minor category THEFT OR UNAUTH TAKING OF A MOTOR VEH.",
        {"minor": ["THEFT OR UNAUTH TAKING OF A MOTOR VEH"]},
    ),
    (
        "violence-with-injury",
        "Violence with injury",
        "Minor category VIOLENCE WITH INJURY.",
        {"minor": ["VIOLENCE WITH INJURY"]},
    ),
    (
        "sexual-offences",
        "Sexual offences",
        "Major category SEXUAL OFFENCES.",
        {"major": ["SEXUAL OFFENCES"]},
    ),
    ("robbery", "Robbery", "Major category ROBBERY.", {"major": ["ROBBERY"]}),
    (
        "possession-of-weapons",
        "Possession of weapons",
        "Major category POSSESSION OF WEAPONS.",
        {"major": ["POSSESSION OF WEAPONS"]},
    ),
    (
        "non-domestic-violence-with-injury",
        "Non-domestic violence with injury",
        "Met recorded crime minor category VIOLENCE WITH INJURY, minus the Met crime "
        "dashboard's Domestic Abuse violence with injury offences (both the borough's): "
        "complete only in months both are imported.",
        {
            "minor": ["VIOLENCE WITH INJURY"],
            "minus": {
                "dashboard": [["Domestic Abuse", "Domestic Abuse violence with injury", "Offences"]]
            },
        },
    ),
    # From the Met's monthly crime dashboard extract: the published total row of each
    # crime type, never a sum of its subtypes (they overlap). See docs/crime.md.
    (
        "knife-crime",
        "Knife crime",
        "Met crime dashboard: crime type Knife Crime, subtype Knife Crime (all knife or "
        "sharp instrument offences, with or without injury), Offences.",
        {"dashboard": [["Knife Crime", "Knife Crime", "Offences"]]},
    ),
    (
        "domestic-abuse",
        "Domestic abuse",
        "Met crime dashboard: crime type Domestic Abuse, subtype Domestic Abuse (every "
        "offence flagged as domestic abuse), Offences.",
        {"dashboard": [["Domestic Abuse", "Domestic Abuse", "Offences"]]},
    ),
    (
        "domestic-abuse-positive-outcome-rate",
        "Domestic abuse positive outcome rate",
        "Met crime dashboard: Domestic Abuse positive outcomes as a percentage of Domestic "
        "Abuse offences in the same months (crime type and subtype Domestic Abuse). Higher "
        "is better. Outcomes recorded in a year can relate to offences of an earlier year, "
        "as the Met publishes them.",
        {
            "ratio": {
                "numerator": {
                    "dashboard": [["Domestic Abuse", "Domestic Abuse", "Positive Outcomes"]]
                },
                "denominator": {"dashboard": [["Domestic Abuse", "Domestic Abuse", "Offences"]]},
            },
            "per": 100,
        },
    ),
    (
        "hate-crime",
        "Hate crime",
        "Met crime dashboard: crime type Hate crime, subtype Hate crime (the total: an "
        "offence with several hate strands counts once), Offences.",
        {"dashboard": [["Hate crime", "Hate crime", "Offences"]]},
    ),
    (
        "gun-crime",
        "Gun crime",
        "Met crime dashboard: crime type Gun Crime, subtype Gun Crime (firearm "
        "discharged, used or threatened), Offences.",
        {"dashboard": [["Gun Crime", "Gun Crime", "Offences"]]},
    ),
    (
        "knife-injury-victims-1-24-non-da",
        "Knife injury victims aged 1 to 24 (non-domestic abuse)",
        "Met crime dashboard: crime type Knife Crime, subtype Knife Injury Victims (non DA "
        "1-24): victims aged 1 to 24 injured with a knife or sharp instrument, outside "
        "domestic abuse. A count of victims (published under the measure 'Offences').",
        {"dashboard": [["Knife Crime", "Knife Injury Victims (non DA 1-24)", "Offences"]]},
    ),
    *[
        (
            f"hate-crime-{slug}",
            f"Hate crime: {label}",
            f"Met crime dashboard: crime type Hate crime, subtype {subtype}, Offences. "
            "Strands overlap (an offence can be in several): never add them up.",
            {"dashboard": [["Hate crime", subtype, "Offences"]]},
        )
        for slug, label, subtype in HATE_STRANDS
    ],
]


def police_uk_measures() -> list[tuple[str, str, str, dict[str, Any]]]:
    rows = [
        (
            "recorded-crime",
            "Recorded crime (excluding anti-social behaviour)",
            "Every police.uk street-level row except anti-social behaviour.",
            {"all_except": [ASB]},
        )
    ]
    for era in current_categories():
        rows.append(
            (
                era.key,
                era.label,
                f"police.uk crime type “{era.name}” (published under this definition since "
                f"{era.first}).",
                {"categories": [era.key]},
            )
        )
    return rows


def ensure_measures() -> None:
    """Create the standard crime measures if missing (never overwrites edits)."""
    wanted = {(SourceKind.POLICE_UK.value, r[0]) for r in police_uk_measures()}
    wanted |= {(SourceKind.MPS.value, r[0]) for r in MPS_MEASURES}
    have = set(Measure.objects.filter(source_kind__in=SOURCES).values_list("source_kind", "slug"))
    if wanted <= have:
        return
    rules = ensure_standard_rules()
    with transaction.atomic():
        for source, rows in (
            (SourceKind.POLICE_UK, police_uk_measures()),
            (SourceKind.MPS, MPS_MEASURES),
        ):
            for order, (slug, label, description, definition) in enumerate(rows, start=1):
                # A ratio (an outcome rate) is a percentage, and higher is better.
                ratio = "ratio" in definition
                Measure.objects.get_or_create(
                    source_kind=source,
                    slug=slug,
                    defaults={
                        "label": label,
                        "description": description,
                        "unit": Unit.PERCENT if ratio else Unit.COUNT,
                        "direction": Direction.HIGHER_IS_BETTER
                        if ratio
                        else Direction.LOWER_IS_BETTER,
                        "rag_rule": rules["higher-is-better" if ratio else "lower-is-better"],
                        "definition": definition,
                        "display_order": order,
                    },
                )


def _fold(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(" ".join(p.split()).casefold() for p in parts)


def categories_for(definition: dict[str, Any], known: Iterable[str]) -> list[str]:
    """The category keys of ``known`` that a measure's definition counts."""
    known = list(known)
    dashboard_keys = [k for k in known if is_dashboard_category(k)]
    known = [k for k in known if not is_dashboard_category(k)]
    chosen: set[str] = set()
    if definition.get("all"):
        chosen.update(known)
    chosen.update(c for c in definition.get("categories", []) if c in known)
    if "all_except" in definition:
        excluded = set(definition["all_except"])
        chosen.update(c for c in known if c not in excluded)
    majors = set(definition.get("major", []))
    minors = set(definition.get("minor", []))
    if majors or minors:
        for key in known:
            major, _, minor = key.partition("|")
            if major in majors or minor in minors:
                chosen.add(key)
    wanted = {_fold(row) for row in definition.get("dashboard", [])}
    if wanted:
        chosen.update(k for k in dashboard_keys if _fold(k.split("|")[1:]) in wanted)
    # A difference: the categories of "minus" are subtracted (written with a leading
    # "-", which no category key has), e.g. violence with injury minus its domestic part.
    minus = definition.get("minus")
    # Nothing to subtract from: a difference with no data for its first part has none.
    if isinstance(minus, dict) and chosen:
        chosen.update(
            NEGATIVE + k
            for k in categories_for(minus, [*known, *dashboard_keys])
            if k not in chosen
        )
    return sorted(chosen)


# The categories a definition may name, per vocabulary ------------------------------------
# A measure's definition is checked against these before it is saved, so that a typing
# slip is refused (naming the nearest category) instead of silently counting nothing.
POLICE_UK = "police-uk"
MET_RECORDED = "met-recorded-crime"
MET_DASHBOARD = "met-crime-dashboard"
SHIPPED_MPS = Path(__file__).resolve().parent / "data" / "mps"


@lru_cache(maxsize=1)
def _shipped_mps_categories() -> tuple[str, ...]:
    """Category keys of the Met files shipped with Saferboard, in the engine's form:
    ``MAJOR|MINOR`` for recorded crime, ``dashboard|type|subtype|measure`` for the crime
    dashboard extract. Read once per process (a few milliseconds)."""
    recorded = sorted(SHIPPED_MPS.glob("recorded-crime-borough*.parquet"))
    dashboard = sorted(SHIPPED_MPS.glob("monthly-crime-dashboard_*.parquet"))
    con = duckdb.connect()
    try:
        keys: set[str] = set()
        for path in recorded:
            rows = con.execute(
                "SELECT DISTINCT majortext, minortext FROM read_parquet(?)", [str(path)]
            ).fetchall()
            keys.update(f"{major}|{minor}" for major, minor in rows if major and minor)
        for path in dashboard:
            rows = con.execute(
                "SELECT DISTINCT crime_type, crime_subtype, measure FROM read_parquet(?)",
                [str(path)],
            ).fetchall()
            keys.update(
                f"{DASHBOARD_CATEGORY_PREFIX}{kind}|{subtype}|{measure}"
                for kind, subtype, measure in rows
                if kind and subtype and measure
            )
    finally:
        con.close()
    return tuple(sorted(keys))


def _store_categories(source: str) -> list[str]:
    """Categories imported into this installation's store (a newer extract may add
    some); none when the store cannot be read."""
    try:
        return list(engine().categories(source))
    except (duckdb.Error, OSError, KeyError):
        return []


def known_categories(vocabulary: str, *, with_store: bool = True) -> list[str]:
    """Every category key a definition in ``vocabulary`` may name (engine key form).

    ``police-uk``: police.uk category keys; ``met-recorded-crime``: ``MAJOR|MINOR``;
    ``met-crime-dashboard``: ``dashboard|type|subtype|measure``. The Met's come from the
    shipped files and, unless ``with_store`` is false, from what has been imported.
    """
    if vocabulary == POLICE_UK:
        return sorted({era.key for era in CATEGORY_ERAS})
    keys = set(_shipped_mps_categories())
    if with_store:
        keys.update(_store_categories(SourceKind.MPS.value))
    if vocabulary == MET_DASHBOARD:
        return sorted(k for k in keys if is_dashboard_category(k))
    if vocabulary == MET_RECORDED:
        return sorted(k for k in keys if not is_dashboard_category(k))
    raise ValueError(f"Unknown category vocabulary {vocabulary!r}")
