"""Evidence files attached to updates, actions and RAG proposals, stored by checksum."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from saferboard.core.scoping import OrganisationScopedQuerySet


class EvidenceFile(models.Model):
    """An uploaded file, kept under the data directory, addressed by its SHA-256.

    Attached to any object (a partner update, an action…) through a generic relation.
    Files are never served inline from the application's origin: downloads are
    attachments with a fixed content type (see :mod:`saferboard.core.evidence`).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    attached_to = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="evidence_files"
    )
    original_name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()
    scope_field = "organisation"

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name
