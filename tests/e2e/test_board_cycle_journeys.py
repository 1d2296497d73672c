"""The board cycle on the demo, as the people in docs/journeys.md meet it (issue 20), with
the axe check on every page:

- the coordinator publishes the public and restricted packs of the partnership board's
  coming meeting, where a partner typed a custody count of 2: read back with pypdf, the
  public pack shows <5 and the restricted pack 2, marked OFFICIAL-SENSITIVE on every
  page; then a member of the public, signed out, reads the meeting on the public
  committee site at its stable address, with the exempt item withheld;
- the YOS head of service opens the improvement plan's inspection and sees the
  judgements by standard beside other services' published ratings;
- a partner lead follows the emailed link (an absolute address) and lands on My returns.

Each journey is one browser session with few page loads; the packs are built inline.
"""

from __future__ import annotations

import io
import re
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from saferboard.core.demo import DEMO_PASSWORD

MARKING = "OFFICIAL-SENSITIVE"
EXEMPT_TITLE = "Exploitation panel: named cases"


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, sabo_data_dir, settings):  # type: ignore[no-untyped-def]
    from tests.demo_snapshot import restore

    settings.SABO_PACK_BUILD_INLINE = True  # the status page then shows the result
    return restore(demo_snapshot, sabo_data_dir)


