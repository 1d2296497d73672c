"""A small partnership with two panels, members and non-members of every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from saferboard.core.models import Organisation, OrganisationType, Person, Role, User
from saferboard.panels import services
from saferboard.panels.models import DEFAULT_FLAGS, Case, Panel, PanelRole, PanelType
from tests.factories import AreaFactory, OrganisationFactory, PartnershipFactory, make_user


@dataclass
class World:
    yos: Organisation
    police: Organisation
    council: Organisation
    outsider_org: Organisation
    panel: Panel
    other_panel: Panel
    case: Case
    other_case: Case
    users: dict[str, User]


def make_panel(partnership, slug: str, orgs, **fields) -> Panel:  # type: ignore[no-untyped-def]
    kind = fields.pop("type", PanelType.EXPLOITATION)
    panel = Panel.objects.create(
        partnership=partnership,
        name=f"Panel {slug}",
        slug=slug,
        type=kind,
        legal_basis="Public task; safeguarding",
        isa_reference="ISA-1",
        flags=list(DEFAULT_FLAGS[kind]),
        population_key="bromley-10-17-2020",
        **fields,
    )
    panel.member_organisations.add(*orgs)
    return panel


def refer(panel: Panel, actor: User, name: str = "Alex Example", **kwargs) -> Case:  # type: ignore[no-untyped-def]
    source = panel.member_organisations.first()
    dob = kwargs.pop("dob", date(2010, 5, 17))
    defaults = {
        "referral_source": source,
        "referral_date": date(2025, 1, 6),
        "referral_reason": "Missing from home twice",
        "flags": ["gang", "missing"],
        "ethnicity": "black",
        "sex": "male",
    }
    defaults.update(kwargs)
    identity = services.Identity(name, dob, "1 Test Road")
    return services.refer_case(panel=panel, actor=actor, identity=identity, **defaults)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    area = AreaFactory(code="E09000006", name="Bromley")
    partnership = PartnershipFactory(local_authority=area)
    org = {
        slug: OrganisationFactory(partnership=partnership, slug=slug, name=slug.title(), type=t)
        for slug, t in [
            ("yos", OrganisationType.YOUTH_JUSTICE),
            ("police", OrganisationType.POLICE),
            ("council", OrganisationType.COUNCIL),
            ("outsider", OrganisationType.HOUSING),
        ]
    }
    panel = make_panel(partnership, "exp", [org["yos"], org["police"], org["council"]])
    other = make_panel(partnership, "asb", [org["council"], org["police"]], type=PanelType.ASB_RISK)
    users: dict[str, User] = {}

    def user(key: str, roles: tuple[str, ...], organisation: Organisation, **kw) -> User:  # type: ignore[no-untyped-def]
        users[key] = make_user(*roles, organisation=organisation, username=key, **kw)
        return users[key]

    coord = user("member.coordinator", (Role.PANEL_MEMBER,), org["yos"])
    plain = user("member.police", (Role.PARTNER_LEAD,), org["police"])
    admin_member = user("member.admin", (Role.ADMINISTRATOR,), org["council"])
    asb_member = user("asb.member", (Role.PANEL_MEMBER,), org["council"])
    for role in Role.values:
        for org_slug in ("yos", "police", "council", "outsider"):
            user(f"{role}.{org_slug}", (role,), org[org_slug])
    user("superuser", (), org["council"], superuser=True)
    user("no.role", (), org["yos"])
    seater = users["administrator.council"]  # nobody seats themselves
    approver = users["administrator.police"]  # and a second person approves every seat

    def seat(on: Panel, person: Person, role: str, actor: User) -> None:
        asked = services.add_member(on, person=person, role=role, actor=actor)
        services.approve_member(asked, actor=approver)

    seat(panel, coord.person, PanelRole.COORDINATOR, seater)
    seat(panel, plain.person, PanelRole.MEMBER, coord)
    seat(panel, admin_member.person, PanelRole.MEMBER, coord)
    seat(other, asb_member.person, PanelRole.COORDINATOR, coord)
    case = refer(panel, coord)
    other_case = refer(other, asb_member, name="Blake Sample", flags=["perpetrator"])
    return World(
        org["yos"],
        org["police"],
        org["council"],
        org["outsider"],
        panel,
        other,
        case,
        other_case,
        users,
    )


@pytest.fixture
def panels_demo(db):  # type: ignore[no-untyped-def]
    """The demo people and the demo panels only (not every app's demo: faster)."""
    from saferboard.core import demo as core_demo
    from saferboard.measures import demo as measures_demo
    from saferboard.panels import demo as panels_demo_module

    partnership, _ = core_demo.load()
    measures_demo.load(partnership)
    panels_demo_module.load(partnership)
    return partnership
