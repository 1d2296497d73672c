"""Small boards built through the services, so each test states its own history."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Role
from saferboard.meetings import services
from saferboard.meetings.models import BoardKind, BoardMember
from tests.actions.conftest import load_actions_and_meetings_demo
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    """Core people, the improvement plan and the boards (see tests/actions/conftest.py)."""
    return load_actions_and_meetings_demo()


@pytest.fixture
def setting(db):  # type: ignore[no-untyped-def]
    """A partnership with a council, police and health, a board with a member from each."""
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    police = OrganisationFactory(partnership=partnership, name="Police", slug="police")
    health = OrganisationFactory(partnership=partnership, name="Health", slug="health")
    board = services.create_board(
        partnership,
        name="Safer Partnership Board",
        slug="spb",
        kind=BoardKind.PARTNERSHIP,
        owner=council,
        first_minute_number=36,
    )
    members = {}
    for org in (council, police, health):
        person = PersonFactory(
            organisation=org, full_name=f"{org.name} Lead", email=f"{org.slug}@example.org"
        )
        members[org.slug] = BoardMember.objects.create(
            board=board,
            person=person,
            organisation=org,
            role="Member",
            start_date=date(2020, 1, 1),
        )
    return {
        "partnership": partnership,
        "board": board,
        "members": members,
        "orgs": {"council": council, "police": police, "health": health},
    }


@pytest.fixture
def clerk(make_user, setting):  # type: ignore[no-untyped-def]
    return make_user(Role.COORDINATOR, organisation=setting["orgs"]["council"])


def hold(meeting, members) -> None:  # type: ignore[no-untyped-def]
    """Record everyone in ``members`` as present (the meeting becomes 'held')."""
    services.record_attendance(
        meeting,
        [services.AttendanceEntry("present", person=m.person, member=m) for m in members],
    )
