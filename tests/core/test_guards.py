"""require: the one 403 for a request its user may not make."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from saferboard.core.guards import require


def _request(role: str) -> object:
    request = RequestFactory().get("/x/")
    request.user = SimpleNamespace(role=role)  # type: ignore[assignment]
    return request


def _is_coordinator(user: SimpleNamespace) -> bool:
    return bool(user.role == "coordinator")


def test_a_user_the_check_allows_passes() -> None:
    assert require(_request("coordinator"), _is_coordinator) is None  # type: ignore[arg-type,func-returns-value]


def test_a_user_the_check_refuses_gets_permission_denied() -> None:
    with pytest.raises(PermissionDenied):
        require(_request("partner lead"), _is_coordinator)  # type: ignore[arg-type]
