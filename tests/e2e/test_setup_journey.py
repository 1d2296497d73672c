"""From an empty database to a board pack, in the browser (issue 16, "Docs and tests").

`saferboard init` makes the partnership and its first administrator, who signs in with the
printed one-time link and works down the set-up checklist: organisations (a council
department under the council), people (a coordinator and a partner lead, each invited and
signing in through the emailed link), a strategy with a priority, a commitment and a
sub-commitment, a board with a chair, a composite measure and a data-return template.
The coordinator then opens a reporting round, the partner lead submits an update, the
coordinator accepts it, schedules the board's meeting and builds its pack. Every page
passes the axe check.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest

PASSWORD = "Lantern-harbour-2026"  # passes the password validators
ADMIN = "jo.admin"
COUNCIL = "Bromley Council"
POLICE = "Metropolitan Police Service"
DEPARTMENT = "Bromley Community Safety Team"
PROBATION = "Probation Service London"
COORDINATOR = ("Casey Coordinator", "casey.coordinator@bromley.example")
PARTNER = ("Pat Partner", "pat.partner@probation.example")
STRATEGY = "Safer Bromley Strategy 2026 to 2029"
PRIORITY = "Safer neighbourhoods"
COMMITMENT = "Work with partners to reduce reoffending in hotspot wards"
SUB_COMMITMENT = "Joint home visits to people on licence"
BOARD = "Safer Bromley Partnership Board"
SET_PASSWORD_LINK = re.compile(r"https?://[^/\s]+(/set-password/\S+/)")


@pytest.fixture
def empty_site(transactional_db, settings):  # type: ignore[no-untyped-def]
    """An empty database: nothing but what migrations make."""
    settings.SABO_PACK_BUILD_INLINE = True  # the pack's status page then shows the result
    from saferboard.core.models import Partnership

    assert not Partnership.objects.exists()


# Small helpers over the page, as a person uses the form --------------------------------------


def select(page, field_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(page.driver.find_element(By.ID, field_id)).select_by_visible_text(text)


def choose(page, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Tick a GOV.UK radio or checkbox of the field ``name`` by clicking its label."""
    from selenium.webdriver.common.by import By

    page.driver.find_element(
        By.XPATH,
        f"//input[@name='{name}']/following-sibling::label[normalize-space()=\"{label}\"]",
    ).click()


