"""Building, the figure-check gate, publishing (frozen PDF, audit), reading and
downloading, with who may do each."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from saferboard.core.models import AuditEvent
from saferboard.reports import services
from saferboard.reports.files import packs_dir
from saferboard.reports.models import FigureIssue, Pack, PackStatus
from saferboard.reports.render import UnreadableAppendix, appendix_pages
from tests.reports.conftest import appendix_pdf


def sign_in(client, user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(user)


def test_build_check_acknowledge_publish_download(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    coordinator = pack_setting["coordinator"]
    meeting = pack_setting["meeting"]
    sign_in(client, coordinator)
    assert client.get(reverse("reports:index")).status_code == 200
    page = client.get(reverse("reports:meeting", args=[meeting.pk]))
    assert b"Build the public pack" in page.content

    response = client.post(reverse("reports:build", args=[meeting.pk, "public"]))
    pack = Pack.objects.get(meeting=meeting, audience="public")
    assert response.url == reverse("reports:status", args=[pack.pk])
    assert pack.status == PackStatus.DRAFT and pack.version == 1
    assert pack.pages >= 5 and pack.data_version and pack.code_version
    pdf_path = packs_dir() / pack.files["pdf"]["path"]
    assert hashlib.sha256(pdf_path.read_bytes()).hexdigest() == pack.pdf_sha256
    assert not list(pdf_path.parent.glob(".*.tmp"))  # no half-written files left
    status_page = client.get(reverse("reports:status", args=[pack.pk]))
    assert b"Check the figures" in status_page.content

    # The planted contradiction blocks publishing until acknowledged with a reason.
    check = client.get(reverse("reports:check", args=[pack.pk]))
    assert b"50%" in check.content and b"#item-3" in check.content
    issue = FigureIssue.objects.get(pack=pack)
    client.post(reverse("reports:publish", args=[pack.pk]))
    pack.refresh_from_db()
    assert pack.status == PackStatus.DRAFT
    empty = client.post(reverse("reports:acknowledge", args=[issue.pk]), {"reason": " "})
    assert empty.status_code == 400 and b"Enter why the figures" in empty.content
    client.post(
        reverse("reports:acknowledge", args=[issue.pk]),
        {"reason": "The minute quotes the analyst's figures; corrected at the meeting."},
    )
    issue.refresh_from_db()
    assert issue.acknowledged_by == coordinator and issue.acknowledged_reason.startswith(
        "The minute"
    )

    client.post(reverse("reports:publish", args=[pack.pk]))
    pack.refresh_from_db()
    assert pack.status == PackStatus.PUBLISHED and pack.published_by == coordinator
    assert AuditEvent.objects.filter(
        action=services.PUBLISH_ACTION, object_id=str(pack.pk)
    ).exists()
    with pytest.raises(services.PackError):
        services.publish(pack, user=coordinator)

    download = client.get(reverse("reports:download", args=[pack.pk, "pdf"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export", object_id=str(pack.pk)).count() == 1
    assert client.get(reverse("reports:web", args=[pack.pk])).status_code == 200

    # A later build is a new version; the published file is untouched, and the
    # acknowledgement carries over to the same finding.
    before = pdf_path.read_bytes()
    client.post(reverse("reports:build", args=[meeting.pk, "public"]))
    second = Pack.objects.get(meeting=meeting, audience="public", version=2)
    assert second.status == PackStatus.DRAFT
    assert pdf_path.read_bytes() == before
    assert second.open_issues().count() == 0
    assert second.data_version == pack.data_version  # same data, same figures


def test_who_may_read_which_pack(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    coordinator = pack_setting["coordinator"]
    public = services.build(services.new_pack(meeting, "public", coordinator))
    restricted = services.build(services.new_pack(meeting, "restricted", coordinator))
    member, outsider = pack_setting["member"], pack_setting["outsider"]
    # Drafts: only builders.
    assert not services.can_read(member, public)
    for pack in (public, restricted):
        FigureIssue.objects.filter(pack=pack).update(
            acknowledged_at="2026-03-01T10:00Z", acknowledged_reason="ok"
        )
        services.publish(pack, user=coordinator)
        pack.refresh_from_db()
    assert services.can_read(member, public) and services.can_read(outsider, public)
    assert services.can_read(member, restricted)  # sits on the board
    assert not services.can_read(outsider, restricted)
    sign_in(client, outsider)
    assert client.get(reverse("reports:web", args=[restricted.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[restricted.pk, "pdf"])).status_code == 404
    assert client.post(reverse("reports:build", args=[meeting.pk, "public"])).status_code == 403
    web = client.get(reverse("reports:web", args=[public.pk]))
    assert web.status_code == 200 and b"Case summaries" not in web.content
    sign_in(client, member)
    web = client.get(reverse("reports:web", args=[restricted.pk]))
    assert b"Exempt item (Part 2)" in web.content


def test_upload_appendix_counts_pages_and_rejects_non_pdf(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = pack_setting["meeting"]
    sign_in(client, pack_setting["coordinator"])
    item = pack_setting["paper_item"]
    url = reverse("reports:upload-appendix", args=[meeting.pk])
    bad = client.post(
        url, {"item": item.pk, "title": "Notes", "file": SimpleUploadedFile("x.pdf", b"hello")}
    )
    assert bad.status_code == 400 and b"The file must be a PDF" in bad.content
    good = client.post(
        url,
        {
            "item": item.pk,
            "title": "Ward profiles",
            "file": SimpleUploadedFile("w.pdf", appendix_pdf(3), content_type="application/pdf"),
        },
    )
    assert good.status_code == 302
    assert item.pack_appendices.get(title="Ward profiles").pages == 3


def test_failed_build_is_recorded(pack_setting, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from saferboard.reports import render

    def broken(content):  # type: ignore[no-untyped-def]
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(render, "render_pdf", broken)
    pack = services.build(services.new_pack(pack_setting["meeting"], "public", None))
    assert pack.status == PackStatus.FAILED and "layout exploded" in pack.error
    assert pack.files == {}


def test_cli_writes_each_format(pack_setting, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    meeting = pack_setting["meeting"]
    call_command("pack", "--meeting", str(meeting.pk), "--out", str(tmp_path / "p.pdf"))
    out = capsys.readouterr().out
    assert "public pack" in out and "(Page" in out and "Figure check: 1 finding" in out
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF-")
    call_command(
        "pack",
        "--meeting",
        str(meeting.pk),
        "--format",
        "docx",
        "--restricted",
        "--out",
        str(tmp_path / "p.docx"),
    )
    assert (tmp_path / "p.docx").read_bytes().startswith(b"PK")
    call_command(
        "pack", "--meeting", str(meeting.pk), "--format", "html", "--out", str(tmp_path / "p.html")
    )
    assert '<html lang="en-GB">' in (tmp_path / "p.html").read_text()


def test_an_appendix_the_pdf_parser_chokes_on_is_refused_not_a_server_error() -> None:
    """A catalogue that is a name, not a dictionary: pypdf raises AttributeError, which
    the upload used to let through (found by fuzzing the form)."""
    body = b"%PDF-1.4\n1 0 obj\n/NotADictionary\nendobj\n"
    pdf = body + (
        b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
        b"trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % len(body)
    )
    with pytest.raises(UnreadableAppendix, match="could not be read"):
        appendix_pages(pdf)
    assert appendix_pages(appendix_pdf(pages=3)) == 3
