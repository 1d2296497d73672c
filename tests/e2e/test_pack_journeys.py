"""The coordinator builds, checks, publishes and downloads a board pack; a board member
reads it. Every page passes axe; a few PDF pages are rendered to PNG for review."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

PACK_PAGES = Path(__file__).resolve().parents[2] / "test-artifacts" / "pack-pages"


@pytest.fixture
def pack_site(transactional_db, settings):  # type: ignore[no-untyped-def]
    from tests.factories import make_user
    from tests.reports.conftest import build_pack_setting

    settings.SABO_PACK_BUILD_INLINE = True  # the status page then shows the result
    return build_pack_setting(make_user)


def _download(page, href: str) -> bytes:  # type: ignore[no-untyped-def]
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.driver.get_cookies())
    assert href.startswith("http://")
    request = urllib.request.Request(href, headers={"Cookie": cookies})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - live test server
        assert "attachment" in response.headers["Content-Disposition"]
        return response.read()


def test_coordinator_builds_checks_publishes_and_downloads(page, pack_site) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    meeting = pack_site["meeting"]
    page.sign_in("coord", TEST_PASSWORD)
    page.visit("/packs/")
    assert page.h1 == "Board packs"
    page.check_page("packs-index")
    page.click_link(f"Safer Testborough Board, {meeting.date:%-d %B %Y}")
    page.check_page("packs-meeting")
    page.click_button("Build the public pack")
    assert page.h1 == "Building the public pack"
    assert "Built:" in page.text()
    page.check_page("packs-status")
    page.click_link("Check the figures")
    assert page.h1 == "Figure check"
    assert "50%" in page.text()
    page.check_page("packs-check")
    reason = page.driver.find_element(By.CSS_SELECTOR, "textarea[name=reason]")
    reason.send_keys("Figures as the analyst gave them; corrected at the meeting.")
    page._and_wait(
        page.driver.find_element(
            By.XPATH, "//button[starts-with(normalize-space(), 'Acknowledge')]"
        ).click
    )
    assert "Finding acknowledged" in page.text()
    page.check_page("packs-check-acknowledged")
    page.click_button("Publish this version")
    assert "Published" in page.text()
    page.check_page("packs-meeting-published")
    page._and_wait(page.driver.find_element(By.PARTIAL_LINK_TEXT, "Read online").click)
    assert page.h1.startswith("Safer Testborough Board")
    page.check_page("packs-web")
    pdf_link = page.driver.find_element(By.PARTIAL_LINK_TEXT, "Download PDF").get_attribute("href")
    pdf = _download(page, pdf_link)
    assert pdf.startswith(b"%PDF-")

    PACK_PAGES.mkdir(parents=True, exist_ok=True)
    target = PACK_PAGES / "public-pack.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "5",
            str(target),
            str(PACK_PAGES / "page"),
        ],
        check=True,
        timeout=60,
    )
    assert len(list(PACK_PAGES.glob("page-*.png"))) >= 5
    info = subprocess.run(
        ["/usr/bin/pdfinfo", str(target)], check=True, capture_output=True, text=True, timeout=30
    ).stdout
    assert "Tagged:          yes" in info and "Title:           Safer Testborough Board" in info

    # A board member reads the published pack.
    page.sign_in("member", TEST_PASSWORD)
    page.visit("/packs/")
    page.check_page("packs-index-member")
    assert "Build the public pack" not in page.driver.page_source


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir, settings):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    settings.SABO_PACK_BUILD_INLINE = True
    return restore(demo_snapshot, sabo_data_dir)


def test_a_minute_that_misquotes_the_stored_figure_is_queried(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    """The figure check compares narrative with the data (issue 20): the demo's minute
    says total notifiable offences fell 12%, the stored figure fell 1.9%; both are shown,
    and accepting the finding with a reason applies to the meeting's packs."""
    from selenium.webdriver.common.by import By

    from saferboard.core.demo import DEMO_PASSWORD
    from saferboard.meetings.models import Meeting

    meeting = Meeting.objects.get(board__slug="safer-partnership-board", date="2026-09-07")
    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit(f"/packs/meetings/{meeting.pk}/")
    page.click_button("Build the restricted pack")
    assert "Built:" in page.text()
    page.click_link("Check the figures")
    assert page.h1 == "Figure check"
    text = page.text()
    assert "12%" in text and "1.9%" in text
    page.check_page("packs-check-against-data")
    reason = page.driver.find_element(By.CSS_SELECTOR, "textarea[name=reason]")
    reason.send_keys(
        "The chair corrected the figure at the meeting; the minute records what was said."
    )
    page._and_wait(
        page.driver.find_element(
            By.XPATH, "//button[starts-with(normalize-space(), 'Acknowledge')]"
        ).click
    )
    assert "Finding acknowledged" in page.text()
    page.check_page("packs-check-against-data-accepted")
