"""The access matrix: every URL the application routes, for anonymous users and each role.

The URL list is read from the resolver, so a page added later is covered without
editing this file. Anonymous users reach nothing but the public pages. For signed-in
users, EXPECTED below is the table of what each demo role gets from each parameterless
page: a role that gains or loses a page fails the test, and so does a page routed with
no row in the table or a row for a page no longer routed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "/sign-in/",
    "/accessibility/",
    "/healthz",
    # One-time password links and asking for one (issue 16).
    "/set-password/nothing/nothing/",
    "/password-reset/",
    "/password-reset/sent/",
    # The public committee site: public meetings and their published documents (issue 20).
    "/public/meetings/",
    "/public/meetings/no-such-thing/nothing/",
    "/public/meetings/no-such-thing/nothing/pack/",
    "/public/meetings/no-such-thing/nothing/public-pack.nothing",
    "/public/meetings/no-such-thing/nothing/minutes/",
}
ADMIN_ONLY = {"/audit-log/"}
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


# The demo account holding each role, by the column label used in EXPECTED below.
ROLE_COLUMNS = {
    "coord": "coordinator",
    "lead": "partner.lead",
    "board": "board.member",
    "analyst": "analyst",
    "panel": "panel.member",
    "admin": "administrator",
    "yos": "yos.head",  # partner lead and board member, in the youth justice service
    "prob": "probation.lead",
}
DEMO_USERS = list(ROLE_COLUMNS.values())

# What each demo role gets from a GET of each parameterless page (api/ and file downloads
# are left out; see parameterless_paths). A page added to urls.py must get a row here; a
# row whose page is gone must go. Write `# BUG: …` beside a row that records a status the
# role should not get, until the view is fixed. Where a refusal is 404 rather than 403 the
# page says why: panels never confirm that something exists to someone outside it
# (docs/panels.md), and the plan import's later steps find no upload pending.
EXPECTED = """
path                        coord  lead  board  analyst  panel  admin  yos  prob
/                             200   200    200      200    200    200  200   200
/accessibility/               200   200    200      200    200    200  200   200
/actions/                     200   200    200      200    200    200  200   200
# Plans are managed by coordinators and administrators (docs/actions-and-meetings.md).
/actions/import/              200   403    403      403    403    200  403   403
/actions/import/check/        404   403    403      403    403    404  403   403
/actions/import/columns/      404   403    403      403    403    404  403   403
/actions/new/                 200   403    403      403    403    200  403   403
/actions/published-ratings/  200   403    403      403    403    200  403   403
/audit-log/                   403   403    403      403    403    200  403   403
/crime/                       200   200    200      200    200    200  200   200
# Crime data: analysts, coordinators and administrators import it (docs/crime.md).
/crime/import/                200   403    403      200    403    200  403   403
/healthz                      200   200    200      200    200    200  200   200
/measures/                    200   200    200      200    200    200  200   200
# Analysts and administrators define measures (docs/measures.md).
/measures/new/                403   403    403      200    403    200  403   403
/meetings/                    200   200    200      200    200    200  200   200
# Coordinators and administrators set boards up (docs/actions-and-meetings.md).
/meetings/settings/boards/    200   403    403      403    403    200  403   403
/meetings/settings/boards/new/  200   403    403      403    403    200  403   403
/organisations/               200   200    200      200    200    200  200   200
# Coordinators and administrators add organisations and people (docs/setting-up.md).
/organisations/add/           200   403    403      403    403    200  403   403
/packs/                       200   200    200      200    200    200  200   200
# Everyone sees which panels exist; the administrators' panel pages are 404 to others.
/panels/                      200   200    200      200    200    200  200   200
/panels/audit/                404   404    404      404    404    200  404   404
/panels/subject-access/       404   404    404      404    404    200  404   404
# Coordinators and administrators set up panels and return templates (issue 16).
/panels/settings/             200   403    403      403    403    200  403   403
/panels/settings/new/         200   403    403      403    403    200  403   403
# Asking for a password link works signed in too (it only ever sends an email).
/password-reset/              200   200    200      200    200    200  200   200
/password-reset/sent/         200   200    200      200    200    200  200   200
/people/                      200   403    403      403    403    200  403   403
# The public committee site answers everyone, signed in or out (docs/board-pack.md).
/public/meetings/             200   200    200      200    200    200  200   200
/people/add/                  200   403    403      403    403    200  403   403
/returns/                     200   200    200      200    200    200  200   200
# Every partner's late returns: coordinators, analysts, administrators (docs/returns.md).
/returns/outstanding/         200   403    403      200    403    200  403   403
/returns/settings/            200   403    403      403    403    200  403   403
/returns/settings/new/        200   403    403      403    403    200  403   403
# The settings hub: those who set something up; the partnership and the set-up
# workbook: administrators (docs/setting-up.md). Preview without an upload goes back.
/settings/                    200   403    403      200    403    200  403   403
/settings/partnership/        403   403    403      403    403    200  403   403
/settings/workbook/           403   403    403      403    403    200  403   403
/settings/workbook/preview/   403   403    403      403    403    302  403   403
# Signed in, the sign-in page sends you home; sign-out is a POST (with its CSRF token).
/sign-in/                     302   302    302      302    302    302  302   302
/sign-out/                    405   405    405      405    405    405  405   405
/strategy/                    200   200    200      200    200    200  200   200
# My returns is for partner leads; only coordinators open rounds (docs/strategy.md).
/strategy/my-returns/         403   200    403      403    403    403  200   200
/strategy/rounds/new/         200   403    403      403    403    403  403   403
# Coordinators and administrators set the strategy up (issue 16, docs/strategy.md).
/strategy/settings/           200   403    403      403    403    200  403   403
/strategy/settings/priorities/new/   200   403    403      403    403    200  403   403
/strategy/settings/strategy/  200   403    403      403    403    200  403   403
# The YOS's own people (the panel member works there) see youth justice figures; its
# partner leads and analysts, and administrators, load case records.
/youth-justice/               200   403    200      200    200    200  200   403
/youth-justice/import/        403   403    403      403    403    200  200   403
# With no upload waiting, the column-mapping step sends its users back to the import page.
/youth-justice/import/columns/ 403  403    403      403    403    302  302   403
# Published statistics are loaded by the same people as case records (issue 21).
/youth-justice/published/import/   403  403    403      403    403    200  200   403
/youth-justice/published/import/columns/ 403  403    403      403    403    302  302   403
"""
STATUSES = {200, 302, 403, 404, 405}


def expected_matrix() -> dict[str, dict[str, int]]:
    """EXPECTED as {path: {username: status}}, checking the table's own shape."""
    lines = [line.split("#")[0].split() for line in EXPECTED.splitlines()]
    header, *rows = [cells for cells in lines if cells]
    assert header == ["path", *ROLE_COLUMNS], "EXPECTED's header must list ROLE_COLUMNS"
    table: dict[str, dict[str, int]] = {}
    for path, *cells in rows:
        assert path not in table, f"EXPECTED has two rows for {path}"
        assert len(cells) == len(ROLE_COLUMNS), f"EXPECTED's row for {path} needs 8 statuses"
        statuses = [int(cell) for cell in cells]
        assert set(statuses) <= STATUSES, f"EXPECTED's row for {path}: {statuses}"
        table[path] = dict(zip(DEMO_USERS, statuses, strict=True))
    return table


