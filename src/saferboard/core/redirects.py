"""Where to send someone after a form: a return address from the request, if it is safe."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """``candidate`` (a ``next`` field) if it is an address on this site, else ``fallback``.

    A ``next`` taken as given is an open redirect: a link could post a form here and
    send the person on to another site that looks like this one (issue 23). Only a
    path, or an address with this request's host (https when the request is), passes.
    """
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
