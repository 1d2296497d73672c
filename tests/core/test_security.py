"""Web security settings proven by requests: headers, sessions, passwords, CSRF."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

PRODUCTION_REQUEST = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="localhost")
print(response.status_code)
print(response.headers.get("Strict-Transport-Security"))
print(response.headers.get("Content-Security-Policy"))
print(response.headers.get("X-Frame-Options"), response.headers.get("Referrer-Policy"))
"""


def test_production_sends_hsts_csp_and_framing_headers(tmp_path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SABO_MODE", "DEBUG", "DATABASE_URL"}},
        "SABO_MODE": "production",
        "SECRET_KEY": "".join(chr(ord("a") + (i * 7) % 26) for i in range(60)),
        "PSEUDONYM_KEY": "".join(chr(ord("a") + (i * 5) % 26) for i in range(60)),
        "SABO_DATA_DIR": str(tmp_path),
        "SABO_BASE_URL": "https://saferboard.example.gov.uk",
        "DJANGO_SETTINGS_MODULE": "saferboard.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUEST],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    status, hsts, csp, framing = result.stdout.strip().splitlines()
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains"
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert framing == "DENY same-origin"


def test_session_expires_after_inactivity(client: Client, make_user) -> None:
    client.force_login(make_user())
    assert client.get("/").status_code == 200
    session = client.session
    session.set_expiry(timedelta(seconds=-1))
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_session_cookie_is_httponly_and_short_lived(client: Client, make_user, settings):
    make_user(username="lead")
    response = client.post(reverse("core:sign-in"), {"username": "lead", "password": TEST_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.parametrize(
    "password", ["short", "password123456", "123456789012345", "saferboard-user"]
)
def test_weak_passwords_are_refused(password: str, make_user) -> None:
    user = make_user(username="saferboard-user")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_strong_password_is_accepted(make_user) -> None:
    validate_password("correct horse battery staple 7", make_user())


def test_sign_in_form_needs_a_csrf_token(make_user) -> None:
    make_user(username="lead")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("core:sign-in"), {"username": "lead", "password": TEST_PASSWORD})
    assert response.status_code == 403


def test_sign_out_needs_post_and_csrf(make_user) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    assert strict.get(reverse("core:sign-out")).status_code == 405
    assert strict.post(reverse("core:sign-out")).status_code == 403


def test_pages_for_signed_in_users_are_never_stored(client, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 14: pages showing identities sent no Cache-Control."""
    client.force_login(make_user("administrator"))
    for url in ("/", "/audit-log/", "/panels/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    assert client.get("/api/whoami")["Cache-Control"] == "no-store"


def test_password_spraying_is_paused_per_address(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 16: four guesses at each of many accounts were never throttled
    (axes counts per account). An address is paused after SABO_SIGN_IN_ADDRESS_LIMIT
    failures to any accounts, even for a right password."""
    from saferboard.core.models import AuditAction, AuditEvent

    settings.SABO_SIGN_IN_ADDRESS_LIMIT = 8
    users = [make_user("partner_lead", username=f"sprayed{n}") for n in range(4)]
    for user in users[:2]:
        for guess in range(4):
            response = client.post(
                "/sign-in/", {"username": user.username, "password": f"Guess{guess}!!xyz"}
            )
            assert response.status_code == 200  # the form again: no account is locked
    response = client.post("/sign-in/", {"username": users[2].username, "password": "wrong"})
    assert response.status_code == 429
    assert "from this network address" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_LOCKED, detail__reason__startswith="too many"
    ).exists()


def test_a_session_ends_at_its_absolute_lifetime(client, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.middleware import SIGNED_IN_AT

    client.force_login(make_user("administrator"))
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = session[SIGNED_IN_AT] - settings.SABO_SESSION_MAX_AGE - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
