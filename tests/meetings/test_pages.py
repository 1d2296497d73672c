"""Meeting pages on the demo: who sees exempt items, who may change things, downloads."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from saferboard.core.models import User
from saferboard.meetings.models import Board, MeetingStatus, MinuteItem


@pytest.fixture
def csp(demo) -> Board:  # type: ignore[no-untyped-def]
    return Board.objects.get(slug="safer-partnership-board")


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def _title_and_h1(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()  # type: ignore[union-attr]
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()  # type: ignore[union-attr]
    return title, h1


def test_every_meeting_page_renders_for_each_role(client: Client, csp) -> None:
    meeting = csp.meetings.order_by("date").first()
    pages = [
        "/meetings/",
        f"/meetings/boards/{csp.slug}/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/minutes/",
        f"/meetings/{meeting.pk}/matters-arising/",
        "/actions/",
        f"/actions/{csp.action_log.pk}/",
    ]
    for username in ("coordinator", "board.member", "analyst", "yos.head"):
        _login(client, username)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (username, path)
            title, h1 = _title_and_h1(response.content.decode())
            assert title.startswith(h1), (path, title, h1)


def test_exempt_items_are_hidden_from_those_without_access(client: Client, csp) -> None:
    exempt = MinuteItem.objects.get(board=csp, exempt=True)
    url = f"/meetings/{exempt.meeting_id}/minutes/"
    _login(client, "board.member")  # sits on the CSP board
    assert "Exploitation panel: named cases" in client.get(url).content.decode()
    _login(client, "analyst")  # not a member of the board
    html = client.get(url).content.decode()
    assert "Exploitation panel" not in html and "named cases" not in html
    assert f"{exempt.number}. Exempt item (not for publication)" in html
    pdf = client.get(f"/meetings/{exempt.meeting_id}/minutes.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Exempt item" in text and "named cases" not in text


def test_board_member_cannot_change_a_meeting(client: Client, csp) -> None:
    meeting = csp.meetings.filter(status=MeetingStatus.MINUTES_DRAFT).get()
    _login(client, "board.member")
    assert "Minute an item" not in client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    for path in (
        f"/meetings/{meeting.pk}/attendance/",
        f"/meetings/{meeting.pk}/agenda/new/",
        f"/meetings/boards/{csp.slug}/new/",
    ):
        assert client.get(path).status_code == 403, path
    before = MinuteItem.objects.count()
    response = client.post(f"/meetings/{meeting.pk}/minutes/", {"form": "minute", "title": "X"})
    assert response.status_code == 403 and MinuteItem.objects.count() == before
    assert client.post(f"/meetings/{meeting.pk}/matters-arising/").status_code == 403
    assert (
        client.post(f"/meetings/{meeting.pk}/status/", {"status": "cancelled"}).status_code == 403
    )


def test_downloads_are_real_documents(client: Client, csp) -> None:
    meeting = csp.meetings.filter(status=MeetingStatus.MINUTES_AGREED).get()
    _login(client, "coordinator")
    docx = client.get(f"/meetings/{meeting.pk}/minutes.docx")
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Example Borough Safer Partnership Board: Minutes"
    assert "38. Crime performance dashboard" in headings
    assert any("RESOLVED" in p.text for p in document.paragraphs)
    pdf = client.get(f"/meetings/{meeting.pk}/agenda.pdf")
    assert pdf.content.startswith(b"%PDF-")
    next_meeting = csp.meetings.order_by("-date").first()
    arising = client.get(f"/meetings/{next_meeting.pk}/matters-arising.docx")
    table = Document(io.BytesIO(arising.content)).tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Minute", "Action"]
    assert client.get(f"/meetings/{meeting.pk}/nonsense.pdf").status_code == 404


def test_locked_minutes_take_amendments_not_edits(client: Client, csp) -> None:
    meeting = csp.meetings.filter(status=MeetingStatus.MINUTES_AGREED).get()
    _login(client, "coordinator")
    response = client.get(f"/meetings/{meeting.pk}/minutes/38/")
    assert response.status_code == 302
    html = client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "Agreed as a correct record" in html and "Record an amendment" in html
    client.post(
        f"/meetings/{meeting.pk}/minutes/",
        {"form": "amendment", "minute_number": "38", "text": "Add: 12% fall."},
    )
    assert (
        "Amendment:</strong> Add: 12% fall."
        in client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    )


def test_a_meetings_status_buttons_keep_one_order(client: Client, csp) -> None:
    """The next statuses are a set, which iterated in a different order in each server
    process (the eleventh session's page crawl found the buttons swapped): the buttons
    now follow their own order, cancelling last."""
    meeting = csp.meetings.filter(status=MeetingStatus.PLANNED).order_by("date").first()
    if meeting is None:
        meeting = csp.meetings.order_by("date").first()
        meeting.status = MeetingStatus.PLANNED
        meeting.save(update_fields=["status"])
    _login(client, "coordinator")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    buttons = re.findall(r'name="status" value="([a-z_]+)"', html)
    assert buttons == [MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.CANCELLED]
