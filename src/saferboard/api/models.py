"""API tokens: hashed, scoped to an organisation, read or write, and revocable.

The raw token is shown once, when it is made; only its SHA-256 is kept (a token is 256
random bits, so a fast hash is enough: there is nothing to guess). A token carries the
capabilities its owner had when it was made, less any whose role the owner has lost
since (checked on every request), and is refused once its owner leaves the
organisation or is deactivated, whatever the token says.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferboard.core.scoping import OrganisationScopedQuerySet


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    name = models.CharField(max_length=100, help_text="What the token is for.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text="The person or system account the token acts as.",
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="api_tokens"
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    capabilities = models.JSONField(default=list, help_text="What the token may do, by name.")
    prefix = models.CharField(max_length=16, help_text="The token's first characters, to tell it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OrganisationScopedQuerySet.as_manager()
    scope_field = "organisation"

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # Used as the rate-limit key: never the secret, only the identity.
        return f"api-token-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


class RateCount(models.Model):
    """Requests one token made in one window of the API rate limit.

    Counted in the database, so every server process and worker shares the count (a
    per-process cache let 1,206 of 1,400 requests through in 16 s against 600 a minute;
    issue 18). Rows older than the previous window are deleted as new windows start.
    """

    key = models.CharField(max_length=100)
    window = models.BigIntegerField(help_text="Start of the window, in seconds since 1970.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="api_ratecount_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.window}: {self.count}"


class QueuedImport(models.Model):
    """A crime import queued through the API: which token queued the job, so only that
    token (or an administrator's) may read its progress (issue 22)."""

    job = models.OneToOneField(
        "crime.ImportJob", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"Import {self.job_id} queued by token {self.token_id}"
