"""Building, checking, publishing and reading board packs.

Who may do what (see docs/board-pack.md):

- coordinators and administrators build packs, acknowledge figure-check findings,
  upload appendices and publish; they read every version, drafts included;
- everyone signed in reads a *published public* pack;
- a *published restricted* pack (exempt items, no disclosure control) is read by
  the managers and by the people who may see the meeting's exempt items: members of
  that board on the meeting date and substitutes who attended
  (:func:`saferboard.meetings.access.can_see_exempt`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Max
from django.utils import timezone

from saferboard.core.audit import record
from saferboard.core.models import AuditAction
from saferboard.core.running import may_be_running, remove_if_abandoned, running
from saferboard.reports.files import packs_dir, sha256_of, write_atomic
from saferboard.reports.models import Audience, FigureIssue, Pack, PackStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from saferboard.core.models import User
    from saferboard.meetings.models import Meeting
    from saferboard.reports.figurecheck import Issue

log = logging.getLogger(__name__)

# Audit action for publishing (the audit model's choices have no 'publish' yet).
PUBLISH_ACTION = "publish"
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}


INTERRUPTED = "The build was interrupted (the process running it stopped): build the pack again"


class PackError(ValueError):
    """A change the pack's state does not allow, worded for the person trying it."""


def can_build(user: User) -> bool:
    """Coordinators and administrators build and publish packs."""
    from saferboard.actions.access import can_manage

    return can_manage(user)


def can_read(user: User, pack: Pack) -> bool:
    """True if ``user`` may open this pack version (see the module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_build(user):
        return True
    if not pack.is_published:
        return False
    if pack.audience == Audience.PUBLIC:
        return True
    from saferboard.meetings.access import can_see_exempt

    return can_see_exempt(user, pack.meeting)


def next_version(meeting: Meeting, audience: str) -> int:
    last = Pack.objects.filter(meeting=meeting, audience=audience).aggregate(v=Max("version"))["v"]
    return (last or 0) + 1


def new_pack(meeting: Meeting, audience: str, user: User | None) -> Pack:
    """A new version, in 'building' state (every build is a new version: a published
    one is never rebuilt)."""
    if audience not in Audience.values:
        raise PackError(f"Unknown pack audience {audience!r}")
    with transaction.atomic():
        return Pack.objects.create(
            meeting=meeting,
            audience=audience,
            version=next_version(meeting, audience),
            created_by=user,
            progress="Waiting to start",
        )


def _builder_lock_path(pack_id: int) -> Path:
    return packs_dir() / ".building" / f"{pack_id}.lock"


def fail_abandoned_builds() -> int:
    """Mark failed every version left 'building' by a process that died (killed, or a
    server restart), and delete the files it had written; return how many.

    Without this a killed build would say "building" for ever. Called before each new
    build and by the pages that show build status.
    """
    settled = 0
    for pack in Pack.objects.filter(status=PackStatus.BUILDING):
        if may_be_running(_builder_lock_path(pack.pk), pack.created_at):
            continue
        # Conditional: a build that finished a moment ago is not marked failed.
        if Pack.objects.filter(pk=pack.pk, status=PackStatus.BUILDING).update(
            status=PackStatus.FAILED, progress="Failed", error=INTERRUPTED
        ):
            folder = packs_dir() / f"meeting-{pack.meeting_id}"
            stem = f"{pack.audience}-v{pack.version}"
            for fmt in FORMATS:
                (folder / f"{stem}.{fmt}").unlink(missing_ok=True)
            for temporary in folder.glob(f".{stem}.*.tmp"):
                temporary.unlink(missing_ok=True)
            settled += 1
        _builder_lock_path(pack.pk).unlink(missing_ok=True)
    # A build killed after storing its result but before removing its lock file.
    building = set(Pack.objects.filter(status=PackStatus.BUILDING).values_list("pk", flat=True))
    for path in (packs_dir() / ".building").glob("*.lock"):
        if path.stem.isdigit() and int(path.stem) not in building:
            remove_if_abandoned(path)  # unless a build started after the query above
    return settled


def _progress(pack_id: int, text: str, percent: int) -> None:
    Pack.objects.filter(pk=pack_id).update(progress=text, progress_percent=percent)


def build(pack: Pack, *, progress: Callable[[int, str, int], None] = _progress) -> Pack:
    """Assemble, check, render and store one pack version; returns it, built or failed."""
    with running(_builder_lock_path(pack.pk)):
        _build_locked(pack, progress)
    pack.refresh_from_db()
    return pack


def _build_locked(pack: Pack, progress: Callable[[int, str, int], None]) -> None:
    from saferboard.reports.assemble import assemble
    from saferboard.reports.render import render_document_html, render_docx, render_pdf

    started = time.perf_counter()
    try:
        progress(pack.pk, "Gathering the content", 5)
        content = assemble(
            pack.meeting, public=pack.audience == Audience.PUBLIC, user=pack.created_by
        )
        progress(pack.pk, "Laying out the PDF and its page ranges", 25)
        result = render_pdf(content)
        progress(pack.pk, "Writing the Word document and the web pack", 80)
        docx = render_docx(content, result.ranges)
        html = render_document_html(content, web=True)
        base = packs_dir() / f"meeting-{pack.meeting_id}" / f"{pack.audience}-v{pack.version}"
        files = {}
        for fmt, data in (("pdf", result.pdf), ("docx", docx), ("html", html.encode("utf-8"))):
            path = base.with_suffix(f".{fmt}")
            digest = write_atomic(path, data)
            files[fmt] = {
                "path": str(path.relative_to(packs_dir())),
                "sha256": digest,
                "bytes": len(data),
            }
        contents = [
            {
                "number": e.number,
                "title": e.title,
                "kind": e.kind,
                "available": bool(e.section and e.section.available),
                "withheld": e.withheld,
                "note": e.section.note if e.section else "",
                "pages": [result.ranges[e.anchor].start, result.ranges[e.anchor].end]
                if e.anchor
                else None,
            }
            for e in content.entries
        ]
        with transaction.atomic():
            _store_issues(pack, content.issues)
            Pack.objects.filter(pk=pack.pk).update(
                status=PackStatus.DRAFT,
                progress="Built",
                progress_percent=100,
                built_at=timezone.now(),
                build_seconds=round(time.perf_counter() - started, 2),
                data_version=content.data_version,
                code_version=content.code_version,
                pages=result.pages,
                contents=contents,
                files=files,
                pdf_sha256=files["pdf"]["sha256"],
            )
    except Exception as error:  # a failed build is recorded and shown, never half-stored
        log.exception("Building pack %s failed", pack.pk)
        Pack.objects.filter(pk=pack.pk).update(
            status=PackStatus.FAILED, progress="Failed", error=f"{type(error).__name__}: {error}"
        )


def _store_issues(pack: Pack, issues: Iterable[Issue]) -> None:
    """Save the figure check's findings; an acknowledgement given to the same finding
    on an earlier version of this meeting's pack carries over."""
    earlier = {
        i.key: i
        for i in FigureIssue.objects.filter(
            pack__meeting_id=pack.meeting_id, acknowledged_at__isnull=False
        ).order_by("acknowledged_at")
    }
    rows = []
    for issue in issues:
        before = earlier.get(issue.key)
        rows.append(
            FigureIssue(
                pack=pack,
                key=issue.key,
                location=issue.location[:300],
                link=issue.link[:300],
                severity=issue.severity,
                message=issue.message,
                found=issue.found,
                suggestion=issue.suggestion,
                acknowledged_at=before.acknowledged_at if before else None,
                acknowledged_by=before.acknowledged_by if before else None,
                acknowledged_reason=before.acknowledged_reason if before else "",
            )
        )
    FigureIssue.objects.bulk_create(rows)


