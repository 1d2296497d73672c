"""Setting panels up in the browser, and the two-person rule for seats (issue 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Organisation, Partnership, Role, User
from saferboard.panels import access, services
from saferboard.panels.models import DEFAULT_FLAGS, Panel, PanelMembership, PanelType
from tests.factories import make_user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def settings_changes(panel: Panel) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.SETTINGS_CHANGE, object_type="panels.Panel", object_id=str(panel.pk)
        ).order_by("pk")
    )


def new_panel(world, **extra: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "type": PanelType.IOM,
        "name": "Integrated Offender Management",
        "schedule": "Monthly, first Monday",
        "legal_basis": "UK GDPR Art. 6(1)(e); Art. 10; Crime and Disorder Act 1998 s.115",
        "isa_reference": "ISA-IOM-1",
        "member_organisations": [world.police.pk, world.council.pk],
        "retention_months": "36",
        "population_key": "",
        **extra,
    }


def test_the_coordinator_sets_up_a_panel_with_no_seats(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["coordinator.council"]
    client = client_for(coordinator)
    assert client.get(reverse("panels:settings")).status_code == 200
    assert client.get(reverse("panels:settings-create")).status_code == 200
    response = client.post(reverse("panels:settings-create"), new_panel(world))
    panel = Panel.objects.get(name="Integrated Offender Management")
    assert response.status_code == 302
    assert response["Location"] == reverse("panels:settings-edit", args=[panel.slug])
    assert panel.type == PanelType.IOM and panel.retention_months == 36
    assert set(panel.member_organisations.all()) == {world.police, world.council}
    assert panel.flags == [str(f) for f in DEFAULT_FLAGS[PanelType.IOM]]  # none ticked
    assert not panel.memberships.exists()  # setting up gives nobody a seat
    assert not access.cases_visible_to(coordinator).filter(panel=panel).exists()
    [created] = settings_changes(panel)
    assert created.actor == coordinator
    assert created.detail["before"]["name"] is None
    assert created.detail["after"]["member_organisations"] == ["Council", "Police"]
    listing = client.get(reverse("panels:settings")).content.decode()
    assert "Integrated Offender Management" in listing
    # The panels page links to the settings for those who may use them.
    assert reverse("panels:settings") in client.get(reverse("panels:index")).content.decode()


def test_a_panel_never_takes_a_reserved_slug(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["administrator.council"])
    client.post(reverse("panels:settings-create"), new_panel(world, name="Settings"))
    assert Panel.objects.get(name="Settings").slug == "settings-2"


def test_editing_is_audited_and_an_organisation_taken_off_loses_its_seats(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["administrator.council"]
    police = world.users["member.police"]
    assert access.cases_visible_to(police).filter(panel=world.panel).exists()
    kept_for = world.panel.retention_months
    client = client_for(admin)
    url = reverse("panels:settings-edit", args=[world.panel.slug])
    page = client.get(url).content.decode()
    assert world.panel.legal_basis[:20] in page
    assert "Alex Example" not in page  # settings never show a case
    response = client.post(
        url,
        {
            "type": world.panel.type,
            "name": world.panel.name,
            "schedule": "Fortnightly, Wednesday",
            "legal_basis": world.panel.legal_basis,
            "isa_reference": "ISA-2",
            "member_organisations": [world.yos.pk, world.council.pk],
            "flags": ["gang", "cse"],
            "retention_months": "18",
            "population_key": "bromley-10-17-2020",
        },
    )
    assert response.status_code == 302
    world.panel.refresh_from_db()
    assert world.panel.schedule == "Fortnightly, Wednesday" and world.panel.flags == ["gang", "cse"]
    event = settings_changes(world.panel)[-1]
    assert event.actor == admin
    assert event.detail["before"]["retention_months"] == kept_for != 18
    assert event.detail["after"]["retention_months"] == 18
    assert "Police" in event.detail["before"]["member_organisations"]
    assert "Police" not in event.detail["after"]["member_organisations"]
    # The police member's seat ended, audited, and putting the police back gives nothing.
    seat = PanelMembership.objects.get(panel=world.panel, person=police.person)
    assert seat.ended_at is not None and seat.ended_by == admin
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, detail__membership=seat.pk
    ).exists()
    world.panel.member_organisations.add(world.police)
    assert not access.cases_visible_to(police).filter(panel=world.panel).exists()


def test_retiring_a_panel_ends_every_seat(world) -> None:  # type: ignore[no-untyped-def]
    coordinator = world.users["member.coordinator"]
    assert access.cases_visible_to(coordinator).exists()
    client = client_for(world.users["coordinator.yos"])
    response = client.post(reverse("panels:settings-retire", args=[world.panel.slug]))
    assert response.status_code == 302
    world.panel.refresh_from_db()
    assert not world.panel.is_active
    assert not world.panel.memberships.filter(ended_at__isnull=True).exists()
    assert not access.cases_visible_to(coordinator).exists()
    assert world.panel.cases.exists()  # kept, under the retention rules
    assert settings_changes(world.panel)[-1].detail["after"]["is_active"] is False


@pytest.mark.parametrize(
    "username",
    ["partner_lead.police", "analyst.council", "board_member.yos", "panel_member.yos", "no.role"],
)
def test_others_are_refused(world, username) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users[username])
    for method, url in [
        ("get", reverse("panels:settings")),
        ("get", reverse("panels:settings-create")),
        ("post", reverse("panels:settings-create")),
        ("get", reverse("panels:settings-edit", args=[world.panel.slug])),
        ("post", reverse("panels:settings-retire", args=[world.panel.slug])),
    ]:
        assert getattr(client, method)(url).status_code == 403, url
    assert reverse("panels:settings") not in client.get(reverse("panels:index")).content.decode()
    world.panel.refresh_from_db()
    assert world.panel.is_active
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


def test_signed_out_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("panels:settings"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_form_errors_are_shown_and_nothing_stored(world) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.users["administrator.council"])
    response = client.post(
        reverse("panels:settings-create"),
        new_panel(world, legal_basis="", retention_months="0", type="nonsense"),
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Error:" in text
    assert "Enter the lawful basis for sharing" in text
    assert "Enter a number of months from 1 to 120" in text
    assert not Panel.objects.filter(name="Integrated Offender Management").exists()


def test_what_is_missing_is_named_and_linked(db) -> None:  # type: ignore[no-untyped-def]
    partnership = Partnership.objects.create(name="Empty", slug="empty")
    organisation = Organisation.objects.create(
        partnership=partnership,
        name="Council",
        slug="council",
        start_date=date(2020, 1, 1),
        end_date=date(2020, 12, 31),
    )
    client = client_for(make_user(Role.ADMINISTRATOR, organisation=organisation))
    page = client.get(reverse("panels:settings"))
    assert page.status_code == 200
    assert "The organisations that sit on panels" in page.content.decode()
    response = client.post(reverse("panels:settings-create"), {"name": "X"})
    assert response.status_code == 200 and not Panel.objects.exists()


def test_a_new_panels_first_chair_needs_two_administrators(world) -> None:  # type: ignore[no-untyped-def]
    """The set-up path: one administrator makes a panel with no chair yet. They cannot
    seat themselves; the chair they ask for is approved by a second administrator;
    the asker, and the person seated, can never approve."""
    first = world.users["administrator.council"]
    second = world.users["administrator.yos"]
    chair = world.users["panel_member.police"]
    client = client_for(first)
    client.post(reverse("panels:settings-create"), new_panel(world))
    panel = Panel.objects.get(name="Integrated Offender Management")
    members = reverse("panels:members", args=[panel.slug])

    # Not for themselves: by the page or the service.
    response = client.post(members, {"person": first.person.pk, "role": "chair"})
    assert "You cannot ask for a seat for yourself" in response.content.decode()
    with pytest.raises(ValidationError):
        services.add_member(panel, person=first.person, role="chair", actor=first)
    assert not panel.memberships.exists()

    # For the chair: asked for, not yet a seat.
    response = client.post(members, {"person": chair.person.pk, "role": "chair"})
    assert response.status_code == 302
    seat = PanelMembership.objects.get(panel=panel, person=chair.person)
    assert seat.approved_at is None and seat.added_by == first
    assert not access.cases_visible_to(chair).filter(panel=panel).exists()
    # Not asked twice.
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.add_member(panel, person=chair.person, role="chair", actor=second)
    # The asker cannot approve, nor can the person seated.
    approve = reverse("panels:member-approve", args=[panel.slug, seat.pk])
    assert client.post(approve).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_member(seat, actor=first)
    with pytest.raises(PermissionDenied):
        services.approve_member(seat, actor=chair)
    # A second administrator approves: now the chair's seat is current.
    assert client_for(second).post(approve).status_code == 302
    seat.refresh_from_db()
    assert seat.approved_by == second and seat.is_current()
    asked, approved = AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, detail__membership=seat.pk
    ).order_by("pk")
    assert (asked.actor, asked.detail["what"]) == (first, "panel seat requested (awaits approval)")
    assert (approved.actor, approved.detail["what"]) == (second, "panel seat approved")
    assert approved.detail["asked_by"] == first.pk

    # The chair asks for a member's seat; the chair cannot approve their own request,
    # the first administrator can.
    member = world.users["partner_lead.council"]
    asked_by_chair = services.add_member(panel, person=member.person, role="member", actor=chair)
    assert not services.may_approve(chair, asked_by_chair)
    assert services.may_approve(first, asked_by_chair)
    services.approve_member(asked_by_chair, actor=first)
    asked_by_chair.refresh_from_db()
    assert asked_by_chair.is_current()


def test_nobody_asks_for_or_approves_a_seat_for_themselves(world) -> None:  # type: ignore[no-untyped-def]
    """Every kind of user who may manage seats, including a panel's chair or coordinator
    and a superuser, is refused their own seat."""
    for username in ("administrator.yos", "superuser", "member.coordinator"):
        user = world.users[username]
        with pytest.raises(ValidationError, match="for yourself"):
            services.add_member(world.other_panel, person=user.person, role="member", actor=user)
    # A seat asked for by someone else still cannot be approved by its holder.
    holder = world.users["administrator.yos"]
    seat = services.add_member(
        world.panel, person=holder.person, role="member", actor=world.users["member.coordinator"]
    )
    assert not services.may_approve(holder, seat)
    with pytest.raises(PermissionDenied):
        services.approve_member(seat, actor=holder)
    page = client_for(holder).get(reverse("panels:members", args=[world.panel.slug]))
    assert "Another administrator or the panel's chair approves" in page.content.decode()
