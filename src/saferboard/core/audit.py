"""The audit service: the one place audit events are written.

Called explicitly from services and views (not from model signals, which miss bulk
operations), so each call site states what was read, exported or changed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core.middleware import current_request_id
from saferboard.core.models import AuditAction, AuditEvent, User


def record(
    action: AuditAction | str,
    *,
    actor: User | None = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    **detail: Any,
) -> AuditEvent:
    """Write one audit event and return it.

    ``actor`` defaults to the request's signed-in user; ``obj`` is the thing read,
    exported or changed; ``detail`` holds small JSON-serialisable facts (never the
    personal data itself).
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if not actor_label and actor is not None:
        actor_label = actor.get_username()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    request_id = getattr(request, "request_id", "") if request is not None else ""
    return AuditEvent.objects.create(
        at=timezone.now(),
        action=str(action),
        actor=actor,
        actor_label=actor_label[:200],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        request_id=request_id or current_request_id(),
        ip_address=ip or None,
        detail=detail,
    )
