"""API test helpers: tokens for people in organisations of a given type, a JSON client."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from saferboard.core.models import OrganisationType
from tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


class ApiClient:
    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.key = key

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, body: Any):  # type: ignore[no-untyped-def]
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def organisation(db) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    def make(slug: str, kind: str = OrganisationType.COUNCIL):  # type: ignore[no-untyped-def]
        return OrganisationFactory(slug=slug, name=slug.title(), type=kind)

    return make


@pytest.fixture
def token_for(make_user, organisation) -> Callable[..., ApiClient]:  # type: ignore[no-untyped-def]
    """``token_for(role, org_slug, org_type, scope)`` → a client with that token."""
    from saferboard.api.tokens import create_token

    orgs: dict[str, object] = {}

    def make(
        *roles: str,
        org: str = "police",
        kind: str = OrganisationType.POLICE,
        scope: str = "read",
    ) -> ApiClient:
        if org not in orgs:
            orgs[org] = organisation(org, kind)
        user = make_user(*roles, organisation=orgs[org])
        made = create_token(user, scope=scope, name="test")
        client = ApiClient(made.key)
        client.token = made.token  # type: ignore[attr-defined]
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
