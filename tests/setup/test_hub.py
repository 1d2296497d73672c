"""The settings hub: who sees it, its links, and a link whose page is missing."""

from __future__ import annotations

import logging

import pytest

from saferboard.core.models import Role
from saferboard.setup import hub
from tests.factories import OrganisationFactory, PartnershipFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():  # type: ignore[no-untyped-def]
    return OrganisationFactory(partnership=PartnershipFactory())


def test_administrators_see_every_settings_page(client, council) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.ADMINISTRATOR, organisation=council))
    response = client.get("/settings/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Settings – Saferboard</title>" in page
    assert 'href="/settings/partnership/"' in page
    for link in ("/organisations/", "/people/", "/measures/"):
        assert f'href="{link}"' in page
    for _, links in hub.HUB_SECTIONS:
        for link in links:
            assert link.title in page
    # Every settings page the hub names is installed.
    assert "(not available)" not in page
    for link in ("/strategy/settings/", "/meetings/settings/boards/", "/panels/settings/"):
        assert f'href="{link}"' in page
    for link in ("/returns/settings/", "/settings/workbook/"):
        assert f'href="{link}"' in page
    # The navigation offers the hub.
    assert '<a class="govuk-service-navigation__link" href="/settings/"' in page


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALYST])
def test_coordinators_and_analysts_see_the_hub_without_the_partnership_page(
    client, council, role: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role, organisation=council))
    response = client.get("/settings/")
    assert response.status_code == 200
    assert 'href="/settings/partnership/"' not in response.content.decode()


def test_others_are_refused_and_not_offered_the_hub(client, council) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(Role.PARTNER_LEAD, organisation=council))
    assert client.get("/settings/").status_code == 403
    assert 'href="/settings/"' not in client.get("/").content.decode()


def test_a_page_that_is_not_installed_shows_as_not_available_and_is_logged(
    client, council, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    sections = [*hub.HUB_SECTIONS, ("Later", [hub.HubLink("nowhere:page", "Someday", "Not yet.")])]
    monkeypatch.setattr(hub, "HUB_SECTIONS", sections)
    client.force_login(make_user(Role.ADMINISTRATOR, organisation=council))
    with caplog.at_level(logging.ERROR, logger="saferboard.setup.links"):
        response = client.get("/settings/")
    assert response.status_code == 200
    assert 'Someday <span class="govuk-hint govuk-!-display-inline">(not available)</span>' in (
        response.content.decode()
    )
    assert any("nowhere:page" in r.getMessage() for r in caplog.records)


def test_with_no_partnership_the_hub_says_to_run_init(client) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/settings/")
    assert response.status_code == 200
    assert "saferboard init" in response.content.decode()
    assert client.get("/settings/partnership/").status_code == 200
