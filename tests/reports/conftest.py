"""A small board with two meetings, crime observations and an uploaded paper, built
through each app's services so the pack is tested on the same data the pages show."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from saferboard.core.models import AreaKind, Role
from saferboard.meetings import services as meetings
from saferboard.meetings.models import BoardKind, BoardMember, Meeting
from tests.factories import AreaFactory, OrganisationFactory, PartnershipFactory, PersonFactory

PLANTED = "Knife crime saw a 27% reduction (from 14 to 7)."


@pytest.fixture(autouse=True)
def build_inline(settings) -> None:  # type: ignore[no-untyped-def]
    """Build packs in the request (no background thread) so tests see the result."""
    settings.SABO_PACK_BUILD_INLINE = True


def appendix_pdf(pages: int = 2, marker: str = "APPENDIXMARKER") -> bytes:
    """A small PDF paper whose pages say which they are."""
    from weasyprint import HTML

    body = "".join(
        f'<p style="break-before: page">{marker} page {i}</p>' for i in range(1, pages + 1)
    )
    return HTML(
        string=f'<html lang="en"><title>Paper</title><body>{body}</body></html>'
    ).write_pdf()


def store_appendix(item, user, pages: int = 2):  # type: ignore[no-untyped-def]
    """Upload an appendix as the upload view does (stored by checksum, pages counted)."""
    import hashlib

    from saferboard.reports.files import appendix_path, write_atomic
    from saferboard.reports.models import PackAppendix

    data = appendix_pdf(pages)
    digest = hashlib.sha256(data).hexdigest()
    write_atomic(appendix_path(digest), data)
    return PackAppendix.objects.create(
        agenda_item=item,
        title="Strategic needs assessment",
        original_name="sna.pdf",
        sha256=digest,
        size=len(data),
        pages=pages,
        uploaded_by=user,
    )


def crime_observations(area_code: str) -> None:
    """Two crime measures' rolling years, from a recorded import, with a small count."""
    from saferboard.measures.models import DataImport, Measure
    from saferboard.measures.services import ObservationValue, store_observations
    from saferboard.measures.standard import ensure_standard_rules

    rules = ensure_standard_rules()
    source = DataImport.objects.create(
        source_kind="police-uk",
        format="csv",
        label="police.uk Testshire 2026-01",
        rows=1000,
        data_as_at=date(2026, 2, 28),
    )
    for slug, label, value, previous, order in (
        ("burglary", "Burglary", 1280, 1451, 1),
        ("gun-crime", "Gun crime", 3, 6, 2),
    ):
        measure = Measure.objects.create(
            slug=slug,
            source_kind="police-uk",
            label=label,
            description=f"Crimes recorded as {label.lower()}.",
            rag_rule=rules["lower-is-better"],
            display_order=order,
        )
        store_observations(
            measure,
            [
                ObservationValue(
                    area_code=area_code,
                    period_start=date(2025, 2, 1),
                    period_end=date(2026, 1, 31),
                    value=value,
                    comparators={"previous_period": previous},
                )
            ],
            source=source,
            data_as_at=date(2026, 2, 28),
        )


@pytest.fixture
def pack_setting(db, make_user):  # type: ignore[no-untyped-def]
    """The setting below, in a test's transaction."""
    return build_pack_setting(make_user)


def build_pack_setting(make_user):  # type: ignore[no-untyped-def]
    """A board whose next meeting has minutes, matters arising, a crime dashboard, an
    exempt item and an uploaded paper; the last meeting's minutes plant a wrong
    percentage for the figure check."""
    area = AreaFactory(code="E09000099", name="Testborough", kind=AreaKind.LOCAL_AUTHORITY)
    partnership = PartnershipFactory(
        name="Testborough Community Safety Partnership", local_authority=area
    )
    council = OrganisationFactory(
        partnership=partnership, name="Testborough Council", slug="council"
    )
    police = OrganisationFactory(partnership=partnership, name="Test Police", slug="police")
    board = meetings.create_board(
        partnership,
        name="Safer Testborough Board",
        slug="stb",
        kind=BoardKind.PARTNERSHIP,
        owner=council,
        first_minute_number=36,
    )
    members = []
    for org, name, role in ((council, "Ada Chair", "Chair"), (police, "Ben Police", "Member")):
        person = PersonFactory(organisation=org, full_name=name)
        members.append(
            BoardMember.objects.create(
                board=board, person=person, organisation=org, role=role, start_date=date(2020, 1, 1)
            )
        )
    coordinator = make_user(Role.COORDINATOR, organisation=council, username="coord")
    member_user = make_user(Role.BOARD_MEMBER, organisation=police, username="member")
    # The board member's person sits on the board (so may read the restricted pack).
    members[1].person = member_user.person
    members[1].save()
    outsider = make_user(Role.PARTNER_LEAD, organisation=police, username="outsider")

    last = meetings.create_meeting(board, day=date(2026, 1, 15), place="Town Hall")
    meetings.record_attendance(
        last, [meetings.AttendanceEntry("present", person=m.person, member=m) for m in members]
    )
    minute = meetings.add_minute(
        last,
        title="Crime performance dashboard",
        text=f"The analyst presented the dashboard. {PLANTED}",
        resolutions=["the dashboard be noted"],
    )
    meetings.raise_action(
        minute, description="Bring a ward analysis of knife crime", owners=[members[1].person]
    )
    meetings.add_minute(
        last, title="Exploitation panel: named cases", text="Three children discussed.", exempt=True
    )

    meeting: Meeting = meetings.create_meeting(board, day=date(2026, 3, 20), place="Town Hall")
    meetings.add_agenda_item(
        meeting, title="Crime performance dashboard", presenter="Community Safety Analyst"
    )
    paper_item = meetings.add_agenda_item(
        meeting, title="Serious violence duty: needs assessment", papers="Needs assessment (draft)"
    )
    meetings.add_agenda_item(
        meeting,
        title="Exploitation panel: named cases",
        papers="Case summaries",
        exempt=True,
        exempt_reason="Information about children (paragraph 2)",
    )
    crime_observations(area.code)
    store_appendix(paper_item, coordinator)
    return {
        "meeting": meeting,
        "last": last,
        "board": board,
        "coordinator": coordinator,
        "member": member_user,
        "outsider": outsider,
        "paper_item": paper_item,
    }


def pdf_text_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def read(path: Path) -> bytes:
    return path.read_bytes()
