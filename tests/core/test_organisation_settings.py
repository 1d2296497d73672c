"""Organisation set-up pages: add, change, retire; who may; audited (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import (
    AuditAction,
    AuditEvent,
    Organisation,
    OrganisationType,
    Role,
)
from saferboard.core.organisation_settings import unique_slug
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory


@pytest.fixture
def council(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(
        partnership=PartnershipFactory(), name="Exampleton Council", slug="exampleton-council"
    )


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def new_organisation(**overrides: str) -> dict[str, str]:
    return {
        "name": "Exampleton Youth Justice Service",
        "type": OrganisationType.YOUTH_JUSTICE,
        "parent": "",
        "start_date": "1/4/2024",
        **overrides,
    }


def test_an_administrator_adds_an_organisation(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    client = signed_in(admin)
    listing = client.get(reverse("core:organisations")).content.decode()
    assert "Add an organisation" in listing
    form = client.get(reverse("core:organisation-create"))
    assert form.status_code == 200 and "<title>Add an organisation" in form.content.decode()
    response = client.post(
        reverse("core:organisation-create"),
        new_organisation(parent=str(council.pk), is_responsible_authority="on"),
    )
    created = Organisation.objects.get(name="Exampleton Youth Justice Service")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:organisation", args=[created.slug])
    assert created.slug == "exampleton-youth-justice-service"
    assert created.partnership == council.partnership
    assert created.parent == council and created.is_responsible_authority
    assert created.start_date == date(2024, 4, 1)
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(created.pk))
    assert event.actor == admin
    assert event.detail["before"]["name"] is None
    assert event.detail["after"]["name"] == "Exampleton Youth Justice Service"
    assert event.detail["after"]["parent"] == "Exampleton Council"
    page = client.get(response["Location"]).content.decode()
    assert "Exampleton Council" in page and "Change the organisation" in page


def test_a_coordinator_may_add_organisations(make_user, council) -> None:
    coordinator = make_user(Role.COORDINATOR, organisation=council)
    response = signed_in(coordinator).post(
        reverse("core:organisation-create"), new_organisation(type=OrganisationType.AMBULANCE)
    )
    assert response.status_code == 302
    assert Organisation.objects.get(type=OrganisationType.AMBULANCE)


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.ANALYST, Role.BOARD_MEMBER])
def test_others_are_refused(make_user, council, role: str) -> None:
    client = signed_in(make_user(role, organisation=council))
    assert "Add an organisation" not in client.get(reverse("core:organisations")).content.decode()
    assert client.get(reverse("core:organisation-create")).status_code == 403
    assert client.post(reverse("core:organisation-create"), new_organisation()).status_code == 403
    edit = reverse("core:organisation-edit", args=[council.slug])
    assert client.get(edit).status_code == 403
    assert client.post(edit, new_organisation(name="Hijacked")).status_code == 403
    council.refresh_from_db()
    assert council.name == "Exampleton Council"
    assert not Organisation.objects.filter(name__startswith="Exampleton Youth").exists()


def test_errors_are_shown_in_govuk_style(make_user, council) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR, organisation=council))
    response = client.post(
        reverse("core:organisation-create"),
        new_organisation(name="exampleton council", type="", start_date="31/02/2024"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "<title>Error: Add an organisation" in html
    assert "There is already an organisation called exampleton council" in html
    assert "Select the type of organisation" in html
    assert "must be a real date" in html


def test_edit_keeps_the_slug_and_audits_before_and_after(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    response = signed_in(admin).post(
        reverse("core:organisation-edit", args=[council.slug]),
        new_organisation(
            name="Exampleton Borough Council", type=OrganisationType.COUNCIL, start_date="1/4/2015"
        ),
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.name == "Exampleton Borough Council" and council.slug == "exampleton-council"
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(council.pk))
    assert event.detail["before"] == {"name": "Exampleton Council"}
    assert event.detail["after"] == {"name": "Exampleton Borough Council"}


def test_retiring_sets_an_end_date_and_keeps_the_organisation(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    probation = OrganisationFactory(
        partnership=council.partnership,
        name="Probation",
        slug="probation",
        type=OrganisationType.PROBATION,
    )
    client = signed_in(admin)
    response = client.post(
        reverse("core:organisation-edit", args=["probation"]),
        new_organisation(
            name="Probation",
            type=OrganisationType.PROBATION,
            start_date="1/4/2015",
            end_date="31/3/2025",
        ),
    )
    assert response.status_code == 302
    probation.refresh_from_db()
    assert probation.end_date == date(2025, 3, 31)
    assert "Left 31 Mar 2025" in client.get(reverse("core:organisations")).content.decode()
    assert "Left 31 Mar 2025" in client.get(response["Location"]).content.decode()
    event = AuditEvent.objects.get(object_id=str(probation.pk), action=AuditAction.SETTINGS_CHANGE)
    assert event.detail["before"] == {"end_date": None}
    assert event.detail["after"] == {"end_date": "2025-03-31"}


def test_end_before_start_is_refused(make_user, council) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR, organisation=council))
    response = client.post(
        reverse("core:organisation-edit", args=[council.slug]),
        new_organisation(name="Exampleton Council", start_date="1/4/2015", end_date="1/1/2010"),
    )
    assert response.status_code == 200
    assert "must be on or after the day it joined" in response.content.decode()


def test_an_organisation_cannot_be_part_of_itself_or_its_parts(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    department = OrganisationFactory(
        partnership=council.partnership, name="Housing", slug="housing", parent=council
    )
    client = signed_in(admin)
    for parent in (council, department):
        response = client.post(
            reverse("core:organisation-edit", args=[council.slug]),
            new_organisation(name="Exampleton Council", parent=str(parent.pk)),
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    council.refresh_from_db()
    assert council.parent is None


def test_slugs_are_unique_and_never_a_page_name(council) -> None:
    partnership = council.partnership
    assert unique_slug(partnership, "Exampleton Council") == "exampleton-council-2"
    assert unique_slug(partnership, "Exampleton Council", exclude_pk=council.pk) == (
        "exampleton-council"
    )
    assert unique_slug(partnership, "Add") == "add-2"


def test_without_a_partnership_the_page_says_what_is_missing(db) -> None:  # type: ignore[no-untyped-def]
    admin = UserFactory(is_superuser=True)  # no person, organisation or partnership
    response = signed_in(admin).get(reverse("core:organisation-create"))
    assert response.status_code == 200
    assert "There is no partnership yet" in response.content.decode()


def test_a_slug_in_two_partnerships_is_not_a_server_error(make_user, council) -> None:
    OrganisationFactory(partnership=PartnershipFactory(), name="Other", slug=council.slug)
    client = signed_in(make_user(Role.ADMINISTRATOR, organisation=council))
    for name in ("core:organisation", "core:organisation-edit", "core:organisation-people"):
        response = client.get(reverse(name, args=[council.slug]))
        assert response.status_code == 200, name
        assert "Exampleton Council" in response.content.decode()
    assert client.get(reverse("core:organisation", args=["no-such"])).status_code == 404
