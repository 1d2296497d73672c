"""The clerk's meeting cycle in a browser, with the axe check on every page.

A coordinator records attendance at the demo partnership board's draft-minutes meeting,
minutes an item and raises an action from it, generates the next meeting's matters
arising (the action is there without being typed again), and closes the action.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from saferboard.core.demo import DEMO_PASSWORD


@pytest.fixture
def demo_site(transactional_db):  # type: ignore[no-untyped-def]
    from tests.actions.conftest import load_actions_and_meetings_demo

    return load_actions_and_meetings_demo()


def test_clerk_minutes_an_action_and_it_arises_at_the_next_meeting(page, demo_site) -> None:
    from saferboard.meetings.models import Board, MeetingStatus

    board = Board.objects.get(slug="safer-partnership-board")
    held = board.meetings.get(status=MeetingStatus.MINUTES_DRAFT)
    upcoming = board.meetings.order_by("-date").first()

    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit("/meetings/")
    page.check_page("meetings-index")
    page.click_link("Example Borough Safer Partnership Board")
    page.check_page("meetings-board")

    # Record attendance.
    page.visit(f"/meetings/{held.pk}/attendance/")
    page.check_page("meetings-attendance")
    selects = page.driver.find_elements(By.CSS_SELECTOR, "select[id^='id_member_']")
    for element in selects:
        Select(element).select_by_visible_text("Present")
    Select(selects[0]).select_by_visible_text("Sent a substitute")
    substitute = selects[0].get_attribute("id").replace("member", "substitute")
    page.fill(substitute, "Inspector Jane Doe")
    page.click_button("Save attendance")
    assert "Attendance saved" in page.text()
    page.check_page("meetings-meeting")

    # Minute an item with a decision, then raise an action from it.
    page.visit(f"/meetings/{held.pk}/minutes/")
    page.fill("id_title", "Knife crime in the town centre")
    page.fill("id_text", "The police lead reported an increase in knife crime offences.")
    page.fill("id_resolutions", "a weapons sweep be carried out in the town centre")
    page.click_button("Add the minute")
    assert "RESOLVED that a weapons sweep be carried out in the town centre" in page.text()
    assert "Inspector Jane Doe" in page.text()
    page.check_page("meetings-minutes")
    number = held.minute_items.order_by("-number").first().number
    page.click_link(f"Raise an action from minute {number}")
    page.check_page("meetings-raise-action")
    page.fill("id_description", "Arrange a weapons sweep with the council's street team")
    page.driver.find_element(
        By.XPATH, "//label[normalize-space()='Chief Superintendent Alan Price']"
    ).click()
    page.fill("id_due", "31/01/2030")
    page.click_button("Raise the action")
    assert "Arrange a weapons sweep" in page.text()

    # The next meeting's matters arising carries it, generated not typed.
    page.visit(f"/meetings/{upcoming.pk}/matters-arising/")
    page.click_button("Generate the matters arising again")
    table = page.driver.find_element(By.ID, "matters-arising").text
    assert f"{number}. Knife crime in the town centre" in table
    assert "Arrange a weapons sweep" in table and "31 January 2030" in table
    page.check_page("meetings-matters-arising")

    # Close the action, recording why.
    reference = board.action_log.actions.get(description__startswith="Arrange a weapons").reference
    page.click_link(f"Action {reference}")
    page.check_page("actions-action")
    page.fill("id_reason", "Sweep carried out on 3 February; two knives recovered.")
    page.click_button("Close the action")
    assert "Closed" in page.text() and "two knives recovered" in page.text()
    page.visit(f"/meetings/{upcoming.pk}/matters-arising/")
    page.click_button("Generate the matters arising again")
    row = page.driver.find_element(
        By.XPATH, f"//table[@id='matters-arising']//tr[td[contains(., '{number}. Knife')]]"
    ).text
    assert "Closed" in row and "two knives recovered" in row


def test_improvement_plan_pages(page, demo_site) -> None:
    from saferboard.actions.models import ActionPlan, PlanKind

    plan = ActionPlan.objects.get(kind=PlanKind.INSPECTION)
    page.sign_in("yos.head", DEMO_PASSWORD)
    page.visit("/actions/")
    page.check_page("actions-index")
    page.visit(f"/actions/{plan.pk}/")
    assert (
        "Of 14 actions: 2 Red, 5 Amber, 5 Green, 2 Blue (1 Blue proposed, awaiting the board)."
        in page.text()
    )
    page.check_page("actions-plan")
    page.visit(f"/actions/{plan.pk}/actions/3c/")
    page.driver.find_element(By.XPATH, "//label[normalize-space()='Green']").click()
    page.fill("id_rag_reason", "Oversight recorded in nearly every case")
    page.click_button("Record progress")
    assert "Attach evidence to support improving the RAG status from Amber to Green" in page.text()
    page.check_page("actions-evidence-gate")
    page.sign_in("coordinator", DEMO_PASSWORD)
    for path in ("/actions/new/", "/actions/import/"):
        page.visit(path)
        page.check_page("actions" + path.replace("/", "-").rstrip("-"))


def test_clerk_keeps_questions_declarations_and_a_cover_sheet(page, demo_site) -> None:
    """The clerk records a question from a member of the public (consent unticked until
    they agree), a declaration of interest and a paper's cover sheet (issue 20)."""
    from django.utils import timezone

    from saferboard.meetings.models import Board

    board = Board.objects.get(slug="safer-partnership-board")
    upcoming = board.meetings.order_by("-date").first()
    item = upcoming.agenda_items.order_by("position").first()
    today = timezone.localdate()

    def choose(label: str) -> None:
        page.driver.find_element(By.XPATH, f"//label[normalize-space()='{label}']").click()

    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit(f"/meetings/{upcoming.pk}/questions/")
    page.check_page("meetings-questions")
    page.click_link("Record a question")
    page.check_page("meetings-question-new")
    assert not page.driver.find_element(By.ID, "id_name_public").is_selected()
    page.click_button("Record the question")  # nothing filled in: located errors
    assert "There is a problem" in page.text()
    page.check_page("meetings-question-errors")
    choose("A member of the public")
    page.fill("id_asker_name", "Pat Example")
    page.fill("id_text", "What is being done about anti-social behaviour in the park?")
    page.fill("id_received_on", f"{today.day}/{today.month}/{today.year}")
    page.click_button("Record the question")
    assert "What is being done about anti-social behaviour in the park?" in page.text()
    assert "Pat Example" in page.text()  # signed-in staff see the name
    page.check_page("meetings-questions-one")

    page.visit(f"/meetings/{upcoming.pk}/declarations/")
    page.check_page("meetings-declarations")
    page.click_link("Record a declaration")
    page.check_page("meetings-declaration-new")
    Select(page.driver.find_element(By.ID, "id_person")).select_by_index(1)
    choose("Other registrable interest")
    page.fill("id_nature", "Trustee of a youth charity that bids for the partnership's grants")
    page.click_button("Record the declaration")
    assert "Trustee of a youth charity" in page.text()
    page.check_page("meetings-declarations-one")

    page.visit(f"/meetings/{upcoming.pk}/papers/{item.pk}/")
    page.check_page("meetings-paper")
    page.click_link("Add a cover sheet")
    page.check_page("meetings-cover-sheet")
    page.fill("id_report_number", "SPB/26/014")
    page.fill("id_author", "Community safety manager")
    choose("For decision")
    page.fill("id_summary", "The partnership's plan for the next quarter.")
    page.fill("id_recommendations", "The board approves the plan.")
    page.click_button("Save the cover sheet")
    assert "SPB/26/014" in page.text()
    page.check_page("meetings-paper-with-cover-sheet")


