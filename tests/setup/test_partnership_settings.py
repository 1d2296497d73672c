"""The partnership settings page: administrators only, validation in GOV.UK style, and
every change audited before and after."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import AuditAction, AuditEvent, Partnership, Role
from saferboard.strategy.models import Priority, Strategy
from tests.factories import AreaFactory, OrganisationFactory, PartnershipFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership() -> Partnership:
    bromley = AreaFactory(code="E09000006", name="Bromley")
    return PartnershipFactory(name="Safer Bromley", local_authority=bromley)


@pytest.fixture
def admin(partnership: Partnership):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMINISTRATOR, organisation=OrganisationFactory(partnership=partnership))


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Safer Bromley",
        "local_authority": "E09000006",
        "crime_source": "",
        "financial_year_start": "4",
    }
    data.update(changes)
    return data


def test_only_administrators_may_open_it(client, partnership: Partnership) -> None:  # type: ignore[no-untyped-def]
    org = OrganisationFactory(partnership=partnership)
    for role in (Role.COORDINATOR, Role.ANALYST, Role.PARTNER_LEAD):
        client.force_login(make_user(role, organisation=org))
        assert client.get("/settings/partnership/").status_code == 403
        assert client.post("/settings/partnership/", form_data(name="Mine")).status_code == 403
    partnership.refresh_from_db()
    assert partnership.name == "Safer Bromley"


def test_the_page_shows_the_settings_and_says_when_there_is_no_strategy(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    response = client.get("/settings/partnership/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Partnership settings – Saferboard</title>" in page
    assert 'value="Safer Bromley"' in page
    assert '<option value="E09000006" selected>Bromley (E09000006)</option>' in page
    assert "Metropolitan Police Service" in page  # every force is offered
    assert "Automatic: the Met&#x27;s recorded crime for a London borough" in page
    assert "No strategy yet" in page


def test_a_change_is_saved_and_audited_before_and_after(client, partnership, admin) -> None:  # type: ignore[no-untyped-def]
    strategy = Strategy.objects.create(
        partnership=partnership, title="S", start_date=date(2025, 4, 1), end_date=date(2028, 3, 31)
    )
    one = Priority.objects.create(
        strategy=strategy, number=1, title="Violence", substantive_quarter=1
    )
    two = Priority.objects.create(strategy=strategy, number=2, title="ASB")
    client.force_login(admin)
    page = client.get("/settings/partnership/").content.decode()
    assert "Priority 1: Violence" in page and "Priority 2: ASB" in page

    response = client.post(
        "/settings/partnership/",
        form_data(
            name="Safer Bromley Partnership",
            forces=["metropolitan"],
            crime_source="police-uk",
            financial_year_start="1",
            **{f"priority_{one.pk}": "1", f"priority_{two.pk}": "3"},
        ),
    )
    assert response.status_code == 302

    partnership.refresh_from_db()
    assert partnership.name == "Safer Bromley Partnership"
    assert [f.code for f in partnership.forces.all()] == ["metropolitan"]
    assert (partnership.crime_source, partnership.financial_year_start) == ("police-uk", 1)
    two.refresh_from_db()
    assert two.substantive_quarter == 3
    event = AuditEvent.objects.get(object_type="core.Partnership")
    assert event.action == AuditAction.SETTINGS_CHANGE
    assert event.actor == admin
    assert event.detail["before"] == {
        "crime_source": "",
        "financial_year_start": 4,
        "forces": [],
        "name": "Safer Bromley",
    }
    assert event.detail["after"] == {
        "crime_source": "police-uk",
        "financial_year_start": 1,
        "forces": ["Metropolitan Police Service (metropolitan)"],
        "name": "Safer Bromley Partnership",
    }
    # Only the priority that changed is audited.
    priority_event = AuditEvent.objects.get(object_type="strategy.Priority")
    assert priority_event.object_id == str(two.pk)
    assert priority_event.detail["before"] == {"substantive_quarter": None}
    assert priority_event.detail["after"] == {"substantive_quarter": 3}

    # Saving again unchanged audits nothing.
    client.post(
        "/settings/partnership/",
        form_data(
            name="Safer Bromley Partnership", forces=["metropolitan"], crime_source="police-uk",
            financial_year_start="1", **{f"priority_{one.pk}": "1", f"priority_{two.pk}": "3"},
        ),
    )  # fmt: skip
    assert AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).count() == 2


def test_errors_are_shown_in_a_govuk_error_summary(client, partnership, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    response = client.post(
        "/settings/partnership/",
        form_data(name="  ", local_authority="E06000023", crime_source="mps"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Partnership settings – Saferboard</title>" in page
    assert "govuk-error-summary" in page
    assert 'href="#id_name"' in page
    assert "The Met&#x27;s recorded crime covers only the 32 London boroughs" in page
    response = client.post("/settings/partnership/", form_data(local_authority="X99"))
    assert "Choose a local authority from the list" in response.content.decode()
    page = client.get("/settings/partnership/").content.decode()
    assert '<option value="E06000023">City of Bristol (E06000023)</option>' in page
    partnership.refresh_from_db()
    assert partnership.local_authority.code == "E09000006"
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


def test_choosing_another_local_authority_creates_its_area(client, partnership, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    client.post("/settings/partnership/", form_data(local_authority="E06000023"))
    partnership.refresh_from_db()
    assert partnership.local_authority.name == "Bristol, City of"
    event = AuditEvent.objects.get(object_type="core.Partnership")
    assert event.detail["before"] == {"local_authority": "Bromley (E09000006)"}
    assert event.detail["after"] == {"local_authority": "Bristol, City of (E06000023)"}
