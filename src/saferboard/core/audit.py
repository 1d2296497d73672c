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


def record_many(
    action: AuditAction | str,
    *,
    objects: list[models.Model],
    details: list[dict[str, Any]],
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> None:
    """One audit event per object, written together (a measure's observations rated in
    one go): the same events :func:`record` would write, without a query each."""
    if len(objects) != len(details):
        raise ValueError("One detail per object")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if not actor_label and actor is not None:
        actor_label = actor.get_username()
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    request_id = (getattr(request, "request_id", "") if request is not None else "") or (
        current_request_id()
    )
    at = timezone.now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=at,
                action=str(action),
                actor=actor,
                actor_label=actor_label[:200],
                object_type=obj._meta.label,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                request_id=request_id,
                ip_address=ip or None,
                detail=detail,
            )
            for obj, detail in zip(objects, details, strict=True)
        ],
        batch_size=500,
    )


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The audit-friendly values of ``fields`` on ``obj``: foreign keys and many-to-many
    fields by the names of what they point at, dates as ISO text, so a change reads as
    "before → after" without a lookup."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            related = getattr(obj, name)
            values[name] = str(related) if related is not None else None
        else:
            value = getattr(obj, name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if values[name] is not None and not isinstance(values[name], bool | int | float | list):
            values[name] = str(values[name])
    return values


def record_change(
    obj: models.Model,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    action: AuditAction | str = AuditAction.SETTINGS_CHANGE,
    **detail: Any,
) -> AuditEvent | None:
    """Audit a set-up change as who, when, before and after (only the fields that changed).

    ``before`` is None for a creation, ``after`` None for a retirement or deletion. Returns
    None, writing nothing, when nothing changed.
    """
    before = before or {}
    after = after or {}
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if not changed:
        return None
    return record(
        action,
        actor=actor,
        obj=obj,
        request=request,
        before={k: before.get(k) for k in changed},
        after={k: after.get(k) for k in changed},
        **detail,
    )


def save_change(
    obj: models.Model,
    fields: list[str] | tuple[str, ...],
    changes: dict[str, Any],
    **audited: Any,
) -> AuditEvent | None:
    """Set ``changes`` on ``obj``, save just those fields, and audit ``fields`` before and
    after (:func:`record_change`, with ``audited``: actor, request, action, detail).

    Opens no transaction: the service calling it holds the save and its audit in its own,
    so neither is kept without the other.
    """
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(changes))
    return record_change(obj, before=before, after=snapshot(obj, fields), **audited)
