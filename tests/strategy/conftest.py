"""A small strategy to test the reporting cycle on: two partners on one commitment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from saferboard.core.models import Organisation, Role, User
from saferboard.strategy.models import Commitment, Priority, ReportingRound, Strategy
from saferboard.strategy.services import open_round
from tests.factories import OrganisationFactory, PartnershipFactory, make_user

PDF = b"%PDF-1.4\n% evidence\n"


@dataclass
class World:
    strategy: Strategy
    priority: Priority
    commitment: Commitment
    other_commitment: Commitment
    police: Organisation
    council: Organisation
    coordinator: User
    police_lead: User
    council_lead: User
    board_member: User

    def open(self, fy: int = 2021, quarter: int = 1, **kwargs) -> ReportingRound:  # type: ignore[no-untyped-def]
        kwargs.setdefault("deadline", date(2099, 7, 9))
        kwargs.setdefault("substantive", [self.priority])
        return open_round(
            self.strategy, financial_year=fy, quarter=quarter, actor=self.coordinator, **kwargs
        )


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    police = OrganisationFactory(partnership=partnership, name="Police", slug="police")
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Test strategy",
        start_date=date(2020, 4, 1),
        end_date=date(2023, 3, 31),
    )
    priority = Priority.objects.create(strategy=strategy, number=1, title="Safer places", aim="Aim")
    commitment = Commitment.objects.create(priority=priority, number=1, title="Tackle ASB")
    commitment.contributors.set([police, council])
    other = Commitment.objects.create(priority=priority, number=2, title="Support victims")
    other.contributors.set([police])
    return World(
        strategy=strategy,
        priority=priority,
        commitment=commitment,
        other_commitment=other,
        police=police,
        council=council,
        coordinator=make_user(Role.COORDINATOR, organisation=council, username="coord"),
        police_lead=make_user(Role.PARTNER_LEAD, organisation=police, username="plead"),
        council_lead=make_user(Role.PARTNER_LEAD, organisation=council, username="clead"),
        board_member=make_user(Role.BOARD_MEMBER, organisation=council, username="board"),
    )
