"""A quarter's update, end to end, with the axe check on every page.

The police partner lead drafts an update, attaches evidence and proposes Green over the
last accepted Amber; the coordinator returns it with a comment; the lead resubmits; the
coordinator accepts; the priority report shows the new status and its history.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from saferboard.core.demo import DEMO_PASSWORD

ASB = "Work with partners to tackle anti-social behaviour hotspots"


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    return restore(demo_snapshot, sabo_data_dir)


def choose(page, input_id: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a GOV.UK radio by clicking its label, as a person would."""
    from selenium.webdriver.common.by import By

    page.driver.find_element(By.CSS_SELECTOR, f"label[for='{input_id}']").click()


def test_update_is_drafted_returned_resubmitted_accepted_reported_and_read(
    page, demo_site, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    from saferboard.strategy.models import Contribution, PartnerUpdate

    update = PartnerUpdate.objects.get(
        round__financial_year=2021,
        round__quarter=1,
        organisation__slug="police",
        commitment__priority__number=1,
        commitment__number=2,
    )
    round_id = update.round_id
    evidence = tmp_path / "community-impact-days-q1.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% three community impact days, April to June 2021\n")

    # The partner lead finds the return and starts from last quarter's text.
    page.sign_in("partner.lead", DEMO_PASSWORD)
    page.visit("/strategy/my-returns/")
    assert page.h1 == "My returns"
    assert ASB in page.text() and "Not started" in page.text()
    page.check_page("strategy-my-returns")
    page.click_link(f"Priority 1, commitment 2: {ASB}")
    assert page.h1 == "Your update: commitment 1.2"
    assert "carried forward" in page.text()
    page.check_page("strategy-update-form")

    # Green over Amber without evidence is refused; the draft is kept.
    page.fill(
        "id_narrative",
        "Ward teams led **three** community impact days in Cray Valley East, Mottingham and "
        "Penge, with 6 arrests and 2.4 tonnes of fly-tipping removed.\n\n"
        "- 14 hotspot patrol plans\n- weapons sweeps in every hotspot ward",
    )
    choose(page, "id_rag_status_2")  # Green
    page.fill("id_rag_reason", "Green: all five impact days now delivered")
    page.click_button("Submit for review")
    assert "There is a problem" in page.text()
    assert "Attach evidence to support improving the RAG status from Amber to Green" in page.text()
    page.check_page("strategy-update-gate-error")

    # With the evidence attached it goes in.
    page.driver.find_element(By.ID, "id_evidence_file").send_keys(str(evidence))
    page.fill("id_evidence_description", "Impact day results")
    page.click_button("Submit for review")
    assert page.h1 == "My returns"
    assert "has been submitted for review" in page.text()
    page.check_page("strategy-my-returns-submitted")

    # The coordinator sees it on the returns page, reads it beside last quarter's, returns it.
    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit(f"/strategy/rounds/{round_id}/returns/")
    assert page.h1 == "Returns for Q1 2021-22"
    page.check_page("strategy-returns")
    page.visit(f"/strategy/updates/{update.pk}/review/")
    assert "community-impact-days-q1.pdf" in page.text()
    assert "An improvement: it needs evidence" in page.text()
    page.check_page("strategy-review")
    choose(page, "id_decision_1")  # return
    page.fill("id_comment", "Please say how many ASB cases were closed after the impact days.")
    page.click_button("Confirm decision")
    assert "returned to the partner" in page.text()

    # The lead sees the comment, adds the figure and resubmits.
    page.sign_in("partner.lead", DEMO_PASSWORD)
    page.visit(f"/strategy/updates/{update.pk}/edit/")
    assert "Please say how many ASB cases were closed" in page.text()
    page.check_page("strategy-update-returned")
    narrative = page.driver.find_element(By.ID, "id_narrative")
    narrative.send_keys("\n\n17 ASB cases were closed in the month after the impact days.")
    page.click_button("Submit for review")
    assert "has been submitted for review" in page.text()

    # The coordinator accepts it.
    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit(f"/strategy/updates/{update.pk}/review/")
    assert "Resubmitted" in page.text()
    choose(page, "id_decision")  # accept
    page.click_button("Confirm decision")
    assert "has been accepted" in page.text()
    contribution = Contribution.objects.get(
        commitment=update.commitment, organisation=update.organisation
    )
    assert contribution.rag_status == "green"

    # The report shows the new status, the narrative and the history Amber → Green.
    page.visit(f"/strategy/rounds/{round_id}/priorities/1/")
    assert page.h1 == "Q1 2021-22: progress against Priority 1 – Safer neighbourhoods"
    section = page.driver.find_element(By.ID, "commitment-2").find_element(By.XPATH, "..")
    text = section.text
    assert "17 ASB cases were closed" in text
    assert "Green: all five impact days now delivered" in text
    history = section.find_element(By.CSS_SELECTOR, ".sabo-timeline").text
    police_row = next(r for r in history.splitlines() if r.startswith("Metropolitan Police"))
    assert police_row.endswith("Amber Green"), police_row
    page.check_page("strategy-report")
    page.visit(f"/strategy/commitments/{update.commitment_id}/")
    assert "Green: all five impact days now delivered" in page.text()
    page.check_page("strategy-commitment-history")
    page.visit("/strategy/rounds/new/")
    page.check_page("strategy-round-new")

    # A board member reads the rounds and reports (one demo load serves both journeys).
    page.sign_in("board.member", DEMO_PASSWORD)
    page.visit("/strategy/")
    assert page.h1 == "Strategy delivery"
    page.check_page("strategy-index-board")
    page.click_link("Q4 2020-21")
    page.check_page("strategy-round-q4")
    page.click_link("Priority 4: Standing together against hate crime and extremism")
    assert "Amber/Green" in page.text()
    page.check_page("strategy-report-q4-p4")
