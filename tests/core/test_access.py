"""Sign-in, audit of auth events, throttling, scoping and role checks."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Role
from tests.factories import TEST_PASSWORD, OrganisationFactory, PartnershipFactory


@pytest.fixture
def two_orgs(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    return (
        OrganisationFactory(partnership=partnership, slug="org-a", name="Organisation A"),
        OrganisationFactory(partnership=partnership, slug="org-b", name="Organisation B"),
    )


def test_pages_need_sign_in(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/organisations/"


def test_sign_in_and_out_are_audited(client: Client, make_user) -> None:
    user = make_user(Role.PARTNER_LEAD, username="lead")
    response = client.post(reverse("core:sign-in"), {"username": "lead", "password": TEST_PASSWORD})
    assert response.status_code == 302
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert sign_in.actor == user and sign_in.request_id
    client.post(reverse("core:sign-out"))
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=user).exists()


def test_wrong_password_shows_error_summary_and_is_audited(client: Client, make_user) -> None:
    make_user(username="lead")
    response = client.post(reverse("core:sign-in"), {"username": "lead", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<title>Error: Sign in" in html
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor_label == "lead" and failed.actor is None


def test_sign_in_is_throttled_after_repeated_failures(client: Client, make_user, settings) -> None:
    make_user(username="lead")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:sign-in"), {"username": "lead", "password": "wrong"})
    response = client.post(reverse("core:sign-in"), {"username": "lead", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_open_redirect_is_refused_on_sign_in(client: Client, make_user) -> None:
    make_user(username="lead")
    response = client.post(
        reverse("core:sign-in") + "?next=https://evil.example/",
        {"username": "lead", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_organisation_a_cannot_load_organisation_b_people(client: Client, make_user, two_orgs):
    org_a, org_b = two_orgs
    user = make_user(Role.PARTNER_LEAD, organisation=org_a)
    make_user(Role.PARTNER_LEAD, organisation=org_b)
    client.force_login(user)
    own = client.get(reverse("core:organisation-people", args=[org_a.slug]))
    assert own.status_code == 200
    other = client.get(reverse("core:organisation-people", args=[org_b.slug]))
    assert other.status_code == 404
    assert "Page not found" in other.content.decode()
    reads = AuditEvent.objects.filter(action=AuditAction.READ_PERSONAL_DATA)
    assert reads.count() == 1 and reads.get().object_id == str(org_a.pk)


def test_administrator_sees_every_organisations_people(client: Client, make_user, two_orgs):
    org_a, org_b = two_orgs
    admin = make_user(Role.ADMINISTRATOR, organisation=org_a)
    client.force_login(admin)
    assert client.get(reverse("core:organisation-people", args=[org_b.slug])).status_code == 200


# The people pages also let coordinators in (tests/core/test_people_settings.py).
@pytest.mark.parametrize("url_name", ["core:audit-log"])
def test_admin_pages_refuse_other_roles(client: Client, make_user, url_name: str) -> None:
    client.force_login(make_user(Role.COORDINATOR, Role.BOARD_MEMBER))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert client.get(reverse(url_name)).status_code == 200


def test_people_page_read_is_audited(client: Client, make_user) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    client.get(reverse("core:people"))
    assert AuditEvent.objects.filter(action=AuditAction.READ_PERSONAL_DATA, actor=admin).exists()


def test_audit_log_filters(client: Client, make_user) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="helen")
    client.force_login(admin)
    client.get(reverse("core:people"))
    response = client.get(reverse("core:audit-log"), {"action": "read_personal_data"})
    html = response.content.decode()
    assert "1 event" in html and "Read personal data" in html


def test_404_page_is_styled_and_500_shows_request_id(client: Client, make_user, settings):
    client.force_login(make_user())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'class="govuk-heading-l">Page not found' in response.content.decode()
    from saferboard.core.views import server_error

    request = client.get("/").wsgi_request
    request.request_id = "abc123def456"
    html = server_error(request).content.decode()
    assert "abc123def456" in html and "Sorry, there is a problem" in html


def test_security_headers(client: Client, make_user) -> None:
    client.force_login(make_user())
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert re.search(r"script-src 'self' 'nonce-[^']+'", csp)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_people_link_shows_only_where_the_people_page_opens(client: Client, make_user, two_orgs):
    org_a, org_b = two_orgs
    client.force_login(make_user(Role.PARTNER_LEAD, organisation=org_a))
    own_link = reverse("core:organisation-people", args=[org_a.slug])
    other_link = reverse("core:organisation-people", args=[org_b.slug])
    assert own_link in client.get(reverse("core:organisation", args=[org_a.slug])).content.decode()
    assert (
        other_link
        not in client.get(reverse("core:organisation", args=[org_b.slug])).content.decode()
    )
