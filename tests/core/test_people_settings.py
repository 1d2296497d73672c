"""People set-up pages: add, change, roles over time, deactivation; who may (issue 16)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferboard.core.models import AuditAction, AuditEvent, Membership, Person, Role
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory


@pytest.fixture
def council(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(partnership=PartnershipFactory(), name="Council", slug="council")


@pytest.fixture
def police(council):  # type: ignore[no-untyped-def]
    return OrganisationFactory(partnership=council.partnership, name="Police", slug="police")


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def details(organisation, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "full_name": "Priya Shah",
        "job_title": "Inspector",
        "email": "priya.shah@police.example",
        "phone": "",
        "organisation": str(organisation.pk),
        **overrides,
    }


def test_an_administrator_adds_a_person_audited(make_user, council, police) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    client = signed_in(admin)
    assert "Add a person" in client.get(reverse("core:people")).content.decode()
    assert client.get(reverse("core:person-create")).status_code == 200
    response = client.post(reverse("core:person-create"), details(police))
    person = Person.objects.get(full_name="Priya Shah")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:person-edit", args=[person.pk])
    assert person.user is None and person.organisation == police
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(person.pk))
    assert event.actor == admin
    assert event.detail["after"]["email"] == "priya.shah@police.example"
    assert event.detail["before"]["full_name"] is None
    page = client.get(response["Location"]).content.decode()
    assert "Priya Shah" in page and "No account" in page and "Invite by email" in page


def test_a_coordinator_adds_people_but_never_administrators(make_user, council, police) -> None:
    coordinator = make_user(Role.COORDINATOR, organisation=council)
    client = signed_in(coordinator)
    assert client.get(reverse("core:people")).status_code == 200
    client.post(reverse("core:person-create"), details(police))
    person = Person.objects.get(full_name="Priya Shah")
    form = client.get(reverse("core:person-role-add", args=[person.pk])).content.decode()
    assert 'value="partner_lead"' in form and 'value="administrator"' not in form
    refused = client.post(
        reverse("core:person-role-add", args=[person.pk]),
        {"organisation": police.pk, "role": Role.ADMINISTRATOR},
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not person.memberships.exists()
    added = client.post(
        reverse("core:person-role-add", args=[person.pk]),
        {"organisation": police.pk, "role": Role.PARTNER_LEAD},
    )
    assert added.status_code == 302
    assert person.memberships.get().role == Role.PARTNER_LEAD


def test_a_coordinator_cannot_change_an_administrator(make_user, council) -> None:
    coordinator = make_user(Role.COORDINATOR, organisation=council)
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    client = signed_in(coordinator)
    person = admin.person
    edit = reverse("core:person-edit", args=[person.pk])
    assert "Only an administrator can change" in client.get(edit).content.decode()
    assert client.post(edit, details(council, full_name="Renamed")).status_code == 403
    assert client.post(reverse("core:person-deactivate", args=[person.pk])).status_code == 403
    membership = person.memberships.get()
    end = reverse("core:person-role-end", args=[person.pk, membership.pk])
    assert client.post(end).status_code == 403
    assert client.post(reverse("core:person-invite", args=[person.pk])).status_code == 403
    admin.refresh_from_db()
    person.refresh_from_db()
    assert admin.is_active and person.full_name != "Renamed"
    assert person.memberships.get().end_date is None


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.ANALYST, Role.PANEL_MEMBER])
def test_others_are_refused(make_user, council, role: str) -> None:
    user = make_user(role, organisation=council)
    other = PersonFactory(organisation=council)
    client = signed_in(user)
    for name, args in [
        ("core:people", []),
        ("core:person-create", []),
        ("core:person-edit", [other.pk]),
        ("core:person-role-add", [other.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    for name in ("core:person-invite", "core:person-deactivate", "core:person-reactivate"):
        assert client.post(reverse(name, args=[other.pk])).status_code == 403, name
    # Nobody gives themselves a role by posting to their own page either.
    mine = reverse("core:person-role-add", args=[user.person.pk])
    assert (
        client.post(mine, {"organisation": council.pk, "role": Role.ADMINISTRATOR}).status_code
        == 403
    )
    assert not user.person.memberships.filter(role=Role.ADMINISTRATOR).exists()


def test_nobody_changes_their_own_roles(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    client = signed_in(admin)
    me = admin.person
    page = client.get(reverse("core:person-edit", args=[me.pk])).content.decode()
    assert "You cannot change your own roles or deactivate yourself" in page
    assert "End role" not in page and "Deactivate" not in page
    add = client.post(
        reverse("core:person-role-add", args=[me.pk]),
        {"organisation": council.pk, "role": Role.PANEL_MEMBER},
    )
    assert add.status_code == 403
    assert "You cannot change your own roles" in add.content.decode()
    membership = me.memberships.get()
    end = client.post(reverse("core:person-role-end", args=[me.pk, membership.pk]))
    assert end.status_code == 403
    assert client.post(reverse("core:person-deactivate", args=[me.pk])).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active
    assert list(me.memberships.values_list("role", "end_date")) == [(Role.ADMINISTRATOR, None)]
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).exists()


def test_roles_are_added_and_ended_with_history_audited(make_user, council, police) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    person = PersonFactory(organisation=police, full_name="Sam Lee")
    client = signed_in(admin)
    response = client.post(
        reverse("core:person-role-add", args=[person.pk]),
        {"organisation": police.pk, "role": Role.PARTNER_LEAD, "start_date": "1/4/2025"},
    )
    assert response.status_code == 302
    membership = person.memberships.get()
    assert membership.start_date == date(2025, 4, 1) and membership.end_date is None
    added = AuditEvent.objects.get(action=AuditAction.PERMISSION_CHANGE)
    assert added.actor == admin and added.detail["before"]["role"] is None
    assert added.detail["after"]["role"] == Role.PARTNER_LEAD
    # The same role again is refused with a reason.
    again = client.post(
        reverse("core:person-role-add", args=[person.pk]),
        {"organisation": police.pk, "role": Role.PARTNER_LEAD},
    )
    assert "already has this role" in again.content.decode()
    ended = client.post(reverse("core:person-role-end", args=[person.pk, membership.pk]))
    assert ended.status_code == 302
    membership.refresh_from_db()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert membership.end_date == yesterday  # kept, no longer in effect today
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).first()
    assert event is not None
    assert event.detail == {
        "before": {"end_date": None},
        "after": {"end_date": yesterday.isoformat()},
    }
    page = client.get(reverse("core:person-edit", args=[person.pk])).content.decode()
    assert "Past roles" in page and "No current roles" in page


def test_a_role_started_today_is_withdrawn_when_ended(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    person = PersonFactory(organisation=council)
    membership = Membership.objects.create(
        person=person, organisation=council, role=Role.ANALYST, start_date=timezone.localdate()
    )
    signed_in(admin).post(reverse("core:person-role-end", args=[person.pk, membership.pk]))
    assert not person.memberships.exists()
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_CHANGE)
    assert event.detail["before"]["role"] == Role.ANALYST and event.detail["after"]["role"] is None


def test_deactivate_and_reactivate(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    leaver = make_user(Role.PARTNER_LEAD, Role.ANALYST, organisation=council)
    client = signed_in(admin)
    person = leaver.person
    page = client.get(reverse("core:person-edit", args=[person.pk])).content.decode()
    assert "Deactivate" in page
    response = client.post(reverse("core:person-deactivate", args=[person.pk]))
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    yesterday = timezone.localdate() - timedelta(days=1)
    assert set(person.memberships.values_list("end_date", flat=True)) == {yesterday}
    assert Person.objects.filter(pk=person.pk).exists()  # history kept
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).count() == 2
    account = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(person.pk))
    assert account.detail["before"] == {"can_sign_in": True}
    assert account.detail["after"] == {"can_sign_in": False}
    # The deactivated person's session no longer works.
    assert signed_in(leaver).get(reverse("core:home")).status_code == 302
    page = client.get(reverse("core:person-edit", args=[person.pk])).content.decode()
    assert "Deactivated" in page and "Reactivate" in page
    client.post(reverse("core:person-reactivate", args=[person.pk]))
    leaver.refresh_from_db()
    assert leaver.is_active
    assert not leaver.roles()  # roles are given again, not restored


def test_nobody_deactivates_themselves(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    response = signed_in(admin).post(reverse("core:person-deactivate", args=[admin.person.pk]))
    assert response.status_code == 403
    assert "You cannot deactivate yourself" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_editing_details_is_audited_and_keeps_the_account_in_step(
    make_user, council, police
) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    other = make_user(Role.PARTNER_LEAD, organisation=council)
    client = signed_in(admin)
    response = client.post(
        reverse("core:person-edit", args=[other.person.pk]),
        details(police, full_name="Jo Bloggs", email="jo.bloggs@police.example"),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.email == "jo.bloggs@police.example"
    assert (other.first_name, other.last_name) == ("Jo", "Bloggs")
    event = AuditEvent.objects.get(
        action=AuditAction.SETTINGS_CHANGE, object_id=str(other.person.pk)
    )
    assert event.detail["after"]["organisation"] == "Police"
    assert event.detail["after"]["full_name"] == "Jo Bloggs"


def test_a_coordinator_cannot_change_the_email_of_someone_who_can_sign_in(
    make_user, council
) -> None:
    coordinator = make_user(Role.COORDINATOR, organisation=council)
    lead = make_user(Role.PARTNER_LEAD, organisation=council)
    lead.person.email = "lead@council.example"
    lead.person.save()
    client = signed_in(coordinator)
    page = client.get(reverse("core:person-edit", args=[lead.person.pk])).content.decode()
    assert 'name="email"' not in page and "lead@council.example" in page
    assert "Only an administrator can change the email address" in page
    client.post(
        reverse("core:person-edit", args=[lead.person.pk]),
        details(council, full_name=lead.person.full_name, email="attacker@example.org"),
    )
    lead.person.refresh_from_db()
    assert lead.person.email == "lead@council.example"


def test_person_form_errors(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    PersonFactory(organisation=council, email="taken@example.org")
    response = signed_in(admin).post(
        reverse("core:person-create"),
        {**details(council, full_name="", email="TAKEN@example.org"), "organisation": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Add a person" in html
    assert "Enter the person&#x27;s full name" in html
    assert "Someone else already has this email address" in html
    assert "Select the organisation they work for" in html
