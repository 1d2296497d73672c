"""Every write made with an API token is audited, naming the token."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from saferboard.api.models import ApiToken
from saferboard.core import audit
from saferboard.core.models import AuditAction


def audit_token_write(
    token: ApiToken, obj: models.Model, request: HttpRequest | None = None, **detail: Any
) -> None:
    """Record one write made with ``token`` (its number and prefix, ``via="api"``)."""
    audit.record(
        AuditAction.IMPORT,
        actor=token.user,
        obj=obj,
        request=request,
        via="api",
        token_id=token.pk,
        token_prefix=token.prefix,
        **detail,
    )