def _fetch(page, href: str, *, signed_in: bool) -> bytes:  # type: ignore[no-untyped-def]
    """The file behind a download link, with the browser's session or without one."""
    assert href.startswith(page.base_url)
    headers = {}
    if signed_in:
        cookies = page.driver.get_cookies()
        headers["Cookie"] = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    request = urllib.request.Request(href, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - live test server
        assert "attachment" in response.headers["Content-Disposition"]
        return response.read()


def _pdf_pages(data: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (pypdf splits lines oddly)."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def _coming_meeting_with_a_partners_custody_count():  # type: ignore[no-untyped-def]
    """The partnership board's coming meeting, its agenda made ready by the clerk: the
    priority 1 report (whose accepted police update carries the partner's table with a
    custody count of 2) and an exempt item. The crime dashboard, built and checked in
    test_pack_journeys, is taken off so the two builds here stay short."""
    from saferboard.meetings import services as meetings
    from saferboard.meetings.models import Board
    from tests.reports.partner_tables import type_partner_table

    board = Board.objects.get(slug="safer-partnership-board")
    meeting = board.meetings.order_by("-date").first()
    assert meeting is not None
    meetings.remove_agenda_item(meeting.agenda_items.get(kind="crime_dashboard"))
    meetings.add_agenda_item(meeting, title="Priority 1: progress report", kind="priority_report")
    meetings.add_agenda_item(
        meeting,
        title=EXEMPT_TITLE,
        exempt=True,
        exempt_reason="Information about children (paragraph 2)",
    )
    type_partner_table(
        meeting,
        "Young people's outcomes this quarter",
        ["Outcome", "Young people"],
        [["Remanded to custody", "2"], ["Community resolution", "31"]],
    )
    return meeting


def _build_and_publish(page, meeting, audience: str) -> bytes:  # type: ignore[no-untyped-def]
    """Build the pack from the meeting's packs page, publish it from its figure check;
    the PDF as the coordinator downloads it."""
    page.visit(f"/packs/meetings/{meeting.pk}/")
    page.click_button(f"Build the {audience} pack")
    assert page.h1 == f"Building the {audience} pack" and "Built:" in page.text()
    page.click_link("Check the figures")
    assert page.h1 == "Figure check"
    page.check_page(f"board-cycle-{audience}-check")
    page.click_button("Publish this version")
    assert "Published" in page.text()
    label = "public pack" if audience == "public" else "restricted pack"
    link = page.driver.find_element(
        By.XPATH, f"//a[starts-with(normalize-space(), 'Download PDF: {label}')]"
    )
    return _fetch(page, link.get_attribute("href"), signed_in=True)


def test_coordinator_publishes_both_packs_and_the_public_reads_theirs(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    meeting = _coming_meeting_with_a_partners_custody_count()
    page.sign_in("coordinator", DEMO_PASSWORD)

    public = _pdf_pages(_build_and_publish(page, meeting, "public"))
    text = " ".join(public)
    assert "Remanded to custody <5" in text and "Community resolution 31" in text
    assert "Remanded to custody 2" not in text
    # The agenda names the exempt item, as a council's does; its content is withheld.
    assert f"{EXEMPT_TITLE} Exempt item: not in the public pack" in text
    assert not any(MARKING in p for p in public)
    # The questions print with their answers; a name only with its owner's consent.
    assert "Amira Haddad" in text and "Robert Fenn" not in text

    restricted = _pdf_pages(_build_and_publish(page, meeting, "restricted"))
    assert "Remanded to custody 2" in " ".join(restricted)
    assert "Robert Fenn" in " ".join(restricted)
    assert f"{EXEMPT_TITLE} Exempt item (Part 2)" in " ".join(restricted)
    # The marking heads and foots every page: at least twice on each.
    assert all(p.count(MARKING) >= 2 for p in restricted), [p[:80] for p in restricted]
    page.check_page("board-cycle-packs-published")
    page._and_wait(
        page.driver.find_element(
            By.XPATH, "//a[normalize-space()='Read online: restricted pack, version 1']"
        ).click
    )
    markings = page.driver.find_elements(By.CSS_SELECTOR, ".sabo-marking")
    assert [m.find_element(By.TAG_NAME, "strong").text for m in markings] == [MARKING, MARKING]
    page.check_page("board-cycle-restricted-web")

    # A member of the public, signed out, at the meeting's stable address.
    page.sign_out()
    address = f"/public/meetings/{meeting.board.slug}/{meeting.date:%Y-%m-%d}/"
    page.visit(address)
    assert page.h1 == f"Meeting on {meeting.date:%A %-d %B %Y}"
    main = page.text()
    assert "Exempt item: not for publication" in main and EXEMPT_TITLE not in main
    # Questions: named with consent, "A member of the public" without.
    assert "Question 1, from A member of the public" in main and "Robert Fenn" not in main
    assert "from Amira Haddad" in main and "from Councillor David Osei" in main
    page.check_page("board-cycle-public-meeting")
    pdf_link = page.driver.find_element(By.PARTIAL_LINK_TEXT, "Public pack (PDF")
    href = pdf_link.get_attribute("href")
    assert href == f"{page.base_url}{address}public-pack.pdf"
    assert _pdf_pages(_fetch(page, href, signed_in=False)) == public
    page.click_link("Public pack: read online")
    assert "Remanded to custody <5" in page.text()
    assert "Exempt item: not in the public pack" in page.text()
    assert not page.driver.find_elements(By.CSS_SELECTOR, ".sabo-marking")
    page.check_page("board-cycle-public-pack")


def test_yos_head_reads_the_inspection_beside_published_ratings(page, demo_site) -> None:  # type: ignore[no-untyped-def]
    from saferboard.actions.demo import TITLE
    from saferboard.actions.models import ActionPlan

    plan = ActionPlan.objects.get(title=TITLE)
    page.sign_in("yos.head", DEMO_PASSWORD)
    page.visit(f"/actions/{plan.pk}/")
    # The lead's proposed Blue waits for the board; the roll-up counts accepted ratings.
    assert "(1 Blue proposed, awaiting the board)" in page.text()
    assert "Requires improvement" in page.text()
    page.check_page("board-cycle-plan")
    page.click_link("The inspection and other services' ratings")
    assert page.h1 == "The inspection"
    text = page.text()
    assert "HM Inspectorate of Probation" in text and "illustrative" in text
    assert "each of 83 services" in text
    row = page.driver.find_element(
        By.XPATH, "//table[@id='comparison']//tr[th[normalize-space()='Reviewing']]"
    )
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells[0] == "Inadequate"
    # Outstanding + Good + Requires improvement + Inadequate = services rated.
    assert sum(int(n) for n in cells[1:5]) == int(cells[5]) > 0
    assert "Recommendation 2, addressed to YOS Management Board;" in text
    page.check_page("board-cycle-inspection")


def test_partner_lead_follows_the_emailed_link_to_my_returns(page, demo_site, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    from saferboard.core.models import Organisation
    from saferboard.strategy.models import ReportingRound
    from saferboard.strategy.reminders import partner_lead_emails, send_reminders

    settings.SABO_BASE_URL = page.base_url  # the address people reach Saferboard by
    round_ = (
        ReportingRound.objects.filter(
            updates__organisation__slug="police", updates__in=_outstanding()
        )
        .distinct()
        .order_by("-financial_year", "-quarter")
        .first()
    )
    assert round_ is not None
    send_reminders(round_)
    police = partner_lead_emails(Organisation.objects.get(slug="police"))
    message = next(m for m in mail.outbox if m.to == police)
    links = re.findall(r"https?://\S+", message.body)
    assert links == [f"{page.base_url}/strategy/my-returns/"]

    page.sign_out()
    page.driver.get(links[0])  # signed out: asked to sign in first
    assert page.h1 == "Sign in"
    page.fill("id_username", "partner.lead")
    page.fill("id_password", DEMO_PASSWORD)
    page.click_button("Sign in")
    assert page.h1 == "My returns"
    assert "Not started" in page.text() or "Draft" in page.text()
    page.check_page("board-cycle-my-returns-from-email")
    # Signing in on its own also lands a partner lead on My returns.
    page.sign_in("partner.lead", DEMO_PASSWORD)
    assert page.h1 == "My returns"


def _outstanding():  # type: ignore[no-untyped-def]
    from saferboard.strategy.models import PartnerUpdate

    return PartnerUpdate.objects.outstanding()
