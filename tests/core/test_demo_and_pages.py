"""The demo partnership loads idempotently and every page renders for every role."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saferboard.core.demo import DEMO_PASSWORD
from saferboard.core.management.commands.demo import load_demo
from saferboard.core.models import Membership, Organisation, Person, RagEntry, Role, User
from saferboard.strategy.models import Commitment, Priority

PAGES = ["/", "/organisations/", "/organisations/police/", "/measures/", "/accessibility/"]
ADMIN_PAGES = ["/audit-log/"]
# Administrators and coordinators manage people (issue 16).
PEOPLE_PAGES = ["/people/", "/people/add/", "/organisations/add/"]


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Priority.objects.count(),
        Commitment.objects.count(),
        RagEntry.objects.count(),
    )


def test_demo_is_idempotent(demo) -> None:
    first = _counts()
    load_demo()
    assert _counts() == first
    assert Priority.objects.count() == 4
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    split = Priority.objects.get(number=3)
    assert (split.rag_status, split.rag_second_status) == ("amber", "green")


def test_demo_users_can_sign_in(client: Client, demo) -> None:
    for username, password, _ in demo:
        assert password == DEMO_PASSWORD
        response = client.post("/sign-in/", {"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.get("/").context["user"].username == username
        client.post("/sign-out/")


def _title_and_h1(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert title and h1
    return title.group(1).strip(), re.sub(r"<[^>]+>", "", h1.group(1)).strip()


@pytest.mark.parametrize(
    "username",
    ["coordinator", "partner.lead", "board.member", "analyst", "panel.member", "administrator"],
)
def test_every_page_renders_with_title_starting_with_h1(client: Client, demo, username) -> None:
    client.force_login(User.objects.get(username=username))
    is_admin = username == "administrator"
    for path in PAGES + ADMIN_PAGES + PEOPLE_PAGES:
        response = client.get(path)
        if path in ADMIN_PAGES and not is_admin:
            assert response.status_code == 403, path
            continue
        if path in PEOPLE_PAGES and not (is_admin or username == "coordinator"):
            assert response.status_code == 403, path
            continue
        assert response.status_code == 200, path
        title, h1 = _title_and_h1(response.content.decode())
        assert title.startswith(h1), (path, title, h1)


def test_home_lists_priorities_with_rag_text(client: Client, demo) -> None:
    client.force_login(User.objects.get(username="board.member"))
    html = client.get("/").content.decode()
    for text in (
        "Safer neighbourhoods",
        "Violence against women and girls",
        "Keeping young people safe",
        "Standing together against hate crime",
    ):
        assert text in html
    assert 'govuk-tag--orange">Amber</strong>' in html
    assert 'govuk-tag--red">Red</strong>' in html
    assert "Amber/Green" in html or 'govuk-tag--green">Green</strong>' in html


def test_navigation_shows_admin_links_only_to_administrators(client: Client, demo) -> None:
    client.force_login(User.objects.get(username="analyst"))
    assert 'href="/audit-log/"' not in client.get("/").content.decode()
    client.force_login(User.objects.get(username="administrator"))
    assert 'href="/audit-log/"' in client.get("/").content.decode()
