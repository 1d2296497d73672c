"""One-time links that let a person set their password: invitations, resets, first sign-in.

Built on Django's password-reset token machinery, so a link stops working once it has
been used (the password hash changes), after ``PASSWORD_RESET_TIMEOUT`` (24 hours), or
when the account signs in again. Links use ``SABO_BASE_URL``, the address people reach
this installation by (required in production).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from saferboard.core.models import User


def set_password_path(user: User) -> str:
    """The site-relative path of a one-time link for ``user`` to set a password."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("core:set-password", kwargs={"uidb64": uidb64, "token": token})


def set_password_url(user: User, base_url: str | None = None) -> str:
    """The full one-time link, on ``base_url`` (default: the configured ``SABO_BASE_URL``)."""
    base = (base_url if base_url is not None else settings.SABO_BASE_URL).rstrip("/")
    return f"{base}{set_password_path(user)}"