def test_chair_decides_a_leads_proposed_blue(page, demo_site) -> None:
    """A lead's Blue waits for the board (issue 20): the coordinator, for the board, is
    asked for a decision, must choose one, accepts it, and the action closes as Blue."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferboard.actions.models import Action, ActionStatus
    from saferboard.actions.services import record_update
    from saferboard.core.models import User
    from saferboard.core.rag import RagAssessment

    lead = User.objects.get(username="yos.head")
    action = (
        Action.objects.filter(
            lead_organisations__in=lead.organisation_ids(), status=ActionStatus.OPEN
        )
        .exclude(rag_status="blue")
        .order_by("pk")
        .first()
    )
    result = record_update(
        action,
        user=lead,
        text="Every audit is done and reported to the management board.",
        proposed=RagAssessment("blue", reason="Audits complete and reported"),
        evidence=[SimpleUploadedFile("audits.pdf", b"%PDF-1.4\n% evidence\n", "application/pdf")],
    )
    assert result.problems == [] and result.proposal is not None

    page.sign_in("coordinator", DEMO_PASSWORD)
    page.visit(f"/actions/{action.plan_id}/actions/{action.reference}/")
    assert "Blue proposed" in page.text()
    page.check_page("actions-blue-proposed")
    decide = page.driver.find_element(By.CSS_SELECTOR, "#blue-proposed a[href$='/blue/']")
    assert decide.text.startswith("Decide the proposed Blue")
    page._and_wait(decide.click)
    assert page.h1 == "Decide the proposed Blue"
    page.check_page("actions-blue-decision")
    page.click_button("Record the board's decision")
    assert "Select whether the board accepts the Blue" in page.text()
    page.check_page("actions-blue-decision-error")
    page.driver.find_element(
        By.XPATH, "//label[normalize-space()='Yes: record Blue and close the action']"
    ).click()
    page.click_button("Record the board's decision")
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.rag_status == "blue"
    assert "Blue accepted" in page.text()
    page.check_page("actions-blue-accepted")
