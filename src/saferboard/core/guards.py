"""Refusing a request that the signed-in user may not make, the same way on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require(request: HttpRequest, may: Callable[[Any], bool]) -> None:
    """Raise PermissionDenied (403) unless ``may`` allows the request's user (a role
    check such as ``can_manage``). Signed-out users never get here: the login middleware
    sends them to sign in first."""
    if not may(request.user):
        raise PermissionDenied
