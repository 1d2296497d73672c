"""Building, checking, publishing and reading board packs.

Who may do what (see docs/board-pack.md):

- coordinators and administrators build packs, acknowledge figure-check findings,
  upload appendices and publish; they read every version, drafts included;
- analysts read every version of the *public* pack, drafts included, and open its
  figure check to resolve its findings (an acceptance is for the whole meeting, so it
  covers the restricted pack too); a finding raised only by exempt items, in the
  restricted pack alone, stays with the coordinators (docs/access.md);
- everyone signed in reads a *published public* pack;
- a *published restricted* pack (exempt items, no disclosure control) is read by
  the managers and by the people who may see the meeting's exempt items: members of
  that board on the meeting date and substitutes who attended
  (:func:`saferboard.meetings.access.can_see_exempt`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from saferboard.core.audit import record
from saferboard.core.checksums import file_sha256
from saferboard.core.models import AuditAction
from saferboard.reports.files import packs_dir, write_atomic
from saferboard.reports.models import Audience, FigureIssue, Pack, PackStatus
from saferboard.tasks.workers import settle_abandoned, task_record

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


def is_analyst(user: User) -> bool:
    """An active analyst (who checks the public pack's figures)."""
    from saferboard.core.models import Role

    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ANALYST))


def can_check(user: User, pack: Pack) -> bool:
    """True if ``user`` may open this version's figure check and resolve its findings:
    the builders for every version, analysts for a public one (which holds no exempt
    item, so nothing they may not read)."""
    if can_build(user):
        return True
    return pack.audience == Audience.PUBLIC and is_analyst(user)


def can_read(user: User, pack: Pack) -> bool:
    """True if ``user`` may open this pack version (see the module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_build(user):
        return True
    if pack.audience == Audience.PUBLIC and is_analyst(user):
        return True  # drafts too: the analyst reads what the figure check points to
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


# A build with no task record not started this long after it was recorded never will
# be (versions recorded before builds were tasks).
NEVER_STARTED_AFTER = timedelta(minutes=10)

WAITING_AGAIN = "Waiting for a worker (the one building this stopped; it will start again)"


def fail_abandoned_builds() -> int:
    """Bring every version left 'building' in line with its task's own record: a task
    queued again after its worker died shows as waiting; a task that ended without
    storing a result (or a version with no task, long ago) is marked failed and the
    files it had written are deleted. Returns how many were marked failed.

    Without this a killed build would say "building" for ever. Called before each new
    build and by the pages that show build status.
    """
    settle_abandoned()
    settled = 0
    for pack in Pack.objects.filter(status=PackStatus.BUILDING):
        record = task_record(build_pack, pack.pk)
        if record is None:
            ended = timezone.now() - pack.created_at >= NEVER_STARTED_AFTER
        elif record.status == TaskResultStatus.READY:
            if pack.progress != WAITING_AGAIN and pack.progress_percent:
                Pack.objects.filter(pk=pack.pk, status=PackStatus.BUILDING).update(
                    progress=WAITING_AGAIN, progress_percent=0
                )
            continue
        else:
            ended = record.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
        # Conditional: a build that finished a moment ago is not marked failed.
        if ended and Pack.objects.filter(pk=pack.pk, status=PackStatus.BUILDING).update(
            status=PackStatus.FAILED, progress="Failed", error=INTERRUPTED
        ):
            _remove_files(pack)
            settled += 1
    return settled


def _remove_files(pack: Pack) -> None:
    """Delete what a build of ``pack`` wrote (files and temporary files)."""
    folder = packs_dir() / f"meeting-{pack.meeting_id}"
    stem = f"{pack.audience}-v{pack.version}"
    for fmt in FORMATS:
        (folder / f"{stem}.{fmt}").unlink(missing_ok=True)
    for temporary in folder.glob(f".{stem}.*.tmp"):
        temporary.unlink(missing_ok=True)


def _progress(pack_id: int, text: str, percent: int) -> None:
    Pack.objects.filter(pk=pack_id).update(progress=text, progress_percent=percent)


def build(pack: Pack, *, progress: Callable[[int, str, int], None] = _progress) -> Pack:
    """Assemble, check, render and store one pack version; returns it, built or failed.

    Files a killed earlier attempt at this version wrote are removed first (it is
    rebuilt from the start; nothing reads them, since only the version's row, stored
    last, names them)."""
    _remove_files(pack)
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
                edit_url=issue.edit_url[:300],
                detail=issue.detail,
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


@task()
def build_pack(pack_id: int) -> str:
    """The task: build pack version ``pack_id`` if it is still waiting to be built;
    returns its status. Run again after its worker died, it builds the version afresh."""
    pack = Pack.objects.select_related("meeting__board__partnership").get(pk=pack_id)
    if pack.status == PackStatus.BUILDING:
        pack = build(pack)
    return str(pack.status)


def start_build(meeting: Meeting, audience: str, user: User | None) -> Pack:
    """Create the next version and queue its build (:func:`build_pack`; a pack takes
    seconds). The task is recorded in the same transaction as the version, so neither
    is ever kept without the other."""
    fail_abandoned_builds()
    with transaction.atomic():
        pack = new_pack(meeting, audience, user)
        build_pack.enqueue(pack.pk)
    pack.refresh_from_db()  # the immediate backend (tests) has built it already
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
    if file_sha256(path) != pack.pdf_sha256:
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
