"""Reference tables for crime data: police.uk categories (dated), forces, London boroughs.

police.uk has renamed and split its crime types twice. A name is mapped to a category
*for the months it was published under that definition*, so a series never silently
merges two definitions:

* December 2010: six types (ASB, burglary, robbery, vehicle crime, violent crime,
  other crime).
* September 2011: criminal damage and arson, drugs, other theft, public disorder and
  weapons and shoplifting were split out of "Other crime".
* May 2013: "Violent crime" became "Violence and sexual offences" (sexual offences
  moved in from "Other crime"); "Public disorder and weapons" was split into "Public
  order" and "Possession of weapons"; bicycle theft and theft from the person were
  split out of "Other theft".

Each category key is the slug the police.uk API uses for the current definition
(``violent-crime`` for "Violence and sexual offences"); an earlier definition of the
same name gets its own key with the era in it (``other-crime-2011``), so its months
never count towards the current series.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryEra:
    """A police.uk crime type name, the category it maps to, and the months it held."""

    name: str
    key: str
    label: str
    first: str  # 'YYYY-MM', inclusive
    last: str  # 'YYYY-MM', inclusive ('9999-12' while current)


CURRENT = "9999-12"

CATEGORY_ERAS: tuple[CategoryEra, ...] = (
    CategoryEra(
        "Anti-social behaviour",
        "anti-social-behaviour",
        "Anti-social behaviour",
        "2010-12",
        CURRENT,
    ),
    CategoryEra("Burglary", "burglary", "Burglary", "2010-12", CURRENT),
    CategoryEra("Robbery", "robbery", "Robbery", "2010-12", CURRENT),
    CategoryEra("Vehicle crime", "vehicle-crime", "Vehicle crime", "2010-12", CURRENT),
    CategoryEra(
        "Violent crime", "violent-crime-2010", "Violent crime (to April 2013)", "2010-12", "2013-04"
    ),
    CategoryEra(
        "Other crime", "other-crime-2010", "Other crime (to August 2011)", "2010-12", "2011-08"
    ),
    CategoryEra(
        "Other crime",
        "other-crime-2011",
        "Other crime (September 2011 to April 2013)",
        "2011-09",
        "2013-04",
    ),
    CategoryEra(
        "Criminal damage and arson",
        "criminal-damage-arson",
        "Criminal damage and arson",
        "2011-09",
        CURRENT,
    ),
    CategoryEra("Drugs", "drugs", "Drugs", "2011-09", CURRENT),
    CategoryEra("Shoplifting", "shoplifting", "Shoplifting", "2011-09", CURRENT),
    CategoryEra(
        "Other theft", "other-theft-2011", "Other theft (to April 2013)", "2011-09", "2013-04"
    ),
    CategoryEra(
        "Public disorder and weapons",
        "public-disorder-weapons",
        "Public disorder and weapons (to April 2013)",
        "2011-09",
        "2013-04",
    ),
    CategoryEra(
        "Violence and sexual offences",
        "violent-crime",
        "Violence and sexual offences",
        "2013-05",
        CURRENT,
    ),
    CategoryEra("Other crime", "other-crime", "Other crime", "2013-05", CURRENT),
    CategoryEra("Other theft", "other-theft", "Other theft", "2013-05", CURRENT),
    CategoryEra("Public order", "public-order", "Public order", "2013-05", CURRENT),
    CategoryEra(
        "Possession of weapons",
        "possession-of-weapons",
        "Possession of weapons",
        "2013-05",
        CURRENT,
    ),
    CategoryEra("Bicycle theft", "bicycle-theft", "Bicycle theft", "2013-05", CURRENT),
    CategoryEra(
        "Theft from the person",
        "theft-from-the-person",
        "Theft from the person",
        "2013-05",
        CURRENT,
    ),
)

ASB = "anti-social-behaviour"


def category_validity() -> dict[str, tuple[str, str]]:
    """First and last month each category key was published under its definition."""
    return {era.key: (era.first, era.last) for era in CATEGORY_ERAS}


def current_categories() -> list[CategoryEra]:
    """The categories police.uk publishes today, in the order the dashboard lists them."""
    return [era for era in CATEGORY_ERAS if era.last == CURRENT]


# "Reported by" name → police.uk force identifier. Both spellings police.uk has used
# are listed where a force's name changed.
FORCES: dict[str, str] = {
    "Avon and Somerset Constabulary": "avon-and-somerset",
    "Bedfordshire Police": "bedfordshire",
    "British Transport Police": "btp",
    "Cambridgeshire Constabulary": "cambridgeshire",
    "Cheshire Constabulary": "cheshire",
    "City of London Police": "city-of-london",
    "Cleveland Police": "cleveland",
    "Cumbria Constabulary": "cumbria",
    "Derbyshire Constabulary": "derbyshire",
    "Devon & Cornwall Police": "devon-and-cornwall",
    "Devon and Cornwall Police": "devon-and-cornwall",
    "Dorset Police": "dorset",
    "Durham Constabulary": "durham",
    "Dyfed-Powys Police": "dyfed-powys",
    "Essex Police": "essex",
    "Gloucestershire Constabulary": "gloucestershire",
    "Greater Manchester Police": "greater-manchester",
    "Gwent Police": "gwent",
    "Hampshire Constabulary": "hampshire",
    "Hampshire and Isle of Wight Constabulary": "hampshire",
    "Hertfordshire Constabulary": "hertfordshire",
    "Humberside Police": "humberside",
    "Kent Police": "kent",
    "Lancashire Constabulary": "lancashire",
    "Leicestershire Police": "leicestershire",
    "Lincolnshire Police": "lincolnshire",
    "Merseyside Police": "merseyside",
    "Metropolitan Police Service": "metropolitan",
    "Norfolk Constabulary": "norfolk",
    "North Wales Police": "north-wales",
    "North Yorkshire Police": "north-yorkshire",
    "Northamptonshire Police": "northamptonshire",
    "Northumbria Police": "northumbria",
    "Nottinghamshire Police": "nottinghamshire",
    "Police Service of Northern Ireland": "northern-ireland",
    "South Wales Police": "south-wales",
    "South Yorkshire Police": "south-yorkshire",
    "Staffordshire Police": "staffordshire",
    "Suffolk Constabulary": "suffolk",
    "Surrey Police": "surrey",
    "Sussex Police": "sussex",
    "Thames Valley Police": "thames-valley",
    "Warwickshire Police": "warwickshire",
    "West Mercia Police": "west-mercia",
    "West Midlands Police": "west-midlands",
    "West Yorkshire Police": "west-yorkshire",
    "Wiltshire Police": "wiltshire",
}
FORCE_IDS = frozenset(FORCES.values())

# The 33 London local authorities (ONS codes). The Metropolitan Police's files name
# boroughs, not codes; the City of London is policed by its own force.
LONDON_BOROUGHS: dict[str, str] = {
    "City of London": "E09000001",
    "Barking and Dagenham": "E09000002",
    "Barnet": "E09000003",
    "Bexley": "E09000004",
    "Brent": "E09000005",
    "Bromley": "E09000006",
    "Camden": "E09000007",
    "Croydon": "E09000008",
    "Ealing": "E09000009",
    "Enfield": "E09000010",
    "Greenwich": "E09000011",
    "Hackney": "E09000012",
    "Hammersmith and Fulham": "E09000013",
    "Haringey": "E09000014",
    "Harrow": "E09000015",
    "Havering": "E09000016",
    "Hillingdon": "E09000017",
    "Hounslow": "E09000018",
    "Islington": "E09000019",
    "Kensington and Chelsea": "E09000020",
    "Kingston upon Thames": "E09000021",
    "Lambeth": "E09000022",
    "Lewisham": "E09000023",
    "Merton": "E09000024",
    "Newham": "E09000025",
    "Redbridge": "E09000026",
    "Richmond upon Thames": "E09000027",
    "Southwark": "E09000028",
    "Sutton": "E09000029",
    "Tower Hamlets": "E09000030",
    "Waltham Forest": "E09000031",
    "Wandsworth": "E09000032",
    "Westminster": "E09000033",
}
# Areas the Met reports that are not a borough: rows it could not place, and the
# airports and aviation security unit. Kept (they count towards London) but in no
# local authority.
MPS_NON_BOROUGHS = (
    "Unknown",
    "London Heathrow and London City Airports",
    "Aviation Security (SO18)",
)

# The Met's monthly crime dashboard extract (knife crime, domestic abuse, hate crime…)
# is stored beside recorded crime, kept apart from it: under its own folder of the
# store, one dataset per crime type, and with category keys
# ``dashboard|<crime type>|<crime subtype>|<measure>`` that no recorded-crime measure
# ("all", "major", "minor") can ever pick up.
DASHBOARD_FOLDER = "mps-dashboard"
DASHBOARD_DATASET_PREFIX = "dashboard-"
DASHBOARD_CATEGORY_PREFIX = "dashboard|"


def is_dashboard_category(key: str) -> bool:
    """Whether a category key is one of the Met crime dashboard's."""
    return key.startswith(DASHBOARD_CATEGORY_PREFIX)


# A force's published street file for a month holds every crime type and roughly its
# usual volume. A force-month with fewer types, or under half the median of the force's
# other full months (when there are at least three to compare with), is evidently an
# extract or a broken download: it is flagged on import and never counts as complete.
FULL_MONTH_MIN_TYPES = 8
PARTIAL_SHARE_OF_USUAL = 0.5
PARTIAL_MIN_OTHER_MONTHS = 3


NEGATIVE = "-"
"""Marks a category a measure subtracts (no category key starts with it)."""


def signed(category: str) -> tuple[str, int]:
    """(category key, +1 or -1) of an entry of
    :func:`saferboard.crime.measures.categories_for`."""
    if category.startswith(NEGATIVE):
        return category[len(NEGATIVE) :], -1
    return category, 1
