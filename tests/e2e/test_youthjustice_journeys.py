"""The YOS head of service's journey: upload an export, read the import report, open
youth justice performance, drill into ethnicity. Every page gets an axe check."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from saferboard.core.demo import DEMO_PASSWORD

SMALL_EXPORT = Path(__file__).resolve().parents[1] / "data" / "youthjustice" / "small_export"


@pytest.fixture
def yj_site(transactional_db):  # type: ignore[no-untyped-def]
    """The demo's people and the youth justice demo (not the other apps' demo data)."""
    from saferboard.core import demo as core_demo
    from saferboard.youthjustice import demo as yj_demo

    partnership, _ = core_demo.load()
    yj_demo.load(partnership)
    return partnership


def test_yos_head_uploads_an_export_and_drills_into_ethnicity(page, yj_site, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in SMALL_EXPORT.iterdir():
            zipped.write(path, path.name)

    page.sign_in("yos.head", DEMO_PASSWORD)
    page.visit("/youth-justice/")
    assert page.h1 == "Youth justice performance"
    text = page.text()
    assert "synthetic demonstration data" in text
    # Comparators beside the local figure; ranks only among published figures (issue 21:
    # a local figure is never ranked among other services' published ones).
    assert "London:" in text
    assert "ranked" in text and "(published figures)" in text
    assert "Provisional" in text
    page.check_page("yj-performance-bromley")

    page.click_link("Import a case management export")
    assert page.h1 == "Import youth justice case records"
    page.check_page("yj-import")
    page.driver.find_element(By.ID, "id_export").send_keys(str(archive))
    page.click_button("Import")
    assert page.h1 == "Import report"
    assert "Case records imported for Testborough" in page.text()
    page.check_page("yj-import-report")

    page.click_link("See youth justice performance")
    assert "Testborough" in page.text()
    page.check_page("yj-performance-testborough")

    page.click_link("By ethnicity, with disproportionality")
    assert page.h1 == "Youth justice by ethnicity"
    text = page.text()
    assert "Representation ratio" in text and "Relative rate index" in text
    page.check_page("yj-ethnicity")


def test_rejected_import_then_need_to_know_access(page, yj_site, tmp_path) -> None:
    from selenium.webdriver.common.by import By

    bad = tmp_path / "outcomes.csv"
    bad.write_text((SMALL_EXPORT / "outcomes.csv").read_text().replace("fine", "telling_off"))
    page.sign_in("yos.head", DEMO_PASSWORD)
    page.visit("/youth-justice/import/")
    paths = [str(SMALL_EXPORT / "children.csv"), str(bad), str(SMALL_EXPORT / "offences.csv")]
    page.driver.find_element(By.ID, "id_export").send_keys("\n".join(paths))
    page.click_button("Import")
    assert "The export was not imported" in page.text()
    assert "outcomes.csv, row 8, column outcome_type" in page.text()
    page.check_page("yj-import-error")

    # A board member reads a breakdown in publication mode; the police lead cannot.
    page.sign_in("board.member", DEMO_PASSWORD)
    page.visit("/youth-justice/breakdown/age_band/?publication=on")
    assert page.h1 == "Youth justice by age band"
    page.check_page("yj-age-band-publication")
    page.sign_in("partner.lead", DEMO_PASSWORD)
    page.visit("/youth-justice/")
    assert "Youth justice performance" not in page.h1
