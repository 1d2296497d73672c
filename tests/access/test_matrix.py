"""The access matrix: every URL the application routes, for anonymous users and each role.

The URL list is read from the resolver, so a page added later is covered without
editing this file. Anonymous users reach nothing but the public pages; signed-in users
of each demo role get a page, a redirect, "forbidden" or "not found" — never a server
error — and administrator-only pages refuse everyone else.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"/sign-in/", "/accessibility/", "/healthz"}
ADMIN_ONLY = {"/people/", "/audit-log/"}
# Sample values for each path converter; unknown ids must give 404, not 500.
SAMPLES = {
    "int": "999999",
    "slug": "no-such-thing",
    "str": "nothing",
    "uuid": str(uuid.UUID(int=0)),
    "path": "nothing",
}


def _walk(patterns, prefix: str = "") -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or ""


def _sample(route: str) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return SAMPLES.get(converter, "nothing")

    path = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    return "/" + path.lstrip("^").rstrip("$")


def all_paths() -> list[str]:
    return sorted({_sample(route) for route, _ in _walk(get_resolver().url_patterns)})


def parameterless_paths() -> list[str]:
    return sorted(
        {
            "/" + route
            for route, _ in _walk(get_resolver().url_patterns)
            if "<" not in route and not route.startswith("api/") and "." not in route
        }
    )


@pytest.mark.parametrize("path", all_paths())
def test_anonymous_users_reach_only_public_pages(client: Client, db, path: str) -> None:  # type: ignore[no-untyped-def]
    for method in (client.get, client.post):
        response = method(path)
        if path in PUBLIC:
            assert response.status_code < 500, path
            continue
        if path.startswith("/api/") and response.status_code != 302:
            # The JSON API answers 401 with an error body (405 for a method it lacks);
            # its token-management pages are ordinary pages and redirect to sign-in.
            assert response.status_code in {401, 405}, (path, response.status_code)
            if response.status_code == 401:
                assert response.json()["error"]["code"]
        else:
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith("/sign-in/?next="), path


DEMO_USERS = [
    "coordinator",
    "partner.lead",
    "board.member",
    "analyst",
    "panel.member",
    "administrator",
    "yos.head",
    "probation.lead",
]


def test_each_role_gets_pages_refusals_or_not_found_never_errors(demo) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.models import User

    pages = parameterless_paths()
    assert len(pages) > 20
    matrix: dict[str, dict[str, int]] = {}
    for username in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        row = matrix.setdefault(username, {})
        for path in pages:
            row[path] = client.get(path).status_code
    for username, row in matrix.items():
        errors = {p: s for p, s in row.items() if s >= 500}
        assert not errors, (username, errors)
        unexpected = {p: s for p, s in row.items() if s not in {200, 302, 403, 404, 405}}
        assert not unexpected, (username, unexpected)
        for path in ADMIN_ONLY:
            expected = 200 if username == "administrator" else 403
            assert row[path] == expected, (username, path, row[path])
    # Everyone signed in can reach the home page and the strategy.
    assert all(row["/"] == 200 and row["/strategy/"] == 200 for row in matrix.values())
    # Youth justice performance is for the YOS, coordinators, board, analysts and admins.
    assert matrix["partner.lead"]["/youth-justice/"] == 403
    assert matrix["probation.lead"]["/youth-justice/"] == 403
    for username in ("coordinator", "board.member", "analyst", "yos.head", "administrator"):
        assert matrix[username]["/youth-justice/"] == 200, username