def _build_in_thread(pack_id: int) -> None:
    try:
        close_old_connections()
        build(Pack.objects.select_related("meeting__board__partnership").get(pk=pack_id))
    finally:
        connection.close()


def start_build(meeting: Meeting, audience: str, user: User | None) -> Pack:
    """Create the next version and build it: in a background thread (a pack takes
    seconds), or inline when ``SABO_PACK_BUILD_INLINE`` is set (tests, the CLI)."""
    fail_abandoned_builds()
    pack = new_pack(meeting, audience, user)
    if getattr(settings, "SABO_PACK_BUILD_INLINE", False):
        return build(pack)
    thread = threading.Thread(
        target=_build_in_thread, args=(pack.pk,), name=f"pack-{pack.pk}", daemon=True
    )
    transaction.on_commit(thread.start)
    return pack


def acknowledge(issue: FigureIssue, *, user: User, reason: str) -> FigureIssue:
    """Accept a finding as it stands, with the reason (recorded against the user)."""
    reason = reason.strip()
    if not reason:
        raise PackError("Enter why the figures are right as they stand")
    if issue.pack.is_published:
        raise PackError("This version is published: build a new version to change it")
    issue.acknowledged_at = timezone.now()
    issue.acknowledged_by = user
    issue.acknowledged_reason = reason
    issue.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_reason"])
    return issue


@dataclass(frozen=True)
class Download:
    path: Path
    filename: str
    content_type: str


def file_for(pack: Pack, fmt: str) -> Path:
    if fmt not in FORMATS or fmt not in pack.files:
        raise PackError(f"This pack has no {fmt} file")
    relpath: str = pack.files[fmt]["path"]
    return packs_dir() / relpath


@transaction.atomic
def publish(pack: Pack, *, user: User, request: HttpRequest | None = None) -> Pack:
    """Draft → published: the PDF is frozen (its checksum checked and kept).

    Refused while a figure-check finding is neither fixed (gone on rebuilding) nor
    acknowledged with a reason.
    """
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != PackStatus.DRAFT:
        raise PackError(
            f"Only a draft can be published; this version is {pack.get_status_display().lower()}"
        )
    open_count = pack.open_issues().count()
    if open_count:
        noun = "finding" if open_count == 1 else "findings"
        raise PackError(
            f"The figure check has {open_count} {noun} to fix or acknowledge before publishing"
        )
    path = file_for(pack, "pdf")
    if sha256_of(path) != pack.pdf_sha256:
        raise PackError("The PDF on disk does not match its checksum: build the pack again")
    pack.status = PackStatus.PUBLISHED
    pack.published_at = timezone.now()
    pack.published_by = user
    pack.save(update_fields=["status", "published_at", "published_by"])
    path.chmod(0o444)  # frozen: nothing in Saferboard writes a published file again
    record(
        PUBLISH_ACTION,
        actor=user,
        obj=pack,
        request=request,
        audience=pack.audience,
        version=pack.version,
        sha256=pack.pdf_sha256,
        data_version=pack.data_version,
    )
    return pack


def record_download(pack: Pack, fmt: str, *, user: User, request: HttpRequest | None) -> None:
    """Every download is an export: audited with the version, format and checksum."""
    record(
        AuditAction.EXPORT,
        actor=user,
        obj=pack,
        request=request,
        format=fmt,
        audience=pack.audience,
        version=pack.version,
        sha256=pack.files.get(fmt, {}).get("sha256", ""),
    )


def latest_published(meeting: Meeting, audience: str) -> Pack | None:
    return (
        Pack.objects.filter(meeting=meeting, audience=audience, status=PackStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )
