"""Tokens: hashed at rest, shown once, revocable, audited, and refused when dead."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferboard.api.models import ApiToken
from saferboard.api.tokens import TokenRefused, authenticate, create_token, revoke_token
from saferboard.core.models import AuditEvent, Membership, Role
from tests.api.conftest import ApiClient


def test_token_is_stored_only_as_its_hash(token_for) -> None:
    client = token_for(Role.PARTNER_LEAD)
    token = ApiToken.objects.get()
    assert client.key.startswith("sabo_") and len(client.key) > 40
    assert token.key_hash == hashlib.sha256(client.key.encode()).hexdigest()
    assert token.prefix == client.key[:12]
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get()]
    assert not any(client.key in v for v in stored)
    assert not AuditEvent.objects.filter(detail__icontains=client.key[12:]).exists()


def test_use_is_recorded_and_whoami(token_for) -> None:
    client = token_for(Role.PARTNER_LEAD, scope="write")
    assert ApiToken.objects.get().last_used_at is None
    body = client.get("/api/whoami").json()
    assert body["scope"] == "write"
    assert body["organisation"] == "police"
    assert "crime:write" in body["capabilities"]
    assert "youth-justice:write" not in body["capabilities"]
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_is_refused_with_a_json_error(token_for) -> None:
    client = token_for(Role.PARTNER_LEAD)
    assert client.get("/api/measures").status_code == 200
    revoke_token(client.token, by=client.user)
    response = client.get("/api/measures")
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthorised", "message": "The token has been revoked", "details": {}}
    }
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert revoke_token(client.token) is False


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Give an API token in the Authorization header: 'Bearer <token>'"),
        ({"Authorization": "Bearer sabo_nope"}, "The token is not recognised"),
        ({"Authorization": "Bearer abc"}, "The token is not a Saferboard API token"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Give an API token in the Authorization"),
    ],
)
def test_requests_without_a_live_token_get_401(db, client, headers, message) -> None:
    for path in ("/api/measures", "/api/observations", "/api/openapi.json", "/api/"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["message"].startswith(message)


def test_token_of_someone_who_left_is_refused(token_for) -> None:
    client = token_for(Role.PARTNER_LEAD)
    Membership.objects.filter(person__user=client.user).update(end_date="2020-06-30")
    response = client.get("/api/measures")
    assert response.status_code == 401
    assert "no longer belongs" in response.json()["error"]["message"]


def test_creation_and_revocation_are_audited(token_for) -> None:
    client = token_for(Role.PARTNER_LEAD, scope="write")
    revoke_token(client.token, by=client.user)
    events = AuditEvent.objects.filter(object_type="api.ApiToken").order_by("at", "pk")
    assert [e.detail["event"] for e in events] == ["api token created", "api token revoked"]
    assert events[0].detail["scope"] == "write"
    assert events[1].actor == client.user


def test_cannot_make_a_token_for_another_organisation(make_user, organisation) -> None:
    mine, theirs = organisation("police"), organisation("yos")
    user = make_user(Role.PARTNER_LEAD, organisation=mine)
    with pytest.raises(TokenRefused, match="does not belong"):
        create_token(user, organisation=theirs)
    with pytest.raises(TokenRefused, match="Scope must be"):
        create_token(user, scope="admin")
    with pytest.raises(TokenRefused):
        authenticate("sabo_" + "x" * 300)


def test_command_line_create_and_revoke(make_user, organisation) -> None:
    user = make_user(Role.ANALYST, organisation=organisation("council"), username="analyst")
    out = StringIO()
    call_command(
        "api",
        "token",
        "create",
        "--user",
        "analyst",
        "--scope",
        "read",
        "--name",
        "Notebook",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    key = lines[-1]
    token = ApiToken.objects.get()
    assert lines[0].startswith(f"Token {token.pk} (read) for analyst")
    assert token.name == "Notebook" and token.user == user
    assert ApiClient(key).get("/api/measures").status_code == 200
    out = StringIO()
    call_command("api", "token", "revoke", str(token.pk), stdout=out)
    assert out.getvalue().strip() == f"Token {token.pk} revoked"
    assert ApiClient(key).get("/api/measures").status_code == 401
    with pytest.raises(CommandError, match="No user"):
        call_command("api", "token", "create", "--user", "nobody", "--scope", "read")
    with pytest.raises(CommandError, match="No token"):
        call_command("api", "token", "revoke", "99999")


def test_token_page_creates_shows_once_and_revokes(client, make_user, organisation) -> None:
    user = make_user(Role.PARTNER_LEAD, organisation=organisation("police"))
    client.force_login(user)
    page = client.get("/api/tokens/")
    assert page.status_code == 200
    assert b"Make a token" in page.content
    made = client.post(
        "/api/tokens/",
        {
            "name": "Extract push",
            "organisation": str(user.organisation_ids().pop()),
            "scope": "write",
        },
    )
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    key = made.context["new_key"]
    assert key.encode() in made.content
    token = ApiToken.objects.get()
    assert token.scope == "write" and token.created_by == user
    again = client.get("/api/tokens/")
    assert key.encode() not in again.content  # shown once only
    assert token.prefix.encode() in again.content
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == user
    invalid = client.post("/api/tokens/", {"name": "", "scope": "write"})
    assert b"There is a problem" in invalid.content
    assert b"Enter what the token is for" in invalid.content


def test_token_page_needs_sign_in(client, db) -> None:
    response = client.get("/api/tokens/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_a_token_loses_what_its_owner_loses(token_for) -> None:
    """Issue 18, finding 4: capabilities are checked against the owner's current roles
    on every request, not only when the token was made."""
    client = token_for(
        Role.PARTNER_LEAD, Role.ANALYST, org="council", kind="council", scope="write"
    )
    before = client.get("/api/whoami").json()["capabilities"]
    assert {"crime:write", "measures:write", "returns:write"} <= set(before)
    Membership.objects.filter(person__user=client.user, role=Role.ANALYST).update(
        end_date="2020-06-30"
    )
    after = client.get("/api/whoami").json()["capabilities"]
    assert "crime:write" not in after and "measures:write" not in after
    assert "returns:write" in after
    # Gaining a role back does not widen a token beyond what it was made with.
    Membership.objects.filter(person__user=client.user, role=Role.ANALYST).update(end_date=None)
    Membership.objects.create(
        person=client.user.person,
        organisation=client.token.organisation,
        role=Role.ADMINISTRATOR,
        start_date="2020-01-01",
    )
    assert set(client.get("/api/whoami").json()["capabilities"]) == set(before)
    response = client.client.post(
        "/api/crime/police-uk", {}, headers={"Authorization": f"Bearer {client.key}"}
    )
    assert response.status_code != 403
