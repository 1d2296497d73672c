"""Panel journeys in a real browser, each page checked with axe: the coordinator refers,
reviews, adds an action and closes; the board sees only suppressed aggregates; an
administrator answers a subject access request."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from saferboard.core.demo import DEMO_PASSWORD


@pytest.fixture
def demo_site(transactional_db):  # type: ignore[no-untyped-def]
    """The demo people and panels (not every app's demo, which these pages do not need)."""
    from saferboard.core import demo as core_demo
    from saferboard.panels import demo as panels_demo

    partnership, sign_ins = core_demo.load()
    panels_demo.load(partnership)
    return sign_ins


def _select(page, field_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    Select(page.driver.find_element(By.ID, field_id)).select_by_visible_text(text)


def _tick(page, field_id: str) -> None:  # type: ignore[no-untyped-def]
    element = page.driver.find_element(By.ID, field_id)
    page.driver.execute_script("arguments[0].click();", element)


def _choose(page, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    element = page.driver.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
    page.driver.execute_script("arguments[0].click();", element)


def test_coordinator_refers_reviews_adds_an_action_and_closes(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    page.sign_in("panel.member", DEMO_PASSWORD)
    page.visit("/panels/")
    assert page.h1 == "Multi-agency panels"
    page.check_page("panels-index-member")
    page.click_link("Exploitation and Gangs Panel")
    assert page.h1 == "Exploitation and Gangs Panel"
    assert "Jayden Example" in page.text()
    page.check_page("panels-list")

    page.click_link("Refer someone")
    page.click_button("Add referral")  # nothing filled in: errors
    assert "There is a problem" in page.text()
    page.check_page("panels-refer-errors")
    page.fill("id_full_name", "Morgan Example")
    page.fill("id_date_of_birth", "14/2/2011")
    page.fill("id_address", "7 Sample Close, Example Borough")
    _select(page, "id_ethnicity", "Mixed or multiple ethnic groups")
    _select(page, "id_sex", "Female")
    _select(page, "id_referral_source", "Example Borough Education Partnership")
    page.fill("id_referral_reason", "Missing from school; seen with older males")
    _select(page, "id_lead_agency", "Example Borough Youth Offending Service")
    _tick(page, "id_flags_1")  # child sexual exploitation risk
    _tick(page, "id_flags_3")  # missing episodes
    _choose(page, "likelihood", "3")
    _choose(page, "impact", "3")
    page.fill("id_rationale", "Two missing episodes this month")
    _select(page, "id_agency", "Example Borough Education Partnership")
    page.check_page("panels-refer")
    page.click_button("Add referral")
    assert page.h1.startswith("Case EXP-")
    assert "Morgan Example" not in page.title  # names stay out of browser history
    assert "Morgan Example, age" in page.text()
    assert "Referral added as EXP-" in page.text()
    assert "High" in page.text()
    page.check_page("panels-case-referred")

    page.click_link("Record a review")
    page.fill("id_summary", "Discussed at the panel; school and police updates")
    _select(page, "id_agency_1", "Metropolitan Police Service (South BCU)")
    page.fill("id_shared_1", "Stopped with two older males in a car")
    _select(page, "id_agency", "Metropolitan Police Service (South BCU)")
    _choose(page, "likelihood", "4")
    _choose(page, "impact", "3")
    page.fill("id_rationale", "Association with older males")
    page.check_page("panels-review")
    page.click_button("Record review")
    assert "Review recorded" in page.text()
    assert "Stopped with two older males" in page.text()
    assert "Increased" in page.text()

    page.click_link("Add an action")
    page.fill("id_description", "Return-home interview and a mentoring referral")
    _select(page, "id_owner_organisation", "Example Borough Youth Offending Service")
    page.check_page("panels-action")
    page.click_button("Add action")
    assert "Action added" in page.text()
    assert "Return-home interview" in page.text()

    page.click_link("Change status")
    _choose(page, "status", "closed")
    page.fill("id_reason", "Moved out of the borough; case transferred")
    page.check_page("panels-status")
    page.click_button("Change status")
    assert "is now Closed" in page.text()
    assert "Moved out of the borough" in page.text()
    page.check_page("panels-case-closed")


def test_board_member_sees_aggregates_only(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    page.sign_in("board.member", DEMO_PASSWORD)
    page.visit("/panels/")
    assert "Aggregates only" in page.text()
    page.check_page("panels-index-board")
    page.visit("/panels/exploitation-gangs/aggregates/")
    assert page.h1 == "Exploitation and Gangs Panel: aggregates"
    assert "Jayden" not in page.text()
    page.check_page("panels-aggregates")
    page.visit("/panels/exploitation-gangs/")
    assert page.h1 == "Page not found"


def test_administrator_answers_a_subject_access_request(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    page.sign_in("administrator", DEMO_PASSWORD)
    page.visit("/panels/subject-access/")
    page.check_page("panels-sar")
    page.fill("id_sar_reference", "SAR-2026-001")
    page.fill("id_full_name", "Nobody Example")
    page.fill("id_date_of_birth", "1/1/2010")
    page.click_button("Find records")
    assert "0 cases found" in page.text()
    page.check_page("panels-sar-results")
    page.visit("/panels/audit/")
    page.check_page("panels-audit-search")
    page.visit("/panels/exploitation-gangs/members/")
    assert "Grace Mensah" in page.text()
    page.check_page("panels-members")
