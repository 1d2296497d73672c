"""The first-use checklist, counted by hand on a small partnership, and on the home page."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Membership, Person, Role, User
from saferboard.measures.models import Measure, SourceKind
from saferboard.meetings.boards import create_board
from saferboard.meetings.models import BoardKind
from saferboard.setup.checklist import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Counts,
    checklist,
    tasks_from,
)
from saferboard.strategy.models import Priority, ReportingRound, Strategy
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def statuses(result) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {t.key: (t.status, t.detail) for t in result.tasks}


def test_counts_make_statuses_without_a_database() -> None:
    result = tasks_from(Counts(1, 0, 1, 0, 0, 5, 0))
    assert statuses(result) == {
        "organisations": (IN_PROGRESS, "1 organisation"),
        "people": (NOT_STARTED, "0 people"),
        "strategy": (IN_PROGRESS, "1 strategy, 0 priorities"),
        "boards": (NOT_STARTED, "0 boards"),
        "measures": (COMPLETED, "5 measures"),
        "round": (NOT_STARTED, "0 reporting rounds"),
    }
    assert (result.done, result.total, result.complete) == (1, 6, False)


def test_a_small_partnership_counted_by_hand() -> None:
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership, start_date=date(2020, 1, 1))
    # Counted: the council. Not counted: a partner that left, one not yet joined.
    OrganisationFactory(partnership=partnership, end_date=date(2021, 3, 31))
    OrganisationFactory(partnership=partnership, start_date=date(2027, 1, 1))
    make_user(Role.ADMINISTRATOR, organisation=council)
    # Not counted: a person with no role, and one whose role has ended.
    Person.objects.create(full_name="No Role", organisation=council)
    former = Person.objects.create(full_name="Former", organisation=council)
    Membership.objects.create(
        person=former, organisation=council, role=Role.COORDINATOR,
        start_date=date(2020, 1, 1), end_date=date(2025, 1, 1),
    )  # fmt: skip
    strategy = Strategy.objects.create(
        partnership=partnership, title="S", start_date=date(2025, 4, 1), end_date=date(2028, 3, 31)
    )
    Priority.objects.create(strategy=strategy, number=1, title="Old", retired_on=date(2026, 1, 1))
    Measure.objects.all().delete()
    Measure.objects.create(slug="m", source_kind=SourceKind.MANUAL, label="M")

    result = checklist(partnership, TODAY)
    assert statuses(result) == {
        "organisations": (IN_PROGRESS, "1 organisation"),
        "people": (IN_PROGRESS, "1 person"),
        "strategy": (IN_PROGRESS, "1 strategy, 0 priorities"),
        "boards": (NOT_STARTED, "0 boards"),
        "measures": (COMPLETED, "1 measure"),
        "round": (NOT_STARTED, "0 reporting rounds"),
    }
    assert result.done == 1

    police = OrganisationFactory(partnership=partnership, start_date=date(2020, 1, 1))
    make_user(Role.PARTNER_LEAD, organisation=police)
    priority = Priority.objects.create(strategy=strategy, number=2, title="Violence")
    create_board(partnership, "Safer Board", BoardKind.PARTNERSHIP)
    ReportingRound.objects.create(
        strategy=strategy, financial_year=2026, quarter=1, deadline=date(2026, 7, 1)
    ).substantive_priorities.add(priority)

    result = checklist(partnership, TODAY)
    assert statuses(result) == {
        "organisations": (COMPLETED, "2 organisations"),
        "people": (COMPLETED, "2 people"),
        "strategy": (COMPLETED, "1 strategy, 1 priority"),
        "boards": (COMPLETED, "1 board"),
        "measures": (COMPLETED, "1 measure"),
        "round": (COMPLETED, "1 reporting round"),
    }
    assert result.complete


def test_the_home_page_shows_administrators_the_checklist(client) -> None:  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership)
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    coordinator = make_user(Role.COORDINATOR, organisation=council)

    client.force_login(admin)
    page = client.get("/").content.decode()
    assert "Set up your partnership" in page
    assert "govuk-task-list" in page
    assert "of 6 done" in page
    assert 'href="/organisations/"' in page  # each task links to where it is done
    assert "2 people" in page

    client.force_login(coordinator)
    assert "govuk-task-list" not in client.get("/").content.decode()


def test_a_home_page_with_no_partnership_says_to_run_init(client) -> None:  # type: ignore[no-untyped-def]
    # An account with no person, hence no partnership: a superuser made by hand.
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "saferboard init" in response.content.decode()


def test_others_see_where_the_strategy_is_set_up(client) -> None:  # type: ignore[no-untyped-def]
    council = OrganisationFactory(partnership=PartnershipFactory())
    client.force_login(make_user(Role.PARTNER_LEAD, organisation=council))
    page = client.get("/").content.decode()
    assert "No strategy has been set up yet" in page
    assert 'href="/strategy/"' in page.split('id="main-content"')[1]


def test_the_demo_is_fully_set_up(demo, client) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.partnerships import current_partnership

    result = checklist(current_partnership())
    assert result.complete, statuses(result)
    client.force_login(User.objects.get(username="administrator"))
    assert "govuk-task-list" not in client.get("/").content.decode()