def _as_row(path: str, row: dict[str, int]) -> str:
    """A row as it would be written in EXPECTED, to paste in."""
    return f"{path:<26}" + "".join(
        f"{row[user]:>{max(len(label), 3) + 2}}" for label, user in ROLE_COLUMNS.items()
    )


def test_each_role_gets_exactly_the_pages_in_the_table(demo) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.models import User

    expected = expected_matrix()
    pages = parameterless_paths()
    assert len(pages) > 20
    # matrix[path][username] = status; redirects[(path, username)] = where it sends.
    matrix: dict[str, dict[str, int]] = {path: {} for path in pages}
    redirects: dict[tuple[str, str], str] = {}
    for username in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in pages:
            response = client.get(path)
            matrix[path][username] = response.status_code
            if response.status_code == 302:
                redirects[path, username] = response["Location"]

    new = [path for path in pages if path not in expected]
    assert not new, (
        "New page(s) with no row in EXPECTED (tests/access/test_matrix.py). Decide what "
        "each role should get, then add the row(s); today they answer:\n"
        + "\n".join(_as_row(path, matrix[path]) for path in new)
    )
    gone = sorted(set(expected) - set(pages))
    assert not gone, f"EXPECTED has rows for pages that are no longer routed: {gone}"
    changed = [
        f"{path} as {username}: expected {expected[path][username]}, got {status}"
        for path, row in matrix.items()
        for username, status in row.items()
        if status != expected[path][username]
    ]
    assert not changed, (
        "A role gained or lost a page. If the change is intended, update EXPECTED:\n"
        + "\n".join(changed)
        + "\n\nToday's rows:\n"
        + "\n".join(_as_row(path, matrix[path]) for path in sorted(matrix))
    )

    # A signed-in user is never sent to sign in again (a redirect hiding a refusal).
    to_sign_in = {key: url for key, url in redirects.items() if url.startswith("/sign-in/")}
    assert not to_sign_in, to_sign_in
    for path in ADMIN_ONLY:
        for username in DEMO_USERS:
            want = 200 if username == "administrator" else 403
            assert matrix[path][username] == want, (username, path, matrix[path][username])
    # Everyone signed in can reach the home page and the strategy.
    assert set(matrix["/"].values()) == set(matrix["/strategy/"].values()) == {200}
    # Youth justice performance is for the YOS, coordinators, board, analysts and admins.
    assert matrix["/youth-justice/"]["partner.lead"] == 403
    assert matrix["/youth-justice/"]["probation.lead"] == 403
    for username in ("coordinator", "board.member", "analyst", "yos.head", "administrator"):
        assert matrix["/youth-justice/"][username] == 200, username