def click_partial_link(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click a link whose visible text starts with ``text`` (the rest is visually hidden)."""
    from selenium.webdriver.common.by import By

    page._and_wait(page.driver.find_element(By.PARTIAL_LINK_TEXT, text).click)


def banner(page) -> str:  # type: ignore[no-untyped-def]
    """The success banner's text (it fails if there is none)."""
    from selenium.webdriver.common.by import By

    found = page.driver.find_elements(By.CSS_SELECTOR, ".govuk-notification-banner--success")
    assert found, f"no success banner on {page.driver.current_url}:\n{page.text()}"
    return found[0].text


def checklist_progress(page) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    heading = page.driver.find_element(By.ID, "set-up-checklist")
    return heading.find_element(By.XPATH, "following-sibling::p[1]").text


def task_status(page, key: str) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return page.driver.find_element(By.ID, f"task-{key}-status").text


def set_password(page, path: str, username: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Open a one-time link, set the password and land signed in on the home page."""
    page.sign_out()
    page.visit(path)
    assert page.h1 == "Set your password"
    assert f"Your username is {username}" in page.text()
    page.check_page(f"setup-journey-set-password-{name}")
    page.fill("id_new_password1", PASSWORD)
    page.fill("id_new_password2", PASSWORD)
    page.click_button("Set password and sign in")
    assert page.driver.current_url.rstrip("/") == page.base_url.rstrip("/")


def emailed_link(to: str) -> str:
    """The set-password path in the last email sent to ``to``."""
    from django.core import mail

    message = [m for m in mail.outbox if to in m.to][-1]
    found = SET_PASSWORD_LINK.search(message.body)
    assert found, message.body
    return found.group(1)


# The steps --------------------------------------------------------------------------------


def init_partnership() -> str:
    """Run `saferboard init` as the server's operator would; return the link's path."""
    from django.core.management import call_command

    out = StringIO()
    call_command(
        "init",
        "--partnership", "Safer Bromley Partnership", "--area", "Bromley",
        "--admin", ADMIN, "--admin-email", "jo.admin@bromley.example",
        "--admin-name", "Jo Admin", "--no-input",
        stdout=out,
    )  # fmt: skip
    printed = out.getvalue()
    assert "Partnership set up: Safer Bromley Partnership" in printed
    assert "Local authority: Bromley (E09000006)" in printed
    found = SET_PASSWORD_LINK.search(printed)
    assert found, printed
    return found.group(1)


def add_organisations(page) -> None:  # type: ignore[no-untyped-def]
    page.click_link("Add your partner organisations")
    assert page.h1 == "Partner organisations"
    assert POLICE in page.text() and COUNCIL in page.text()  # made by init
    page.check_page("setup-journey-organisations")

    page.click_link("Add an organisation")
    assert page.h1 == "Add an organisation"
    page.check_page("setup-journey-organisation-add")
    page.fill("id_name", DEPARTMENT)
    select(page, "id_type", "Council")
    select(page, "id_parent", COUNCIL)
    page.fill("id_start_date", "1/4/2026")
    page.click_button("Add the organisation")
    assert f"{DEPARTMENT} added" in banner(page)
    assert page.h1 == DEPARTMENT
    assert COUNCIL in page.text()  # part of the council
    page.check_page("setup-journey-organisation")

    page.visit("/organisations/add/")
    page.fill("id_name", PROBATION)
    select(page, "id_type", "Probation")
    choose(page, "is_responsible_authority", "A responsible authority")
    page.fill("id_start_date", "1/4/2026")
    page.click_button("Add the organisation")
    assert f"{PROBATION} added" in banner(page)

    page.visit("/organisations/")
    for name in (COUNCIL, POLICE, DEPARTMENT, PROBATION):
        assert name in page.text()


def add_and_invite(page, person: tuple[str, str], organisation: str, role: str) -> None:  # type: ignore[no-untyped-def]
    name, email = person
    page.visit("/people/")
    assert page.h1 == "People and roles"
    page.click_link("Add a person")
    assert page.h1 == "Add a person"
    page.fill("id_full_name", name)
    page.fill("id_email", email)
    select(page, "id_organisation", organisation)
    page.click_button("Add the person")
    assert f"{name} added. Give them roles, then invite them." in banner(page)
    assert page.h1 == name

    click_partial_link(page, "Add a role")
    assert page.h1 == "Add a role"
    page.check_page(f"setup-journey-role-{role.replace(' ', '-').lower()}")
    select(page, "id_organisation", organisation)
    choose(page, "role", role)
    page.click_button("Add the role")
    assert f"{name} is now {role.lower()} for {organisation}" in banner(page)

    page.click_button(f"Invite by email to {name}")
    assert f"Invitation sent to {email}" in banner(page)
    page.check_page(f"setup-journey-person-{role.replace(' ', '-').lower()}")


def set_up_strategy(page) -> None:  # type: ignore[no-untyped-def]
    page.click_link("Set up the strategy, its priorities and commitments")
    assert page.h1 == "Strategy settings"
    page.check_page("setup-journey-strategy-settings-empty")
    page.click_link("Set up the strategy")
    assert page.h1 == "Set up the strategy"
    page.check_page("setup-journey-strategy-form")
    page.fill("id_title", STRATEGY)
    page.fill("id_start_date", "1/4/2026")
    page.fill("id_end_date", "31/3/2029")
    page.click_button("Save the strategy")
    assert f"{STRATEGY} has been saved" in banner(page)

    page.click_link("Add a priority")
    assert page.h1 == "Add a priority"
    page.check_page("setup-journey-priority-form")
    page.fill("id_title", PRIORITY)
    page.fill("id_ambition", "Fewer people harmed by crime in their neighbourhood")
    page.fill("id_tackle", "Residential burglary\nAnti-social behaviour")
    choose(page, "leads", POLICE)
    select(page, "id_substantive_quarter", "Q3")
    page.click_button("Save the priority")
    assert f"Priority 1: {PRIORITY} has been saved" in banner(page)
    assert page.h1 == "Strategy settings"

    click_partial_link(page, "Add a commitment")
    assert page.h1 == "Add a commitment"
    page.check_page("setup-journey-commitment-form")
    page.fill("id_title", COMMITMENT)
    select(page, "id_lead_organisation", PROBATION)
    choose(page, "contributors", PROBATION)
    choose(page, "contributors", POLICE)
    page.click_button("Save")
    assert "Commitment 1.1 has been saved" in banner(page)
    assert page.h1 == "Commitment 1.1"

    page.click_link("Add a sub-commitment")
    assert page.h1 == "Add a sub-commitment"
    page.check_page("setup-journey-sub-commitment-form")
    page.fill("id_title", SUB_COMMITMENT)
    page.click_button("Save")
    assert "Commitment 1.1.1 has been saved" in banner(page)
    assert f"1.1.1 {SUB_COMMITMENT}" in page.text()
    page.check_page("setup-journey-commitment")

    page.visit("/strategy/settings/")
    text = page.text()
    assert f"Priority 1: {PRIORITY}" in text
    assert f"1.1.1 {SUB_COMMITMENT}" in text
    assert f"Lead: {PROBATION}" in text
    page.check_page("setup-journey-strategy-settings")


def set_up_board(page) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    page.click_link("Set up your boards")
    assert page.h1 == "Boards"
    page.check_page("setup-journey-boards")
    page.click_link("Add a board")
    assert page.h1 == "Add a board"
    page.check_page("setup-journey-board-form")
    page.fill("id_name", BOARD)
    choose(page, "kind", "Strategic board")
    choose(page, "cadence", "Quarterly")
    page.click_button("Add the board")
    assert f"{BOARD} added, with its own action log" in banner(page)
    assert page.h1 == f"{BOARD}: set-up"

    page.click_link("Add a member")
    page.check_page("setup-journey-board-member-form")
    select(page, "id_person", f"{PARTNER[0]} ({PROBATION})")
    choose(page, "role", "Chair")
    page.fill("id_start_date", "1/4/2026")
    page.click_button("Add the member")
    assert page.h1 == f"{BOARD}: set-up"
    members = page.driver.find_element(By.CSS_SELECTOR, "#members ~ table tbody").text
    assert f"{PARTNER[0]} {PROBATION} Chair" in members
    page.check_page("setup-journey-board-setup")


def add_measure(page, slug: str, label: str, **lines: str) -> None:  # type: ignore[no-untyped-def]
    """Add a Met crime dashboard measure; ``lines`` fill include, plus and minus."""
    page.visit("/measures/new/")
    assert page.h1 == "Add a measure"
    choose(page, "source", "Met crime dashboard")
    page.fill("id_slug", slug)
    page.fill("id_label", label)
    for field, text in lines.items():
        page.fill(f"id_{field}", text)
    page.click_button("Add the measure")
    assert f"Measure ‘{label}’ added" in banner(page)


def add_composite_measure(page) -> None:  # type: ignore[no-untyped-def]
    """Knife crime without injury = knife crime (standard) - knife crime with injury (new)."""
    page.visit("/measures/")
    page.check_page("setup-journey-measures")
    page.click_link("Add a measure")
    page.check_page("setup-journey-measure-form")
    add_measure(
        page,
        "knife-crime-with-injury",
        "Knife crime with injury",
        include="Knife Crime|Knife Crime with Injury|Offences",
    )
    add_measure(
        page,
        "knife-crime-without-injury",
        "Knife crime without injury",
        plus="knife-crime",
        minus="knife-crime-with-injury",
    )
    assert page.h1 == "Knife crime without injury"
    text = page.text()
    assert "knife-crime" in text and "knife-crime-with-injury" in text
    page.check_page("setup-journey-measure")


def add_return_template(page) -> None:  # type: ignore[no-untyped-def]
    page.visit("/returns/settings/")
    page.check_page("setup-journey-return-templates")
    page.click_link("Add a template")
    assert page.h1 == "Add a data-return template"
    page.check_page("setup-journey-return-template-form")
    page.fill("id_name", "Unpaid work (Probation)")
    select(page, "id_organisation", PROBATION)
    select(page, "id_area", "Bromley (E09000006)")
    choose(page, "frequency", "Monthly")
    page.fill("id_first_period_start", "2026-04-01")
    page.fill("id_due_days", "15")
    page.click_button("Create the template")
    assert "Unpaid work (Probation) created: now add its fields" in banner(page)

    page.click_link("Add a field")
    assert page.h1 == "Add a field"
    page.check_page("setup-journey-return-field-form")
    page.fill("id_new_label", "Hours of unpaid work completed")
    page.click_button("Add the field")
    assert "Hours of unpaid work completed added to Unpaid work (Probation)" in banner(page)
    page.check_page("setup-journey-return-template")


# The journey ------------------------------------------------------------------------------


def test_from_init_to_a_board_pack(page, empty_site) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    from saferboard.strategy.models import Commitment, PartnerUpdate

    # The operator runs init; the administrator opens the printed link.
    admin_link = init_partnership()
    set_password(page, admin_link, ADMIN, "admin")
    assert page.h1 == "Set up your partnership"
    assert checklist_progress(page) == "2 of 6 done."  # init's two organisations; measures
    assert task_status(page, "people") == "In progress"
    page.check_page("setup-journey-home-start")

    # The settings hub links every set-up page; the partnership is as init made it.
    page.click_link("settings page")
    assert page.h1 == "Settings"
    assert "2 of 6 set-up tasks done" in page.text()
    assert "not available" not in page.text()
    page.check_page("setup-journey-settings-hub")
    page.click_link("Partnership")
    assert page.h1 == "Partnership settings"
    page.check_page("setup-journey-partnership-settings")
    page.visit("/")

    add_organisations(page)

    add_and_invite(page, COORDINATOR, DEPARTMENT, "Coordinator")
    add_and_invite(page, PARTNER, PROBATION, "Partner lead")
    assert len(mail.outbox) == 2
    page.visit("/people/")
    assert "Coordinator" in page.text() and "Partner lead" in page.text()
    page.check_page("setup-journey-people")

    # The partner lead opens the emailed link and signs in.
    set_password(page, emailed_link(PARTNER[1]), PARTNER[1], "partner")
    assert page.h1 == "Saferboard"
    assert "No strategy has been set up yet" in page.text()
    page.check_page("setup-journey-home-partner")

    # Back to the administrator: the checklist has moved on.
    page.sign_in(ADMIN, PASSWORD)
    assert page.h1 == "Set up your partnership"
    assert checklist_progress(page) == "3 of 6 done."
    assert task_status(page, "people") == "Completed"

    set_up_strategy(page)
    page.visit("/")
    assert checklist_progress(page) == "4 of 6 done."

    set_up_board(page)
    page.visit("/")
    assert checklist_progress(page) == "5 of 6 done."
    assert task_status(page, "round") == "Not yet started"
    page.check_page("setup-journey-home-nearly")

    add_composite_measure(page)
    add_return_template(page)

    # The coordinator signs in from the invitation and opens the first round.
    set_password(page, emailed_link(COORDINATOR[1]), COORDINATOR[1], "coordinator")
    page.visit("/strategy/")
    assert page.h1 == "Strategy delivery"
    page.check_page("setup-journey-strategy-index")
    page.click_link("Open a reporting round")
    assert page.h1 == "Open a reporting round"
    page.check_page("setup-journey-round-new")
    select(page, "id_quarter", "Q3 2026-27 (October to December 2026)")
    page.fill("id_deadline_day", "15")
    page.fill("id_deadline_month", "1")
    page.fill("id_deadline_year", "2027")
    choose(page, "substantive", f"Priority 1: {PRIORITY}")
    sent = len(mail.outbox)
    page.click_button("Open the round")
    assert "The Q3 2026-27 round is open with" in banner(page)
    assert page.h1 == "Q3 2026-27 reporting round"
    page.check_page("setup-journey-round")
    assert any(PARTNER[1] in m.to for m in mail.outbox[sent:]), "the partner lead is emailed"

    # The partner lead writes and submits the update.
    page.sign_in(PARTNER[1], PASSWORD)
    page.visit("/strategy/my-returns/")
    assert page.h1 == "My returns"
    page.check_page("setup-journey-my-returns")
    page.click_link(f"Priority 1, commitment 1: {COMMITMENT}")
    assert page.h1 == "Your update: commitment 1.1"
    page.check_page("setup-journey-update-form")
    page.fill(
        "id_narrative",
        "Probation and police officers made 42 joint home visits in Penge and Cray Valley.",
    )
    choose(page, "rag_status", "Amber")
    page.fill("id_rag_reason", "Amber: visits began in November")
    sub = Commitment.objects.get(title=SUB_COMMITMENT)
    assert f"1.1.1 {SUB_COMMITMENT}" in page.text()  # rated on its own line
    choose(page, f"line-{sub.pk}", "Green")
    page.fill(f"line-{sub.pk}-reason", "Every visit planned was made")
    page.click_button("Submit for review")
    assert page.h1 == "My returns"
    assert "has been submitted for review" in page.text()

    # The coordinator reviews and accepts it.
    page.sign_in(COORDINATOR[1], PASSWORD)
    update = PartnerUpdate.objects.get(organisation__name=PROBATION)
    page.visit(f"/strategy/rounds/{update.round_id}/")
    page.click_link("Returns and chasing")
    assert page.h1 == "Returns for Q3 2026-27"
    page.check_page("setup-journey-round-returns")
    click_partial_link(page, "Review")
    assert page.h1 == f"Review: {PROBATION} on commitment 1.1"
    assert "42 joint home visits" in page.text()
    page.check_page("setup-journey-review")
    choose(page, "decision", "Accept the update and its RAG status")
    page.click_button("Confirm decision")
    assert "has been accepted" in page.text()
    update.refresh_from_db()
    assert update.state == "accepted"

    # The priority's progress report shows the update and the sub-commitment's rating.
    page.visit(f"/strategy/rounds/{update.round_id}/priorities/1/")
    assert page.h1 == f"Q3 2026-27: progress against Priority 1 – {PRIORITY}"
    report = page.text()
    assert "42 joint home visits" in report
    assert f"1.1.1 {SUB_COMMITMENT}\n{PROBATION}: Green Every visit planned was made" in report
    page.check_page("setup-journey-priority-report")

    # The coordinator schedules the board's meeting and builds its pack.
    page.visit("/meetings/settings/boards/")
    page.click_link(BOARD)
    page.click_link("The board's meetings")
    assert page.h1 == BOARD
    page.check_page("setup-journey-board")
    page.click_link("Schedule a meeting")
    page.fill("id_date", "20/1/2027")
    page.fill("id_start_time", "14:00")
    page.fill("id_place", "Bromley Civic Centre")
    page.click_button("Schedule the meeting")
    assert "Meeting scheduled" in banner(page)
    page.check_page("setup-journey-meeting")
    # The pack carries the round's progress report through an agenda item that names it.
    page.click_link("Add an agenda item")
    assert page.h1 == "Add an agenda item"
    page.check_page("setup-journey-agenda-item-form")
    page.fill("id_title", f"Priority 1: {PRIORITY} progress report")
    page.fill("id_presenter", COORDINATOR[0])
    # The clerk chooses what the item prints (issue 20): the title only suggests it.
    choose(page, "kind", "A report of a priority")
    page.click_button("Add the item")
    assert f"Priority 1: {PRIORITY} progress report" in page.text()

    page.visit("/packs/")
    assert page.h1 == "Board packs"
    page.check_page("setup-journey-packs")
    page.click_link(f"{BOARD}, 20 January 2027")
    assert page.h1 == f"Packs for {BOARD}, 20 January 2027"
    page.check_page("setup-journey-packs-meeting")
    page.click_button("Build the public pack")
    assert page.h1 == "Building the public pack"
    assert "Built:" in page.text()
    page.check_page("setup-journey-pack-built")
    pack_id = re.search(r"/packs/(\d+)/status/", page.driver.current_url).group(1)  # type: ignore[union-attr]
    page.visit(f"/packs/{pack_id}/")
    pack = page.text()
    assert f"Priority 1: {PRIORITY} progress report" in pack
    assert "42 joint home visits" in pack  # the accepted update, in the board's pack
    assert "Amber: visits began in November" in pack
    # The sub-commitment and its own rating, as in the web report above.
    assert f"1.1.1 {SUB_COMMITMENT}" in pack
    assert f"{PROBATION}: Green (Every visit planned was made" in pack
    page.check_page("setup-journey-pack-web")

    # The administrator's checklist is done, so the home page shows the strategy.
    page.sign_in(ADMIN, PASSWORD)
    assert page.h1 == STRATEGY
    assert "Set up your partnership" not in page.text()
    page.check_page("setup-journey-home-done")
