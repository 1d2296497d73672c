"""Crime journeys in a real browser: an analyst imports a file, watches it go, sees the
dashboard; every page passes the axe accessibility check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from saferboard.core.demo import DEMO_PASSWORD

CITY_JUNE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "crime"
    / "police_uk"
    / "2023-06"
    / "2023-06-city-of-london-street.csv"
)


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    return restore(demo_snapshot, sabo_data_dir)


def _wait_for_h1(page, wanted: set[str], seconds: float = 60) -> str:  # type: ignore[no-untyped-def]
    """The progress page refreshes itself; wait until it shows how the import ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if page.h1 in wanted:
                return page.h1
        except Exception:  # noqa: S110 - the page is reloading; look again
            pass
        time.sleep(0.5)
    raise AssertionError(f"the import did not finish in {seconds} s (page says {page.h1!r})")


def test_analyst_imports_and_sees_the_dashboard(page, demo_site) -> None:
    from selenium.webdriver.common.by import By

    page.sign_in("analyst", DEMO_PASSWORD)
    page.visit("/crime/")
    assert page.h1 == "Crime dashboard for Bromley"
    assert "Total notifiable offences" in page.text()
    page.check_page("crime-dashboard-bromley")

    page.click_link("Import crime data")
    assert page.h1 == "Import crime data"
    page.check_page("crime-import")
    page.driver.find_element(By.ID, "id_files").send_keys(str(CITY_JUNE))
    page.click_button("Import")
    first = page.h1
    assert first in {"Importing crime data", "Import complete"}
    page.check_page("crime-import-progress")
    assert _wait_for_h1(page, {"Import complete", "Import rejected"}) == "Import complete"
    assert "747 rows imported" in page.text()
    page.check_page("crime-import-complete")

    page.click_link("View the crime dashboard")
    assert page.h1.startswith("Crime dashboard")
    page.visit("/crime/?source=police-uk&area=city-of-london&to=2023-06")
    assert page.h1 == "Crime dashboard for City of London Police"
    assert "60 crime(s) in the rolling year had no location" in page.text()
    page.check_page("crime-dashboard-city-force")


def test_a_rejected_upload_says_where(page, demo_site, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    bad = tmp_path / "2023-06-city-of-london-street.csv"
    bad.write_bytes(CITY_JUNE.read_bytes().replace(b"Public order", b"Pubic order", 1))
    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit("/crime/import/")
    page.driver.find_element(By.ID, "id_files").send_keys(str(bad))
    page.click_button("Import")
    assert _wait_for_h1(page, {"Import complete", "Import rejected"}) == "Import rejected"
    assert "Pubic order" in page.text()
    page.check_page("crime-import-rejected")
