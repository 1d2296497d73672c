"""An installation set up only by `saferboard init` (no demo): every navigation page and
the main list pages answer (200, or 403 where the role does not fit), never 400 or 500,
and a page that needs something not yet set up says what, with a link to set it up."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from saferboard.core.models import User

pytestmark = pytest.mark.django_db

# path, status for the init administrator, words saying what is missing (or what the
# page is), a link the page must offer (where to set the missing thing up)
PAGES = [
    ("/", 200, "Set up your partnership", "/organisations/"),
    ("/crime/", 200, "There is no police.uk data for Bristol, City of yet", "/crime/import/"),
    ("/youth-justice/", 200, "No youth justice case records", "/youth-justice/import/"),
    ("/strategy/", 200, "No strategy has been set up yet", "/strategy/settings/"),
    ("/strategy/my-returns/", 403, "", ""),  # partner leads' page
    ("/strategy/rounds/new/", 403, "", ""),  # coordinators open rounds
    ("/meetings/", 200, "No boards have been set up yet", "/meetings/settings/boards/"),
    ("/meetings/settings/boards/", 200, "No boards have been set up yet", "/meetings/settings/"),
    ("/panels/", 200, "No panels have been set up", "/panels/settings/"),
    ("/panels/settings/", 200, "Panel settings", "/panels/settings/new/"),
    ("/returns/", 200, "Data returns", "/returns/settings/"),
    ("/returns/settings/", 200, "No templates yet", "/returns/settings/new/"),
    ("/measures/", 200, "Measures", "/measures/new/"),
    ("/packs/", 200, "There are no published packs yet", "/meetings/settings/boards/"),
    ("/actions/", 200, "There are no plans you can see yet", "/actions/new/"),
    ("/organisations/", 200, "City of Bristol Council", "/organisations/"),
    ("/people/", 200, "admin", "/people/"),
    ("/audit-log/", 200, "Audit log", ""),
    ("/settings/", 200, "Settings", "/settings/partnership/"),
    ("/settings/partnership/", 200, "No strategy yet", "/strategy/settings/"),
    ("/settings/workbook/", 200, "Set up from a spreadsheet", "/settings/workbook/"),
    ("/strategy/settings/", 200, "There is no strategy yet", "/strategy/settings/"),
]


@pytest.fixture
def administrator(client) -> User:  # type: ignore[no-untyped-def]
    """A Bristol partnership made by `saferboard init` alone, its administrator signed in
    (outside London: no force known, police.uk as the crime source)."""
    call_command(
        "init", "--partnership", "Safer Bristol", "--area", "Bristol", "--admin", "admin",
        "--admin-email", "admin@bristol.example", "--no-input", stdout=StringIO(),
    )  # fmt: skip
    user = User.objects.get(username="admin")
    client.force_login(user)
    return user


def main_content(html: str) -> tuple[str, list[str]]:
    """The text of the page's main element and the links in it."""
    main = html.split('id="main-content"', 1)[-1].split("</main>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    return text, re.findall(r'<a [^>]*href="([^"]+)"', main)


@pytest.mark.parametrize(("path", "status", "says", "link"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_answers_on_an_installation_set_up_by_init(  # type: ignore[no-untyped-def]
    client, administrator, path: str, status: int, says: str, link: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, path
    if status != 200:
        return
    text, links = main_content(response.content.decode())
    assert says in text.replace("&#x27;", "'"), text[:500]
    if link:
        assert any(href.startswith(link) for href in links), (link, links)


def test_every_navigation_link_answers(client, administrator) -> None:  # type: ignore[no-untyped-def]
    nav = client.get("/").context["nav_items"]
    assert "Settings" in [item["text"] for item in nav]
    for item in nav:
        assert client.get(item["href"]).status_code == 200, item
