"""Sign in as each role, visit each page, and check titles and accessibility (axe)."""

from __future__ import annotations

import pytest

from saferboard.core.demo import DEMO_PASSWORD

ROLE_PAGES = {
    "coordinator": ["/", "/organisations/", "/organisations/police/", "/measures/"],
    "partner.lead": ["/", "/organisations/police/", "/organisations/police/people/"],
    "board.member": ["/", "/organisations/"],
    "analyst": ["/", "/measures/"],
    "panel.member": ["/", "/organisations/yos/people/"],
    "administrator": ["/", "/people/", "/audit-log/", "/organisations/", "/accessibility/"],
}


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    return restore(demo_snapshot, sabo_data_dir)


def test_sign_in_page_and_wrong_password(page, demo_site) -> None:
    page.visit("/")
    assert page.h1 == "Sign in"
    page.check_page("sign-in")
    page.fill("id_username", "coordinator")
    page.fill("id_password", "not-the-password")
    page.click_button("Sign in")
    assert "There is a problem" in page.text()
    assert page.title.startswith("Error: Sign in")
    page.check_page("sign-in-error")


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_role_visits_its_pages(page, demo_site, username: str) -> None:
    page.sign_in(username, DEMO_PASSWORD)
    assert "Signed in as" in page.driver.page_source
    for path in ROLE_PAGES[username]:
        page.visit(path)
        slug = path.strip("/").replace("/", "-") or "home"
        page.check_page(f"{username}-{slug}")


def test_not_found_page(page, demo_site) -> None:
    page.sign_in("analyst", DEMO_PASSWORD)
    page.visit("/organisations/no-such-organisation/")
    assert page.h1 == "Page not found"
    page.check_page("not-found")


def test_sign_out(page, demo_site) -> None:
    page.sign_in("board.member", DEMO_PASSWORD)
    page.click_button("Sign out")
    assert page.h1 == "Sign in"
