"""The access matrix: every case view, list, search and export, for every role of every
organisation, member and non-member: exactly the right answer, 404 otherwise, and the
audit log shows each access to personal data by pseudonymous reference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferboard.core.models import AuditAction, AuditEvent, Membership
from saferboard.panels import access, services
from saferboard.panels.models import PanelMembership

MEMBERS = {"member.coordinator", "member.police", "member.admin"}
RUNS_PANEL = {"member.coordinator"}


def _endpoints(world):  # type: ignore[no-untyped-def]
    """(name, method, url, data, reads personal data, who besides members gets 200)."""
    slug, ref = world.panel.slug, world.case.reference
    return [
        ("list", "get", reverse("panels:panel", args=[slug]), None, True),
        ("list-all", "get", reverse("panels:panel", args=[slug]) + "?show=all", None, True),
        ("case", "get", reverse("panels:case", args=[ref]), None, True),
        (
            "search",
            "post",
            reverse("panels:search", args=[slug]),
            {"name": "alex", "reason": "Checking before the meeting"},
            True,
        ),
        ("export", "get", reverse("panels:export", args=[slug]), None, True),
        ("review-form", "get", reverse("panels:case-review", args=[ref]), None, True),
        ("assess-form", "get", reverse("panels:case-assess", args=[ref]), None, True),
        ("action-form", "get", reverse("panels:case-action-add", args=[ref]), None, True),
        ("status-form", "get", reverse("panels:case-status", args=[ref]), None, True),
        ("refer-form", "get", reverse("panels:refer", args=[slug]), None, False),
    ]


def _all_users(world):  # type: ignore[no-untyped-def]
    return sorted(world.users)


def _expected(endpoint: str, username: str) -> int:
    if username not in MEMBERS:
        return 404
    if endpoint == "status-form" and username not in RUNS_PANEL:
        return 403
    return 200


def test_access_matrix(world) -> None:  # type: ignore[no-untyped-def]
    """Around 30 users × 10 endpoints, each with its audit trail checked."""
    ref = world.case.reference
    failures = []
    for username in _all_users(world):
        user = world.users[username]
        client = Client()
        client.force_login(user)
        for name, method, url, data, personal in _endpoints(world):
            before = AuditEvent.objects.count()
            response = getattr(client, method)(url, data or {})
            want = _expected(name, username)
            if response.status_code != want:
                failures.append(f"{username} {name}: {response.status_code} (wanted {want})")
                continue
            new = list(AuditEvent.objects.order_by("pk")[before:])
            naming = [
                e
                for e in new
                if e.action in {AuditAction.READ_PERSONAL_DATA, AuditAction.EXPORT}
                and ref in e.detail.get("cases", [])
            ]
            if want == 200 and personal:
                if not naming or any(e.actor_id != user.pk for e in naming):
                    failures.append(f"{username} {name}: read not audited")
                shows_identity = name in {"list", "list-all", "case", "search", "export"}
                if shows_identity and "Alex Example" not in response.content.decode():
                    failures.append(f"{username} {name}: identity not shown")
            if want == 404:
                if naming:
                    failures.append(f"{username} {name}: a refused request named the case")
                if "Alex Example" in response.content.decode():
                    failures.append(f"{username} {name}: identity leaked in a 404")
    assert failures == []


def test_export_is_audited_as_an_export(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.police"])
    response = client.get(reverse("panels:export", args=[world.panel.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "Alex Example" in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).get()
    assert event.detail["cases"] == [world.case.reference]
    assert "Alex" not in str(event.detail) and "Alex" not in event.object_repr


def test_aggregates_are_open_to_every_signed_in_user(world) -> None:  # type: ignore[no-untyped-def]
    for username in ("board_member.outsider", "administrator.council", "member.police"):
        client = Client()
        client.force_login(world.users[username])
        response = client.get(reverse("panels:aggregates", args=[world.panel.slug]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Alex Example" not in html and world.case.reference not in html
        assert "&lt;5" in html  # one person on the list: suppressed


def test_other_panels_cases_are_not_found_for_members(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.coordinator"])
    other = world.other_case.reference
    for url in (
        reverse("panels:case", args=[other]),
        reverse("panels:case-escalation", args=[other]),
        reverse("panels:panel", args=[world.other_panel.slug]),
        reverse("panels:export", args=[world.other_panel.slug]),
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(world.users["asb.member"])
    assert client.get(reverse("panels:case", args=[other])).status_code == 200
    assert client.get(reverse("panels:case-escalation", args=[other])).status_code == 200
    assert client.get(reverse("panels:case", args=[world.case.reference])).status_code == 404


def test_search_needs_a_reason_and_records_it_without_the_name(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.police"])
    url = reverse("panels:search", args=[world.panel.slug])
    response = client.post(url, {"name": "Alex", "reason": ""})
    assert response.status_code == 200
    assert "Enter why you are searching" in response.content.decode()
    assert not AuditEvent.objects.filter(detail__icontains="search by name").exists()
    response = client.post(url, {"name": "alex exam", "reason": "Police intelligence check"})
    assert "Alex Example" in response.content.decode()
    event = AuditEvent.objects.get(detail__icontains="search by name")
    assert event.detail["reason"] == "Police intelligence check"
    assert event.detail["cases"] == [world.case.reference]
    assert "alex" not in str(event.detail).lower()
    assert len(event.detail["term_fingerprint"]) == 32


def test_removal_from_a_panel_loses_access_at_once(world) -> None:  # type: ignore[no-untyped-def]
    police = world.users["member.police"]
    client = Client()
    client.force_login(police)
    url = reverse("panels:case", args=[world.case.reference])
    assert client.get(url).status_code == 200
    membership = PanelMembership.objects.get(panel=world.panel, person=police.person)
    coordinator = Client()
    coordinator.force_login(world.users["member.coordinator"])
    response = coordinator.post(
        reverse("panels:member-remove", args=[world.panel.slug, membership.pk])
    )
    assert response.status_code == 302
    # The very next request, same session: gone.
    assert client.get(url).status_code == 404
    assert client.get(reverse("panels:panel", args=[world.panel.slug])).status_code == 404
    change = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).latest("pk")
    assert change.detail["what"] == "panel member removed"


def test_access_ends_with_the_organisation_role_or_seat(world) -> None:  # type: ignore[no-untyped-def]
    police = world.users["member.police"]
    assert access.cases_visible_to(police).count() == 1
    # The organisation leaves the panel: its people lose access.
    world.panel.member_organisations.remove(world.police)
    assert access.cases_visible_to(police).count() == 0
    world.panel.member_organisations.add(world.police)
    assert access.cases_visible_to(police).count() == 1
    # The person's role in the organisation ends.
    Membership.objects.filter(person=police.person).update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    assert access.cases_visible_to(police).count() == 0
    Membership.objects.filter(person=police.person).update(end_date=None)
    # The account is deactivated.
    police.is_active = False
    assert access.cases_visible_to(police).count() == 0
    police.is_active = True
    # A seat that starts tomorrow gives nothing today.
    PanelMembership.objects.filter(person=police.person).update(
        start_date=timezone.localdate() + timedelta(days=1)
    )
    assert access.cases_visible_to(police).count() == 0


def test_administrators_see_aggregates_only_unless_members(world) -> None:  # type: ignore[no-untyped-def]
    for username in ("administrator.council", "superuser"):
        assert access.cases_visible_to(world.users[username]).count() == 0
    assert access.cases_visible_to(world.users["member.admin"]).count() == 1
    client = Client()
    client.force_login(world.users["administrator.council"])
    html = client.get(reverse("panels:index")).content.decode()
    assert "Aggregates only" in html
    assert f'href="{reverse("panels:panel", args=[world.panel.slug])}"' not in html
    # They manage seats without seeing cases.
    members = client.get(reverse("panels:members", args=[world.panel.slug]))
    assert members.status_code == 200
    assert "Alex Example" not in members.content.decode()


@pytest.mark.parametrize("username", ["member.police", "board_member.yos", "analyst.council"])
def test_only_administrators_and_panel_leads_manage_members(world, username) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users[username])
    assert client.get(reverse("panels:members", args=[world.panel.slug])).status_code == 404


@pytest.mark.parametrize("url_name", ["panels:subject-access", "panels:audit-search"])
def test_information_governance_pages_are_for_administrators(world, url_name) -> None:  # type: ignore[no-untyped-def]
    for username in sorted(world.users):
        client = Client()
        client.force_login(world.users[username])
        status = client.get(reverse(url_name)).status_code
        admin = world.users[username].is_administrator
        assert status == (200 if admin else 404), username


def test_adding_a_member_needs_a_member_organisation(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["administrator.council"])
    outsider = world.users["partner_lead.outsider"].person
    response = client.post(
        reverse("panels:members", args=[world.panel.slug]),
        {"person": outsider.pk, "role": "member"},
    )
    assert response.status_code == 200  # not a choice: the form refuses it
    assert not PanelMembership.objects.filter(person=outsider).exists()
    newcomer = world.users["analyst.yos"]
    assert access.cases_visible_to(newcomer).count() == 0
    response = client.post(
        reverse("panels:members", args=[world.panel.slug]),
        {"person": newcomer.person.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert access.cases_visible_to(newcomer).count() == 0  # asked for, not yet approved
    seat = PanelMembership.objects.get(panel=world.panel, person=newcomer.person)
    services.approve_member(seat, actor=world.users["administrator.police"])
    assert access.cases_visible_to(newcomer).count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, detail__icontains="panel seat requested"
    ).exists()


def test_plain_members_cannot_change_status(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.police"])
    url = reverse("panels:case-status", args=[world.case.reference])
    response = client.post(url, {"status": "open", "reason": "x", "effective_on": "6/1/2025"})
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == "referred"


def test_a_case_named_only_by_reference_in_every_audit_event(world) -> None:  # type: ignore[no-untyped-def]
    coord = world.users["member.coordinator"]
    services.assess_risk(
        world.case,
        likelihood=3,
        impact=4,
        rationale="Alex seen with older males",
        agency=world.yos,
        actor=coord,
    )
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.detail}"
        assert "Alex" not in text and "Example" not in text, text
        assert "1 Test Road" not in text


def test_an_administrator_cannot_seat_themselves(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 2: an administrator seated themselves on a panel and read the
    children's names. Issue 16: nobody may even ask for a seat for themselves; a seat
    someone else asks for is approved by a third person (another administrator or the
    panel's chair or coordinator), and both steps are audited."""
    admin = world.users["administrator.council"]
    client = Client()
    client.force_login(admin)
    members_url = reverse("panels:members", args=[world.panel.slug])
    list_url = reverse("panels:panel", args=[world.panel.slug])
    response = client.post(members_url, {"person": admin.person.pk, "role": "member"})
    assert response.status_code == 200
    assert "You cannot ask for a seat for yourself" in response.content.decode()
    assert not PanelMembership.objects.filter(panel=world.panel, person=admin.person).exists()
    with pytest.raises(ValidationError):
        services.add_member(world.panel, person=admin.person, role="member", actor=admin)
    # Another administrator asks for it; the asker cannot approve it, nor can the admin.
    second = world.users["administrator.police"]
    seat = services.add_member(world.panel, person=admin.person, role="member", actor=second)
    assert seat.approved_at is None
    assert client.get(list_url).status_code == 404
    assert not access.cases_visible_to(admin).exists()
    asked = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).first()
    assert asked is not None and asked.detail["what"] == "panel seat requested (awaits approval)"
    assert asked.actor == second
    approve_url = reverse("panels:member-approve", args=[world.panel.slug, seat.pk])
    assert client.post(approve_url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_member(seat, actor=admin)
    with pytest.raises(PermissionDenied):
        services.approve_member(seat, actor=second)
    seat.refresh_from_db()
    assert seat.approved_at is None
    # The panel's coordinator approves.
    coordinator = Client()
    coordinator.force_login(world.users["member.coordinator"])
    assert "Approve" in coordinator.get(members_url).content.decode()
    assert coordinator.post(approve_url).status_code == 302
    seat.refresh_from_db()
    assert seat.approved_by == world.users["member.coordinator"]
    approved = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).first()
    assert approved is not None and approved.detail["what"] == "panel seat approved"
    assert approved.actor == world.users["member.coordinator"]
    assert client.get(list_url).status_code == 200


