"""Absolute links for emails: every link a message carries starts with the configured
address (``SABO_BASE_URL``), never a relative path a mail client cannot follow.

Production refuses to start without ``SABO_BASE_URL`` (see settings); the demo and the
tests fall back to the local address the demo serves on. Nothing here reads a request's
Host header, which anyone can set.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Where `saferboard demo` serves by default; only the demo and the tests use it.
LOCAL_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """The configured address without a trailing slash (the local one in demo and test)."""
    configured = str(getattr(settings, "SABO_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    if getattr(settings, "SABO_MODE", "production") in {"demo", "test"}:
        return LOCAL_BASE_URL
    raise ImproperlyConfigured(
        "SABO_BASE_URL is not set, so emails cannot carry links. Set it to the address "
        "people use to reach Saferboard (e.g. https://saferboard.example.gov.uk)."
    )


def absolute_url(path: str) -> str:
    """``path`` (site-relative, as :func:`django.urls.reverse` gives) on the base address."""
    if not path.startswith("/"):
        raise ValueError(f"Expected a site-relative path starting with '/', not {path!r}")
    return f"{base_url()}{path}"
