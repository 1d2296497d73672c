"""The clerk's pages on the demo: questions, declarations and a paper's page render for
each role with a title that starts with the page's heading; only managers change."""

from __future__ import annotations

import re

from django.test import Client

from saferboard.core.models import User
from saferboard.meetings.models import Board


def _title_and_h1(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()  # type: ignore[union-attr]
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()  # type: ignore[union-attr]
    return title, h1


def test_the_clerks_pages_render_for_each_role(client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    board = Board.objects.get(slug="safer-partnership-board")
    meeting = board.meetings.order_by("date").first()
    paper = meeting.agenda_items.filter(kind="paper", exempt=False).first()
    assert paper is not None
    reading = [
        f"/meetings/{meeting.pk}/questions/",
        f"/meetings/{meeting.pk}/declarations/",
        f"/meetings/{meeting.pk}/papers/{paper.pk}/",
    ]
    changing = [
        f"/meetings/{meeting.pk}/questions/new/",
        f"/meetings/{meeting.pk}/declarations/new/",
    ]
    for username in ("coordinator", "board.member", "analyst"):
        client.force_login(User.objects.get(username=username))
        for path in reading:
            response = client.get(path)
            assert response.status_code == 200, (username, path)
            title, h1 = _title_and_h1(response.content.decode())
            assert title.startswith(h1), (path, title, h1)
        expected = 200 if username == "coordinator" else 403
        for path in changing:
            assert client.get(path).status_code == expected, (username, path)
