"""A partner lead fills the police's monthly data return in the web form; the
coordinator sees the late returns. One test, so the demo loads once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from saferboard.core.demo import DEMO_PASSWORD
from saferboard.core.periods import Period, month_end, month_index, month_start


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    return restore(demo_snapshot, sabo_data_dir)


def test_partner_lead_fills_the_return_and_coordinator_chases(page, demo_site) -> None:
    last = month_index(timezone.localdate()) - 1
    period = Period.month(month_start(last).year, month_start(last).month)
    assert month_end(last) == period.end
    page.sign_in("partner.lead", DEMO_PASSWORD)
    page.visit("/returns/")
    assert page.h1 == "Data returns"
    page.check_page("returns-index-partner-lead")
    page.click_link("Community impact days (police)")
    page.check_page("returns-template-police")
    page.click_link(period.label)
    assert page.h1 == f"Community impact days (police): {period.label}"
    page.check_page("returns-form")

    page.fill("id_value_cid-weapons-sweeps", "six")
    page.click_button("Submit the return")
    assert "There is a problem" in page.text()
    assert page.title.startswith("Error: ")
    page.check_page("returns-form-errors")

    for field, value in (
        ("id_value_cid-weapons-sweeps", "6"),
        ("id_value_cid-vehicle-stops", "40"),
        ("id_value_cid-arrests", "5"),
        ("id_value_cid-visits", "25"),
    ):
        page.fill(field, value)
    page.click_button("Submit the return")
    assert "accepted (version 1)" in page.text()
    assert "Correct this return" in page.text()
    page.check_page("returns-accepted")

    page.visit("/measures/partner-return/cid-vehicle-stops/")
    assert period.start.strftime("%b %Y") in page.text()
    assert "Community impact days (police)" in page.text()

    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit("/returns/outstanding/")
    assert page.h1 == "Late and missing returns"
    assert "Victim Support (London)" in page.text()
    assert "Late" in page.text()
    page.check_page("returns-outstanding")
    page.visit("/api/tokens/")
    page.check_page("api-tokens")
