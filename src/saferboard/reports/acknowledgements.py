"""Resolving a figure-check finding: accepted with a reason, for the whole meeting.

A finding is resolved in one of two ways: the text is corrected at its source (the
finding's ``edit_url``) and the pack built again, when the finding is gone; or it is
accepted as it stands, with the reason. An acceptance is keyed on the meeting and the
finding's fingerprint, so it applies to every pack of the meeting (public and
restricted) and to every rebuild, and is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from saferboard.core.audit import record_change, snapshot
from saferboard.core.models import AuditAction
from saferboard.reports.models import (
    Audience,
    FigureAcknowledgement,
    FigureIssue,
    Pack,
    PackStatus,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from saferboard.core.models import User
    from saferboard.meetings.models import Meeting

ACCEPT_ACTION = AuditAction.FIGURE_ACCEPTED
AUDITED = ("key", "location", "message", "reason", "acknowledged_by")


class AcceptError(ValueError):
    """An acceptance the finding's state does not allow, worded for the analyst."""


@transaction.atomic
def accept(
    issue: FigureIssue, *, user: User, reason: str, request: HttpRequest | None = None
) -> FigureAcknowledgement:
    """Accept ``issue`` as it stands, with ``reason``, for every pack of its meeting."""
    reason = reason.strip()
    if not reason:
        raise AcceptError("Enter why the figures are right as they stand")
    if issue.pack.is_published:
        raise AcceptError("This version is published: build a new version to change it")
    meeting_id = issue.pack.meeting_id
    existing = FigureAcknowledgement.objects.filter(meeting_id=meeting_id, key=issue.key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    acknowledgement = FigureAcknowledgement.objects.create(
        meeting_id=meeting_id,
        key=issue.key,
        location=issue.location,
        message=issue.message,
        reason=reason,
        acknowledged_at=now,
        acknowledged_by=user,
    )
    # The same finding on every version of the meeting's packs shows as accepted (and
    # a later build copies it from them).
    FigureIssue.objects.filter(
        pack__meeting_id=meeting_id, key=issue.key, acknowledged_at__isnull=True
    ).update(acknowledged_at=now, acknowledged_by=user, acknowledged_reason=reason)
    record_change(
        acknowledgement,
        before=None,
        after=snapshot(acknowledgement, AUDITED),
        actor=user,
        request=request,
        action=ACCEPT_ACTION,
        meeting=meeting_id,
        pack=issue.pack_id,
    )
    return acknowledgement


def accepted_for(meeting: Meeting) -> dict[str, FigureAcknowledgement]:
    """The meeting's acceptances by finding fingerprint."""
    return {
        a.key: a
        for a in FigureAcknowledgement.objects.filter(meeting=meeting).select_related(
            "acknowledged_by"
        )
    }


def restricted_only_open(pack: Pack) -> int:
    """How many open findings of the meeting's latest built restricted version are not
    findings of the public version ``pack`` too: raised only by exempt items, so left
    to the coordinators. An analyst checking the public pack is told how many, never
    their text (they may not read exempt items)."""
    restricted = (
        Pack.objects.filter(
            meeting_id=pack.meeting_id,
            audience=Audience.RESTRICTED,
            status__in=[PackStatus.DRAFT, PackStatus.PUBLISHED],
        )
        .order_by("-version")
        .first()
    )
    if restricted is None:
        return 0
    public_keys = pack.issues.values("key")
    return restricted.open_issues().exclude(key__in=public_keys).count()
