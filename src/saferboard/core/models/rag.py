"""RAG history: append-only entries with a denormalised current status on the subject."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from saferboard.core.rag_values import RagAssessment, RagStatus

_M = TypeVar("_M", bound=models.Model)


class RagRated(models.Model):
    """Mixin for anything with a RAG rating (priority, commitment, action…).

    The ``rag_*`` fields are a cache of the latest :class:`RagEntry` for the object.
    They are written only by :func:`saferboard.core.rag.record_rag`, never directly.
    """

    rag_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    rag_second_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    rag_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def rag(self) -> RagAssessment | None:
        """The current assessment as a value object, or ``None`` if never rated."""
        return RagAssessment.of(
            self.rag_status, self.rag_second_status, self.rag_reason, self.rag_set_at
        )


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Refuses bulk updates and deletes: history rows are written once."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{self.model.__name__} rows are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A model whose rows can be inserted but never changed or removed by the app."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(f"{type(self).__name__} rows are append-only")


class RagEntry(AppendOnlyModel):
    """One RAG assessment of one object, as set by a person or a rule."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    status = models.CharField(max_length=10, choices=RagStatus.choices)
    second_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(
        max_length=120, blank=True, help_text="The rule and version that set it, if not a person."
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["set_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "set_at"])]
        verbose_name_plural = "RAG entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(set_by__isnull=False) | ~models.Q(rule=""),
                name="rag_entry_has_author",
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} at {self.set_at:%Y-%m-%d %H:%M}"