def test_a_second_administrator_approves_a_seat(world) -> None:  # type: ignore[no-untyped-def]
    first, second = world.users["administrator.council"], world.users["administrator.police"]
    newcomer = world.users["panel_member.council"]
    seat = services.add_member(
        world.other_panel, person=newcomer.person, role="member", actor=first
    )
    assert not seat.is_current()
    services.approve_member(seat, actor=second)
    seat.refresh_from_db()
    assert seat.is_current() and seat.approved_by == second


def test_refused_reads_of_personal_data_are_audited(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 7: a non-member's 404 on a panel's list or a case, and a
    non-administrator's on the subject access page, are audited as "access refused"
    (and shown on the administrators' audit log page)."""
    outsider = world.users["board_member.outsider"]
    client = Client()
    client.force_login(outsider)
    urls = [
        reverse("panels:panel", args=[world.panel.slug]),
        reverse("panels:case", args=[world.case.reference]),
        reverse("panels:case", args=["NO-SUCH-CASE"]),
        reverse("panels:subject-access"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    refused = list(AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).order_by("pk"))
    assert [e.detail["path"] for e in refused] == urls
    assert all(e.actor == outsider for e in refused)
    assert refused[1].object_id == str(world.case.pk)
    assert refused[2].object_id == "" and refused[2].detail["case"] == "NO-SUCH-CASE"
    admin = Client()
    admin.force_login(world.users["administrator.council"])
    log = admin.get(reverse("core:audit-log"), {"action": AuditAction.ACCESS_REFUSED})
    assert log.status_code == 200 and "Access refused" in log.content.decode()
