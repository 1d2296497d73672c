"""The public committee site: readable signed out, only published public documents,
exempt items withheld; every other pack address still needs signing in (issue 20).

No pack is built here: published packs are stored with small stand-in files, so these
tests read only what the site serves (the build is tested in test_pack.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from saferboard.meetings.models import MeetingStatus
from saferboard.reports.files import packs_dir, write_atomic
from saferboard.reports.models import Audience, Pack, PackStatus
from saferboard.reports.public_site import EXEMPT_TEXT, parse_day

EXEMPT_TITLE = "Exploitation panel: named cases"
EXEMPT_REASON = "Information about children (paragraph 2)"


def stored_pack(meeting, audience: str, version: int, status: str, marker: str) -> Pack:  # type: ignore[no-untyped-def]
    """A pack version whose three files say which they are."""
    files = {}
    for fmt in ("pdf", "docx", "html"):
        relative = f"meeting-{meeting.pk}/{audience}-v{version}.{fmt}"
        data = f"<p>{marker} {fmt}</p>".encode()
        files[fmt] = {"path": relative, "sha256": write_atomic(packs_dir() / relative, data)}
    return Pack.objects.create(
        meeting=meeting,
        audience=audience,
        version=version,
        status=status,
        files=files,
        pdf_sha256=files["pdf"]["sha256"],
        pages=7,
        published_at=timezone.now() if status == PackStatus.PUBLISHED else None,
    )


def addresses(meeting) -> dict[str, str]:  # type: ignore[no-untyped-def]
    args = [meeting.board.slug, f"{meeting.date:%Y-%m-%d}"]
    return {
        "meeting": reverse("public:meeting", args=args),
        "web": reverse("public:pack", args=args),
        "pdf": reverse("public:pack-download", args=[*args, "pdf"]),
        "docx": reverse("public:pack-download", args=[*args, "docx"]),
        "minutes": reverse("public:minutes", args=args),
    }


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def test_addresses_are_stable_and_name_the_board_and_date(pack_setting) -> None:  # type: ignore[no-untyped-def]
    urls = addresses(pack_setting["meeting"])
    assert urls["meeting"] == "/public/meetings/stb/2026-03-20/"
    assert urls["pdf"] == "/public/meetings/stb/2026-03-20/public-pack.pdf"
    assert parse_day("2026-03-20") is not None
    assert parse_day("2026-3-20") is None and parse_day("2026-02-30") is None


def test_signed_out_reader_gets_the_published_public_pack_only(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    urls = addresses(meeting)
    # Nothing published, agenda not published: no public page yet.
    assert client.get(urls["meeting"]).status_code == 404
    assert client.get(urls["pdf"]).status_code == 404

    published = stored_pack(meeting, Audience.PUBLIC, 1, PackStatus.PUBLISHED, "PUBLIC-V1")
    stored_pack(meeting, Audience.PUBLIC, 2, PackStatus.DRAFT, "DRAFT-V2")
    restricted = stored_pack(meeting, Audience.RESTRICTED, 1, PackStatus.PUBLISHED, "SECRET")

    index = client.get(reverse("public:index"))
    assert index.status_code == 200
    assert urls["meeting"].encode() in index.content

    page = client.get(urls["meeting"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Crime performance dashboard" in text and "Community Safety Analyst" in text
    # The exempt item is there by number only, with the public wording.
    assert EXEMPT_TEXT in text
    assert EXEMPT_TITLE not in text and EXEMPT_REASON not in text
    assert urls["pdf"] in text and urls["web"] in text
    assert f"/packs/{restricted.pk}/" not in text and "SECRET" not in text

    pdf = client.get(urls["pdf"])
    assert pdf.status_code == 200 and body(pdf) == b"<p>PUBLIC-V1 pdf</p>"  # not the draft
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="stb-2026-03-20-public-pack.pdf"' in pdf["Content-Disposition"]
    docx = client.get(urls["docx"])
    assert docx.status_code == 200 and body(docx) == b"<p>PUBLIC-V1 docx</p>"
    web = client.get(urls["web"])
    assert web.status_code == 200 and b"PUBLIC-V1 html" in web.content
    assert client.get(urls["meeting"].replace("/stb/", "/nope/")).status_code == 404
    assert client.get(urls["meeting"].replace("2026-03-20", "20-03-2026")).status_code == 404
    assert client.get(urls["pdf"].replace(".pdf", ".html")).status_code == 404
    # Reads of public documents are not audited (nothing to audit without a reader).
    from saferboard.core.models import AuditEvent

    assert not AuditEvent.objects.filter(action="export").exists()

    # Every address under /packs/ still needs signing in, the restricted pack's above all.
    for name, args in (
        ("reports:index", []),
        ("reports:web", [restricted.pk]),
        ("reports:download", [restricted.pk, "pdf"]),
        ("reports:web", [published.pk]),
        ("reports:download", [published.pk, "pdf"]),
        ("reports:meeting", [meeting.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("core:sign-in")), name

    # With the public pack unpublished (only a restricted one left), nothing is served.
    Pack.objects.filter(audience=Audience.PUBLIC).delete()
    assert client.get(urls["pdf"]).status_code == 404
    assert client.get(urls["web"]).status_code == 404
    assert client.get(urls["meeting"]).status_code == 404  # planned, no public pack


def test_agreed_minutes_are_public_without_exempt_items(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    last = pack_setting["last"]
    last.status = MeetingStatus.HELD
    last.save(update_fields=["status"])
    urls = addresses(last)
    page = client.get(urls["meeting"])
    assert page.status_code == 200  # held: listed, agenda shown, no documents yet
    assert b"No documents have been published" in page.content
    assert client.get(urls["minutes"]).status_code == 404  # not agreed yet

    type(last).objects.filter(pk=last.pk).update(status=MeetingStatus.MINUTES_AGREED)
    assert urls["minutes"].encode() in client.get(urls["meeting"]).content
    minutes = client.get(urls["minutes"])
    assert minutes.status_code == 200
    text = minutes.content.decode()
    assert "The analyst presented the dashboard." in text
    assert "the dashboard be noted" in text
    assert EXEMPT_TEXT in text
    assert EXEMPT_TITLE not in text and "Three children discussed." not in text


def test_signed_in_users_read_the_public_site_too(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    stored_pack(meeting, Audience.PUBLIC, 1, PackStatus.PUBLISHED, "PUBLIC-V1")
    client.force_login(pack_setting["outsider"])
    urls = addresses(meeting)
    assert client.get(reverse("public:index")).status_code == 200
    assert client.get(urls["meeting"]).status_code == 200
    assert body(client.get(urls["pdf"])) == b"<p>PUBLIC-V1 pdf</p>"


def test_public_index_on_the_demo_lists_no_planned_or_cancelled_meeting(client, demo) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings.models import Meeting

    response = client.get(reverse("public:index"))
    assert response.status_code == 200
    for meeting in Meeting.objects.select_related("board"):
        url = addresses(meeting)["meeting"].encode()
        listed = url in response.content
        hidden = meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED)
        has_pack = meeting.packs.filter(
            audience=Audience.PUBLIC, status=PackStatus.PUBLISHED
        ).exists()
        assert listed == (has_pack or not hidden), meeting


def test_public_pages_only_read(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    stored_pack(pack_setting["meeting"], Audience.PUBLIC, 1, PackStatus.PUBLISHED, "PUBLIC-V1")
    urls = addresses(pack_setting["meeting"])
    for url in (reverse("public:index"), urls["meeting"], urls["pdf"]):
        assert client.post(url).status_code == 405, url
        assert client.head(url).status_code == 200, url


def test_the_pack_page_gives_the_public_address_once_published(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    client.force_login(pack_setting["coordinator"])
    page = reverse("reports:meeting", args=[meeting.pk])
    # (Every page's footer links the public site's index; the meeting's address is new.)
    assert addresses(meeting)["meeting"].encode() not in client.get(page).content
    stored_pack(meeting, Audience.PUBLIC, 1, PackStatus.PUBLISHED, "PUBLIC-V1")
    assert addresses(meeting)["meeting"].encode() in client.get(page).content
