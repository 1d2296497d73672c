"""Declarations of interest: recorded by the clerk (audited), printed in the minutes
(read back from the Word and PDF files) and in the next meeting's pack, locked once the
minutes are agreed, and the nature withheld for an exempt item the reader may not see."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.meetings import documents, services
from saferboard.meetings.declarations import (
    EXEMPT_NATURE,
    DeclarationError,
    add_declaration,
    declaration_lines,
    update_declaration,
    withdraw_declaration,
)
from saferboard.meetings.models import InterestKind, MinutesLocked
from saferboard.reports.providers import minutes_with_declarations
from saferboard.reports.sections import PackContext, Table

NATURE = "Trustee of Brixton Youth Boxing, which the fund pays"


@pytest.fixture
def held(setting):  # type: ignore[no-untyped-def]
    """A meeting held on 15 October 2026 with a grants item and an exempt item."""
    meeting = services.create_meeting(setting["board"], day=date(2026, 10, 15), place="Hall")
    grants = services.add_agenda_item(meeting, title="Youth fund grants", kind="paper")
    exempt = services.add_agenda_item(
        meeting, title="Named cases", kind="paper", exempt=True, exempt_reason="Children"
    )
    return {"meeting": meeting, "grants": grants, "exempt": exempt, **setting}


def _declare(held, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "person": held["members"]["police"].person,
        "agenda_item": held["grants"],
        "kind": InterestKind.OTHER_REGISTRABLE,
        "nature": NATURE,
        "left_room": True,
    }
    return add_declaration(held["meeting"], **{**fields, **overrides})


def test_lines_follow_the_agenda_and_hide_an_exempt_items_nature(held) -> None:  # type: ignore[no-untyped-def]
    meeting = held["meeting"]
    _declare(held, agenda_item=held["exempt"], nature="Knows the family", left_room=False)
    _declare(held, person=None, name="Jo Visitor", kind=InterestKind.PECUNIARY)
    gone = _declare(held, agenda_item=None, nature="Recorded in error")
    withdraw_declaration(gone, on=date(2026, 10, 15))
    numbers = services.agenda_numbers(meeting)
    grants_no, exempt_no = numbers[held["grants"].pk], numbers[held["exempt"].pk]
    hidden = declaration_lines(meeting.declarations.all(), numbers, show_exempt=False)
    assert [(d.name, d.item, d.kind, d.nature, d.participation) for d in hidden] == [
        (
            "Jo Visitor",
            f"{grants_no}. Youth fund grants",
            "Disclosable pecuniary interest",
            NATURE,
            "Left the room",
        ),
        ("Police Lead", exempt_no, "Other registrable interest", EXEMPT_NATURE, "Stayed"),
    ]
    shown = declaration_lines(meeting.declarations.all(), numbers, show_exempt=True)
    assert shown[1].item == f"{exempt_no}. Named cases" and shown[1].nature == "Knows the family"


def test_changes_are_audited_and_someone_must_be_named(held, clerk) -> None:  # type: ignore[no-untyped-def]
    declaration = _declare(held)
    update_declaration(
        declaration,
        actor=clerk,
        person=declaration.person,
        agenda_item=held["grants"],
        kind=InterestKind.NON_REGISTRABLE,
        nature=NATURE,
        left_room=False,
    )
    events = AuditEvent.objects.filter(
        action=AuditAction.CHANGE_PERSONAL_DATA, object_id=str(declaration.pk)
    ).order_by("pk")
    assert [e.detail["change"] for e in events] == [
        "declaration of interest recorded",
        "declaration of interest changed",
    ]
    assert events[1].detail["before"] == {"kind": "other_registrable", "left_room": True}
    assert events[1].detail["after"] == {"kind": "non_registrable", "left_room": False}
    with pytest.raises(DeclarationError, match="Choose who declared"):
        _declare(held, person=None, name="  ")


def test_the_minutes_print_declarations_in_word_and_pdf(held) -> None:  # type: ignore[no-untyped-def]
    from docx import Document
    from pypdf import PdfReader

    _declare(held)
    doc = documents.build_minutes(held["meeting"], show_exempt=False)
    word = Document(io.BytesIO(documents.render_docx(doc)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Declarations of interest" in headings
    cells = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    assert ["Name", "Item", "Interest", "Nature", "Took part"] in cells
    assert any(row[0] == "Police Lead" and row[3] == NATURE for row in cells)
    pdf = PdfReader(io.BytesIO(documents.render_pdf(doc)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Declarations of interest" in text
    assert "Trustee of Brixton Youth Boxing" in text and "Left the room" in text

    empty = documents.build_minutes(
        services.create_meeting(held["board"], day=date(2026, 11, 19), place="Hall"),
        show_exempt=False,
    )
    word = Document(io.BytesIO(documents.render_docx(empty)))
    texts = [p.text for p in word.paragraphs]
    assert texts[texts.index("Declarations of interest") + 1] == "None."


def test_the_next_meetings_pack_prints_them_with_the_minutes(held) -> None:  # type: ignore[no-untyped-def]
    meeting = held["meeting"]
    _declare(held)
    meeting.status = "held"
    meeting.save()
    services.add_minute(meeting, title="Youth fund grants", text="The board agreed the grants.")
    following = services.create_meeting(held["board"], day=date(2026, 11, 19), place="Hall")
    item = following.agenda_items.get(kind="minutes")
    section = minutes_with_declarations(item, PackContext(meeting=following, public=True))
    tables = [b.table for b in section.blocks if isinstance(b, Table)]
    declared = next(t for t in tables if t.caption == "Declarations of interest")
    assert declared.rows[0][0] == "Police Lead" and declared.rows[0][3] == NATURE
    # After the attendance, before the first minute.
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds.index("Table") < kinds.index("Heading")


def test_agreed_minutes_lock_the_declarations(held, clerk) -> None:  # type: ignore[no-untyped-def]
    declaration = _declare(held)
    meeting = held["meeting"]
    meeting.status = "minutes_agreed"
    meeting.save()
    with pytest.raises(MinutesLocked):
        _declare(held)
    with pytest.raises(MinutesLocked):
        withdraw_declaration(declaration, on=date(2026, 11, 19), actor=clerk)


def test_the_clerk_records_through_the_page_and_a_board_member_only_reads(
    held, clerk, make_user
) -> None:  # type: ignore[no-untyped-def]
    meeting = held["meeting"]
    client = Client()
    client.force_login(clerk)
    new = reverse("meetings:declaration-new", args=[meeting.pk])
    assert client.get(new).status_code == 200
    response = client.post(
        new,
        {
            "person": held["members"]["health"].person.pk,
            "agenda_item": held["grants"].pk,
            "kind": "pecuniary",
            "nature": "Owns a building the fund rents",
            "left_room": "on",
        },
    )
    assert response.status_code == 302
    assert meeting.declarations.get().left_room is True
    missing = client.post(new, {"kind": "pecuniary", "nature": "Something"})
    assert "Select who declared the interest, or enter their name" in missing.content.decode()

    reader = make_user(Role.BOARD_MEMBER, organisation=held["orgs"]["police"])
    client.force_login(reader)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Owns a building the fund rents" in page
    assert client.get(new).status_code == 403
