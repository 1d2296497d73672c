"""One-time set-password links and password reset by email (issue 16)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from saferboard.core.invitations import (
    RESET_EMAILS_PER_ACCOUNT,
    RESET_REQUESTS_PER_ADDRESS,
    set_password_path,
)
from saferboard.core.models import AuditAction, AuditEvent, Role, User
from tests.factories import TEST_PASSWORD

CHOSEN = "a-long-and-unusual-passphrase-42"


def link_in(message: mail.EmailMessage) -> str:
    """The site-relative path of the one-time link in an email."""
    match = re.search(r"https?://[^/\s]+(/set-password/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def main_of(html: str) -> str:
    """A page's main content (the rest carries a fresh CSP nonce each time)."""
    return html[html.index("<main") : html.index("</main>")]


def set_password(client: Client, path: str, password: str = CHOSEN):  # type: ignore[no-untyped-def]
    """Follow a one-time link and submit a new password; the final response."""
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_a_link_sets_a_password_for_an_account_without_one_and_signs_in(
    client: Client, make_user
) -> None:
    user = make_user(Role.ADMINISTRATOR, username="first-admin")
    user.set_unusable_password()  # as `saferboard init` leaves the first administrator
    user.save()
    path = set_password_path(user)
    page = client.get(path, follow=True)
    assert "Set your password" in page.content.decode()
    assert "first-admin" in page.content.decode()
    response = set_password(client, path)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user.refresh_from_db()
    assert user.check_password(CHOSEN)
    assert client.get(reverse("core:home")).status_code == 200  # signed in
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SETTINGS_CHANGE, actor=user, detail__what__startswith="password set"
    ).exists()
    # Used once: the same link now says so and offers a new one.
    again = Client().get(path, follow=True)
    html = again.content.decode()
    assert "This link has expired or has already been used" in html
    assert reverse("core:password-reset") in html


def test_the_password_validators_apply(client: Client, make_user) -> None:
    user = make_user(username="weak")
    path = set_password_path(user)
    response = set_password(client, path, "password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: Set your password" in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_link_expires_after_24_hours(client: Client, make_user) -> None:
    user = make_user(username="late")
    path = set_password_path(user)
    later = datetime.now() + timedelta(hours=24, minutes=1)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        response = client.get(path, follow=True)
    assert "This link has expired or has already been used" in response.content.decode()
    within = datetime.now() + timedelta(hours=23)
    with mock.patch.object(default_token_generator, "_now", return_value=within):
        response = client.get(path, follow=True)
    assert "Set your password" in response.content.decode()


def test_a_deactivated_accounts_link_does_nothing(client: Client, make_user) -> None:
    user = make_user(username="gone")
    path = set_password_path(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(path, follow=True)
    assert "This link has expired or has already been used" in response.content.decode()


def test_sign_in_page_links_to_password_reset(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("core:sign-in")).content.decode()
    assert "Forgotten your password?" in html and reverse("core:password-reset") in html


def test_reset_emails_a_working_link(client: Client, make_user, settings) -> None:
    settings.SABO_BASE_URL = "https://saferboard.example.gov.uk"
    user = make_user(username="forgetful")
    user.email = "Forgetful@Example.org"
    user.save()
    response = client.post(reverse("core:password-reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:password-reset-sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Forgetful@Example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "https://saferboard.example.gov.uk/set-password/" in message.body
    assert "forgetful" in message.body  # the username
    response = set_password(client, link_in(message))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(CHOSEN)


def test_reset_finds_an_account_by_its_persons_email(client: Client, make_user) -> None:
    user = make_user(username="by-person")
    user.email = ""
    user.save()
    user.person.email = "person@example.org"
    user.person.save()
    client.post(reverse("core:password-reset"), {"email": "PERSON@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["person@example.org"]
    # In the tests SABO_BASE_URL is empty: the link uses the address asked.
    assert "http://testserver/set-password/" in mail.outbox[0].body


def test_reset_for_an_unknown_address_emails_nobody_and_says_the_same(
    client: Client, make_user
) -> None:
    user = make_user(username="known")
    user.email = "known@example.org"
    user.save()
    known = client.post(reverse("core:password-reset"), {"email": "known@example.org"}, follow=True)
    unknown = client.post(
        reverse("core:password-reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert main_of(known.content.decode()) == main_of(unknown.content.decode())
    assert "Check your email" in unknown.content.decode()


def test_reset_is_refused_for_an_inactive_account(client: Client, make_user) -> None:
    user = make_user(username="inactive")
    user.email = "inactive@example.org"
    user.is_active = False
    user.save()
    response = client.post(reverse("core:password-reset"), {"email": "inactive@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_form_errors_in_govuk_style(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("core:password-reset"), {"email": "not an address"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter an email address in the correct format" in html


def test_reset_requests_are_limited_per_address_and_per_account(client: Client, make_user) -> None:
    user = make_user(username="target")
    user.email = "target@example.org"
    user.save()
    for _ in range(RESET_REQUESTS_PER_ADDRESS):
        response = client.post(reverse("core:password-reset"), {"email": "target@example.org"})
        assert response.status_code == 302
    # The account got a few links, not one per request.
    assert len(mail.outbox) == RESET_EMAILS_PER_ACCOUNT
    refused = client.post(reverse("core:password-reset"), {"email": "someone@example.org"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # Another address is not held up.
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert other.post(reverse("core:password-reset"), {"email": "x@example.org"}).status_code == 302


def test_the_pages_need_no_sign_in(client: Client, make_user) -> None:
    user = make_user(username="anon")
    for path in (reverse("core:password-reset"), reverse("core:password-reset-sent")):
        assert client.get(path).status_code == 200
    assert client.get(set_password_path(user)).status_code == 302  # to the token-less form
    assert TEST_PASSWORD  # the old password is untouched until the form is sent
