"""Audit events: what users did with sensitive data, kept apart and append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferboard.core.models.rag import AppendOnlyModel


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_IN_LOCKED = "sign_in_locked", "Sign-in locked out"
    LINK_REQUEST = "link_request", "Asked for a password link"
    READ_PERSONAL_DATA = "read_personal_data", "Read personal data"
    ACCESS_REFUSED = "access_refused", "Access refused"
    CHANGE_PERSONAL_DATA = "change_personal_data", "Changed personal data"
    DELETE_PERSONAL_DATA = "delete_personal_data", "Deleted personal data (retention)"
    EXPORT = "export", "Exported data"
    PUBLISH = "publish", "Published a document"
    RAG_CHANGE = "rag_change", "Changed a RAG status"
    PERMISSION_CHANGE = "permission_change", "Changed permissions"
    IMPORT = "import", "Imported data"
    SETTINGS_CHANGE = "settings_change", "Changed the set-up"
    FIGURE_ACCEPTED = "figure_accepted", "Accepted a figure the figure check queried"


class AuditEvent(AppendOnlyModel):
    """One audited event. Written only by :mod:`saferboard.core.audit`."""

    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_label = models.CharField(
        max_length=200, blank=True, help_text="Who acted, as typed (e.g. a failed username)."
    )
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_label}"
