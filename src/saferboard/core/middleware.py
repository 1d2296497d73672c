"""Request ids for logs and error pages; a session's maximum age and no-store caching.

Sign-in is required for every page by Django's own ``LoginRequiredMiddleware``
(settings.MIDDLEWARE); a page anyone may reach is marked ``login_not_required``.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_id() -> str:
    """The id of the request being handled in this context, or an empty string."""
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id (kept from a trusted proxy's X-Request-ID if well formed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # our own attribute
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class SessionPolicyMiddleware:
    """Ends a session past its maximum age, and keeps signed-in pages out of caches.

    Signing in itself is required by Django's ``LoginRequiredMiddleware``, which comes
    after this one (the public views are marked ``login_not_required``): ending an old
    session here first means its next request is sent to sign in.

    Nothing a signed-in user or an API token is shown may be kept by a browser or a
    proxy: pages name children, victims and staff, so every such response says
    ``Cache-Control: no-store`` unless its view chose otherwise (issue 18). Without it
    the back button, a shared computer's cache or a proxy could show a list of names to
    the next person.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        # The JSON API authenticates every request itself (tokens), not by session.
        if path.startswith("/api/"):
            return _no_store(self.get_response(request))
        if request.user.is_authenticated and _session_too_old(request):
            logout(request)
        response = self.get_response(request)
        if request.user.is_authenticated and not path.startswith(settings.STATIC_URL):
            _no_store(response)
        return response


SIGNED_IN_AT = "sabo_signed_in_at"


def _session_too_old(request: HttpRequest) -> bool:
    """A session lives at most ``SABO_SESSION_MAX_AGE`` seconds from sign-in, however
    active (the 30-minute timeout alone slides forever with use; issue 18)."""
    started = request.session.get(SIGNED_IN_AT)
    if not isinstance(started, int | float):
        request.session[SIGNED_IN_AT] = time.time()  # a session from before this rule
        return False
    return bool(time.time() - started > settings.SABO_SESSION_MAX_AGE)


def _no_store(response: HttpResponse) -> HttpResponse:
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "no-store"
    return response
