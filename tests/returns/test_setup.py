"""Setting up data-return templates in the browser: pages, refusals, audit, checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from saferboard.core.models import (
    Area,
    AuditAction,
    AuditEvent,
    Organisation,
    Partnership,
    Role,
    User,
)
from saferboard.core.periods import Period, PeriodKind
from saferboard.measures.models import Measure, SourceKind
from saferboard.returns import setup
from saferboard.returns.models import Channel, ReturnTemplate, TemplateMeasure
from saferboard.returns.services import ReturnRequest, submit_return
from saferboard.returns.validation import MeasureRule, RawEntry, validate_return
from tests.factories import OrganisationFactory, PartnershipFactory, make_user
from tests.returns.factories import borough, make_template


@dataclass
class Setting:
    partnership: Partnership
    organisation: Organisation
    admin: User
    coordinator: User
    lead: User


@pytest.fixture
def setting(db) -> Setting:  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory(local_authority=borough())
    organisation = OrganisationFactory(partnership=partnership, name="Victim Support")
    return Setting(
        partnership,
        organisation,
        make_user(Role.ADMINISTRATOR, organisation=organisation, username="admin"),
        make_user(Role.COORDINATOR, organisation=organisation, username="coord"),
        make_user(Role.PARTNER_LEAD, organisation=organisation, username="lead"),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changes(obj: object) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.SETTINGS_CHANGE,
            object_type=obj._meta.label,  # type: ignore[attr-defined]
            object_id=str(obj.pk),  # type: ignore[attr-defined]
        ).order_by("pk")
    )


NEW = {
    "name": "Victim referrals",
    "frequency": "monthly",
    "first_period_start": "2025-04-01",
    "due_days": "10",
    "guidance": "Referrals from the borough.",
}


def test_coordinator_creates_a_template_with_fields_and_retires_it(setting) -> None:  # type: ignore[no-untyped-def]
    client = client_for(setting.coordinator)
    assert client.get(reverse("returns:template-settings")).status_code == 200
    assert client.get(reverse("returns:template-create")).status_code == 200
    response = client.post(
        reverse("returns:template-create"),
        {**NEW, "organisation": setting.organisation.pk, "area": borough().pk},
    )
    template = ReturnTemplate.objects.get(name="Victim referrals")
    assert response.status_code == 302
    assert response["Location"] == reverse("returns:template-edit", args=[template.slug])
    assert template.organisation == setting.organisation and template.due_days == 10
    created = changes(template)
    assert len(created) == 1 and created[0].actor == setting.coordinator
    assert created[0].detail["before"]["name"] is None
    assert created[0].detail["after"]["name"] == "Victim referrals"

    # A new data-return measure, made inline, with bounds.
    add = reverse("returns:template-field-add", args=[template.slug])
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "new_label": "Victims offered restorative justice",
            "new_unit": "count",
            "required": "on",
            "integer": "on",
            "minimum": "0",
            "maximum": "500",
            "change_threshold_pct": "50",
            "hint": "Count each victim once",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(label="Victims offered restorative justice")
    assert measure.source_kind == SourceKind.PARTNER_RETURN
    assert measure.rag_rule is not None
    first = TemplateMeasure.objects.get(template=template, measure=measure)
    assert (first.maximum, first.hint, first.position) == (
        Decimal(500),
        "Count each victim once",
        0,
    )
    assert changes(measure) and changes(first)

    # An existing measure, then reorder: the second moves up.
    existing = Measure.objects.create(
        source_kind=SourceKind.PARTNER_RETURN, slug="victim-referrals", label="Victim referrals"
    )
    client.post(add, {"measure": existing.pk, "new_unit": "count", "required": "on"})
    second = TemplateMeasure.objects.get(template=template, measure=existing)
    assert second.position == 1 and not second.integer  # the box was left unticked
    move = reverse("returns:template-field-move", args=[template.slug, second.pk])
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert setup.field_order(template) == ["victim-referrals", measure.slug]
    moved = changes(template)[-1]
    assert moved.detail["after"] == {"fields": ["victim-referrals", measure.slug]}

    # Edit a field's checks.
    edit = reverse("returns:template-field-edit", args=[template.slug, second.pk])
    page = client.get(edit)
    assert page.status_code == 200 and "Victim referrals" in page.content.decode()
    client.post(edit, {"required": "on", "integer": "on", "maximum": "1000"})
    second.refresh_from_db()
    assert second.integer and second.maximum == Decimal(1000)
    edited = changes(second)[-1]
    assert edited.detail["before"]["maximum"] is None and edited.detail["after"]["maximum"]

    # The edit page lists the fields with their checks in words.
    page = client.get(reverse("returns:template-edit", args=[template.slug])).content.decode()
    assert "at most 1000" in page and "at most 500" in page

    # Retire: the template stays, with its submissions, no longer asked for.
    response = client.post(reverse("returns:template-retire", args=[template.slug]))
    assert response.status_code == 302
    template.refresh_from_db()
    assert not template.active and template.retired_on is not None
    assert changes(template)[-1].detail["after"]["active"] is False
    listing = client.get(reverse("returns:template-settings")).content.decode()
    assert "Retired" in listing


def test_template_edit_is_audited_before_and_after(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    client = client_for(setting.admin)
    url = reverse("returns:template-edit", args=[template.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **NEW,
            "name": "Victim referrals (monthly)",
            "organisation": setting.organisation.pk,
            "area": borough().pk,
            "first_period_start": "2024-04-01",
            "due_days": "20",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.due_days == 20 and template.slug == "victim-support-referrals"
    event = changes(template)[-1]
    assert event.actor == setting.admin
    assert event.detail["before"]["due_days"] == 10 and event.detail["after"]["due_days"] == 20
    assert event.detail["before"]["name"] == "Victim referrals"


def test_others_are_refused(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    item = template.items.first()
    assert item is not None
    urls = [
        ("get", reverse("returns:template-settings")),
        ("get", reverse("returns:template-create")),
        ("get", reverse("returns:template-edit", args=[template.slug])),
        ("post", reverse("returns:template-retire", args=[template.slug])),
        ("get", reverse("returns:template-field-add", args=[template.slug])),
        ("get", reverse("returns:template-field-edit", args=[template.slug, item.pk])),
        ("post", reverse("returns:template-field-move", args=[template.slug, item.pk])),
        ("post", reverse("returns:template-field-remove", args=[template.slug, item.pk])),
    ]
    for role in (Role.PARTNER_LEAD, Role.ANALYST, Role.BOARD_MEMBER, Role.PANEL_MEMBER):
        client = client_for(make_user(role, organisation=setting.organisation))
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (role, url)
    assert Client().get(urls[0][1]).status_code == 302  # signed out: to the sign-in page
    template.refresh_from_db()
    assert template.active and template.items.count() == 3
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


def test_missing_set_up_is_named_and_linked(db) -> None:  # type: ignore[no-untyped-def]
    """No partnership's local authority and no organisation: the pages say so, never 400/500."""
    partnership = Partnership.objects.create(name="Empty", slug="empty")
    organisation = Organisation.objects.create(
        partnership=partnership, name="Council", slug="council", start_date=date(2020, 1, 1)
    )
    admin = make_user(Role.ADMINISTRATOR, organisation=organisation)
    organisation.end_date = date(2021, 1, 1)
    organisation.save()
    client = client_for(admin)
    page = client.get(reverse("returns:template-settings"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "The partnership and its local authority" in text
    assert "An organisation to make the return" in text
    assert "Add a template" not in text
    response = client.post(reverse("returns:template-create"), NEW)
    assert response.status_code == 200
    assert not ReturnTemplate.objects.exists()


def test_form_errors_are_shown_not_stored(setting) -> None:  # type: ignore[no-untyped-def]
    client = client_for(setting.admin)
    response = client.post(reverse("returns:template-create"), {"due_days": "-1"})
    text = response.content.decode()
    assert response.status_code == 200 and "Error:" in text
    assert "Enter the template&#x27;s name" in text or "Enter the template's name" in text
    assert "Choose the organisation that makes the return" in text
    assert not ReturnTemplate.objects.exists()

    template = make_template(setting.organisation)
    add = reverse("returns:template-field-add", args=[template.slug])
    # Neither an existing measure nor a new name.
    response = client.post(add, {"new_unit": "count"})
    assert "Choose a measure, or enter a new measure" in response.content.decode()
    # Minimum above maximum.
    response = client.post(
        add, {"new_label": "Calls", "new_unit": "count", "minimum": "10", "maximum": "5"}
    )
    assert "The maximum must be at least the minimum" in response.content.decode()
    assert not Measure.objects.filter(label="Calls").exists()  # all or nothing
    # A negative bound without negatives allowed.
    response = client.post(add, {"new_label": "Calls", "new_unit": "count", "minimum": "-3"})
    assert "cannot be below 0" in response.content.decode()
    assert template.items.count() == 3


def test_a_measure_goes_on_one_live_template_per_area(setting) -> None:  # type: ignore[no-untyped-def]
    first = make_template(setting.organisation)
    second = setup.create_template(
        setup.TemplateDetails(
            name="Other",
            organisation=setting.organisation,
            area=borough(),
            frequency="monthly",
            first_period_start=date(2025, 4, 1),
            due_days=5,
        ),
        by=setup.Actor(setting.admin),
    )
    measure = first.items.first().measure  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="already returned on Victim referrals"):
        setup.add_field(second, measure, setup.FieldChecks(), by=setup.Actor(setting.admin))
    with pytest.raises(ValidationError, match="already on this template"):
        setup.add_field(first, measure, setup.FieldChecks(), by=setup.Actor(setting.admin))
    crime = Measure.objects.create(source_kind=SourceKind.POLICE_UK, slug="burglary", label="B")
    with pytest.raises(ValidationError, match="not a data-return measure"):
        setup.add_field(second, crime, setup.FieldChecks(), by=setup.Actor(setting.admin))
    setup.retire_template(first, by=setup.Actor(setting.admin))
    assert setup.add_field(second, measure, setup.FieldChecks(), by=setup.Actor(setting.admin))


def test_removing_a_field_keeps_returned_values(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    period = Period.containing(date(2024, 5, 1), PeriodKind.MONTH)
    submission = submit_return(
        ReturnRequest(
            template=template,
            period=period,
            entries={"victim-referrals": RawEntry(10), "victims-offered-rj": RawEntry(2)},
            user=setting.coordinator,
            channel=Channel.WEB,
        )
    )
    item = template.items.get(measure__slug="victims-offered-rj")
    client = client_for(setting.coordinator)
    url = reverse("returns:template-field-remove", args=[template.slug, item.pk])
    assert client.post(url).status_code == 302
    assert setup.field_order(template) == ["victim-referrals", "call-blockers-installed"]
    assert submission.values.filter(measure__slug="victims-offered-rj", value=2).exists()
    removed = changes(item)[-1]
    assert removed.detail["after"]["measure"] is None
    assert removed.detail["before"]["measure"] == "Victims offered restorative justice"
    # Retiring keeps the submission too.
    client.post(reverse("returns:template-retire", args=[template.slug]))
    assert template.submissions.count() == 1


def test_moving_past_either_end_changes_nothing(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    order = setup.field_order(template)
    first, last = template.items.order_by("position")[0], template.items.order_by("-position")[0]
    by = setup.Actor(setting.admin)
    assert not setup.move_field(first, -1, by=by) and not setup.move_field(last, 1, by=by)
    assert setup.field_order(template) == order
    assert not changes(template)


def test_minimum_and_maximum_checked_on_returns(setting) -> None:  # type: ignore[no-untyped-def]
    rules = [MeasureRule("calls", "Calls", minimum=Decimal(2), maximum=Decimal("10.5"))]
    _, low = validate_return(rules, {"calls": RawEntry("1")}, {})
    _, high = validate_return(rules, {"calls": RawEntry("11")}, {})
    clean, fine = validate_return(rules, {"calls": RawEntry("10")}, {})
    assert [p.message for p in low] == ["Calls must be 2 or more"]
    assert [p.message for p in high] == ["Calls must be 10.5 or less"]
    assert not fine and clean["calls"].value == 10
    # Through the template: a maximum set in the settings refuses a return above it.
    template = make_template(setting.organisation)
    item = template.items.get(measure__slug="victim-referrals")
    setup.update_field(item, setup.FieldChecks(maximum=Decimal(100)), by=setup.Actor(setting.admin))
    client = client_for(setting.lead)
    url = reverse("returns:period", args=[template.slug, "2024-05"])
    response = client.post(url, {"value_victim-referrals": "150", "value_victims-offered-rj": "1"})
    assert "Victim referrals must be 100 or less" in response.content.decode()
    assert not template.submissions.exists()


def test_the_returns_page_links_to_settings_for_those_who_may(setting) -> None:  # type: ignore[no-untyped-def]
    link = reverse("returns:template-settings")
    assert link in client_for(setting.coordinator).get(reverse("returns:index")).content.decode()
    analyst = make_user(Role.ANALYST, organisation=setting.organisation)
    assert link not in client_for(analyst).get(reverse("returns:index")).content.decode()


def test_accepted_returns_fix_the_frequency_area_and_first_period(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    submit_return(
        ReturnRequest(
            template=template,
            period=Period.containing(date(2024, 6, 1), PeriodKind.MONTH),
            entries={"victim-referrals": RawEntry(10), "victims-offered-rj": RawEntry(2)},
            user=setting.coordinator,
            channel=Channel.WEB,
        )
    )
    client = client_for(setting.admin)
    url = reverse("returns:template-edit", args=[template.slug])
    base = {
        **NEW,
        "organisation": setting.organisation.pk,
        "area": borough().pk,
        "first_period_start": "2024-04-01",
    }
    for change, message in [
        ({"frequency": "quarterly"}, "so the frequency stays"),
        ({"first_period_start": "2024-07-01"}, "cannot start after the first accepted return"),
    ]:
        response = client.post(url, {**base, **change})
        assert response.status_code == 200 and message in response.content.decode()
    ward = Area.objects.create(code="E05000001", name="A ward", kind="ward", parent=borough())
    response = client.post(url, {**base, "area": ward.pk})
    assert "so the area stays" in response.content.decode()
    template.refresh_from_db()
    assert template.frequency == "monthly" and template.first_period_start == date(2024, 4, 1)
    # Moving the first period earlier, or renaming, is fine.
    response = client.post(url, {**base, "first_period_start": "2024-01-01", "due_days": "12"})
    assert response.status_code == 302


def test_the_edit_page_shows_dates_it_reads_back(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    client = client_for(setting.admin)
    url = reverse("returns:template-edit", args=[template.slug])
    assert 'value="1/4/2024"' in client.get(url).content.decode()
    posted = {
        "name": template.name,
        "organisation": setting.organisation.pk,
        "area": borough().pk,
        "frequency": "monthly",
        "first_period_start": "1/4/2024",
        "due_days": "10",
        "guidance": "",
    }
    response = client.post(url, posted, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert not changes(template)


def test_a_retired_template_can_be_asked_for_again(setting) -> None:  # type: ignore[no-untyped-def]
    template = make_template(setting.organisation)
    client = client_for(setting.coordinator)
    url = reverse("returns:template-retire", args=[template.slug])
    client.post(url)
    template.refresh_from_db()
    assert not template.active
    page = client.get(reverse("returns:template-edit", args=[template.slug])).content.decode()
    assert "Ask for this return again" in page
    client.post(url, {"reinstate": "1"})
    template.refresh_from_db()
    assert template.active and template.retired_on is None
    last = changes(template)[-1]
    assert last.detail["before"]["active"] is False and last.detail["after"]["active"] is True
