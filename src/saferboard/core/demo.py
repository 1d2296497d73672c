"""The demo partnership's organisations, people and sign-in accounts (all fictional).

Loading is idempotent: every record is found or created by a natural key, so running
``saferboard demo`` again changes nothing and duplicates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from saferboard.core.models import (
    Area,
    AreaKind,
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Person,
    Role,
    User,
)
from saferboard.core.partnerships import DEMO_PARTNERSHIP_NAME

DEMO_PASSWORD = "saferboard-demo"  # noqa: S105 - printed by `saferboard demo`  # nosec B105
PARTNERSHIP_NAME = DEMO_PARTNERSHIP_NAME
PARTNERSHIP_START = date(2015, 4, 1)

# (slug, name, type, responsible authority, start, end)
ORGANISATIONS: list[tuple[str, str, str, bool, date, date | None]] = [
    ("council", "Example Borough Council", OrganisationType.COUNCIL, True, PARTNERSHIP_START, None),
    (
        "police",
        "Metropolitan Police Service (South BCU)",
        OrganisationType.POLICE,
        True,
        PARTNERSHIP_START,
        None,
    ),
    ("fire", "London Fire Brigade", OrganisationType.FIRE, True, PARTNERSHIP_START, None),
    (
        "probation",
        "Probation Service (Example Borough)",
        OrganisationType.PROBATION,
        True,
        PARTNERSHIP_START,
        None,
    ),
    (
        "ccg",
        "Example Borough Clinical Commissioning Group",
        OrganisationType.HEALTH,
        True,
        PARTNERSHIP_START,
        date(2022, 6, 30),
    ),
    (
        "icb",
        "NHS South East London Integrated Care Board",
        OrganisationType.HEALTH,
        True,
        date(2022, 7, 1),
        None,
    ),
    (
        "yos",
        "Example Borough Youth Offending Service",
        OrganisationType.YOUTH_JUSTICE,
        False,
        PARTNERSHIP_START,
        None,
    ),
    (
        "education",
        "Example Borough Education Partnership",
        OrganisationType.EDUCATION,
        False,
        date(2017, 9, 1),
        None,
    ),
    (
        "housing",
        "Example Homes Housing Association",
        OrganisationType.HOUSING,
        False,
        PARTNERSHIP_START,
        None,
    ),
    (
        "victim-support",
        "Victim Support (London)",
        OrganisationType.VOLUNTARY,
        False,
        PARTNERSHIP_START,
        None,
    ),
    (
        "snb",
        "Example Borough Safer Neighbourhood Board",
        OrganisationType.OTHER,
        False,
        PARTNERSHIP_START,
        None,
    ),
    (
        "mopac",
        "Mayor's Office for Policing and Crime",
        OrganisationType.OTHER,
        False,
        PARTNERSHIP_START,
        None,
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    name: str
    job_title: str
    organisation: str
    roles: tuple[str, ...]
    username: str | None = None  # those with a username can sign in


PEOPLE: list[DemoPerson] = [
    DemoPerson(
        "Priya Shah", "Community Safety Manager", "council", (Role.COORDINATOR,), "coordinator"
    ),
    DemoPerson(
        "Tom Hughes",
        "Detective Inspector, Partnership Lead",
        "police",
        (Role.PARTNER_LEAD,),
        "partner.lead",
    ),
    DemoPerson(
        "Councillor Margaret Okafor",
        "Portfolio Holder for Public Protection",
        "council",
        (Role.BOARD_MEMBER,),
        "board.member",
    ),
    DemoPerson(
        "Daniel Kowalski", "Community Safety Analyst", "council", (Role.ANALYST,), "analyst"
    ),
    DemoPerson(
        "Grace Mensah",
        "Exploitation Panel Coordinator",
        "yos",
        (Role.PANEL_MEMBER,),
        "panel.member",
    ),
    DemoPerson(
        "Helen Burke", "Systems Administrator", "council", (Role.ADMINISTRATOR,), "administrator"
    ),
    DemoPerson(
        "Sarah Lindqvist",
        "Head of Youth Offending Service",
        "yos",
        (Role.PARTNER_LEAD, Role.BOARD_MEMBER),
        "yos.head",
    ),
    DemoPerson(
        "Mark Adeyemi",
        "Head of Probation Delivery Unit",
        "probation",
        (Role.PARTNER_LEAD,),
        "probation.lead",
    ),
    DemoPerson("Chief Superintendent Alan Price", "BCU Commander", "police", (Role.BOARD_MEMBER,)),
    DemoPerson(
        "Joanne Fairweather",
        "Director of Environment and Public Protection",
        "council",
        (Role.BOARD_MEMBER,),
    ),
    DemoPerson("Rachel Osei", "Trading Standards Manager", "council", (Role.PARTNER_LEAD,)),
    DemoPerson("Imran Hussain", "Licensing Manager", "council", (Role.PARTNER_LEAD,)),
    DemoPerson("Claire Doherty", "Borough Commander", "fire", (Role.BOARD_MEMBER,)),
    DemoPerson("Dr Fiona Grant", "Director of Public Health", "icb", (Role.BOARD_MEMBER,)),
    DemoPerson("Kevin Marsh", "Head of Housing Services", "housing", (Role.PARTNER_LEAD,)),
    DemoPerson("Lucy Brennan", "Area Manager", "victim-support", (Role.PARTNER_LEAD,)),
    DemoPerson("Peter Danso", "Chair", "snb", (Role.BOARD_MEMBER,)),
    DemoPerson("Anita Rao", "Head of Inclusion", "education", (Role.PARTNER_LEAD,)),
    DemoPerson("Owen Price", "YOS Performance Officer", "yos", (Role.ANALYST,)),
]


def load() -> tuple[Partnership, list[tuple[str, str, str]]]:
    """Load the demo organisations and people; return the partnership and sign-in rows.

    Each sign-in row is (username, password, what the account can do).
    """
    with transaction.atomic():
        borough, _ = Area.objects.get_or_create(
            code="E09000006",
            defaults={"name": "Bromley", "kind": AreaKind.LOCAL_AUTHORITY},
        )
        partnership, _ = Partnership.objects.get_or_create(
            slug="example-borough",
            defaults={"name": PARTNERSHIP_NAME, "local_authority": borough},
        )
        orgs: dict[str, Organisation] = {}
        for slug, name, kind, statutory, start, end in ORGANISATIONS:
            orgs[slug], _ = Organisation.objects.update_or_create(
                partnership=partnership,
                slug=slug,
                defaults={
                    "name": name,
                    "type": kind,
                    "is_responsible_authority": statutory,
                    "start_date": start,
                    "end_date": end,
                },
            )
        sign_ins: list[tuple[str, str, str]] = []
        for demo in PEOPLE:
            user = None
            if demo.username:
                user, created = User.objects.get_or_create(
                    username=demo.username,
                    defaults={
                        "first_name": demo.name.split()[0],
                        "last_name": demo.name.split()[-1],
                        "email": f"{demo.username}@example.org",
                    },
                )
                if created or not user.has_usable_password():
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                roles = ", ".join(Role(r).label.lower() for r in demo.roles)
                sign_ins.append((demo.username, DEMO_PASSWORD, f"{roles} ({demo.name})"))
            person, _ = Person.objects.update_or_create(
                full_name=demo.name,
                organisation=orgs[demo.organisation],
                defaults={
                    "user": user,
                    "job_title": demo.job_title,
                    "email": _email(demo.name),
                    "phone": "020 7946 0" + str(100 + PEOPLE.index(demo)),
                },
            )
            for role in demo.roles:
                Membership.objects.get_or_create(
                    person=person,
                    organisation=orgs[demo.organisation],
                    role=role,
                    defaults={"start_date": date(2020, 4, 1)},
                )
    return partnership, sign_ins


def _email(name: str) -> str:
    parts = [p for p in name.lower().replace("'", "").split() if p not in {"dr", "councillor"}]
    return f"{parts[0]}.{parts[-1]}@example.org"
