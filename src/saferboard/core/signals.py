"""Auth events become audit events (the auth framework only tells us by signal)."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from saferboard.core import audit
from saferboard.core.middleware import SIGNED_IN_AT
from saferboard.core.models import AuditAction, User


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    audit.record(AuditAction.SIGN_IN, actor=user, request=request)
    if hasattr(request, "session"):
        # The start of the session's absolute lifetime (core.middleware).
        request.session[SIGNED_IN_AT] = time.time()


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditAction.SIGN_OUT, actor=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit.record(
        AuditAction.SIGN_IN_FAILED,
        request=request,
        actor_label=str(credentials.get("username", ""))[:200],
    )


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    audit.record(AuditAction.SIGN_IN_LOCKED, request=request, actor_label=username or "")
