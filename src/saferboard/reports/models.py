"""Board packs: each build is a numbered version; a published version is frozen.

A pack is built for a meeting and an audience (public: exempt items left out and
disclosure control applied; restricted: everything). Building writes the PDF, DOCX
and web pack files and records the data and code versions and the page ranges.
Publishing freezes that version (its PDF's checksum is recorded and the file is never
rewritten); any later build is a new version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Audience(models.TextChoices):
    PUBLIC = "public", "Public pack"
    RESTRICTED = "restricted", "Restricted pack"


class PackStatus(models.TextChoices):
    BUILDING = "building", "Building"
    FAILED = "failed", "Build failed"
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Pack(models.Model):
    """One version of a meeting's pack for one audience."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="packs")
    audience = models.CharField(max_length=12, choices=Audience.choices)
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=PackStatus.choices, default=PackStatus.BUILDING
    )
    progress = models.CharField(max_length=200, blank=True)
    progress_percent = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    built_at = models.DateTimeField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    data_version = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the content and figures the pack used."
    )
    code_version = models.CharField(max_length=60, blank=True)
    pages = models.PositiveIntegerField(default=0)
    contents = models.JSONField(
        default=list,
        blank=True,
        help_text="[{number, title, kind, available, note, pages: [start, end] | null}]",
    )
    files = models.JSONField(
        default=dict, blank=True, help_text="{format: {path, sha256, bytes}} under DATA_DIR/packs"
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "audience", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "audience", "version"], name="pack_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_audience_display().lower()}, version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == PackStatus.PUBLISHED

    @property
    def is_ready(self) -> bool:
        return self.status in {PackStatus.DRAFT, PackStatus.PUBLISHED}

    @property
    def is_restricted(self) -> bool:
        return self.audience == Audience.RESTRICTED

    @property
    def marking(self) -> str:
        """The protective marking its renderings carry ('' for the public pack)."""
        from saferboard.reports.marking import marking_for

        return marking_for(public=self.audience == Audience.PUBLIC)

    def open_issues(self) -> models.QuerySet[FigureIssue]:
        """Findings neither acknowledged on this version nor accepted for the meeting
        (an acceptance applies to every pack of the meeting: public, restricted and
        every rebuild)."""
        accepted = FigureAcknowledgement.objects.filter(meeting_id=self.meeting_id).values("key")
        return self.issues.filter(acknowledged_at__isnull=True).exclude(key__in=accepted)


class Severity(models.TextChoices):
    ERROR = "error", "Contradiction"
    WARNING = "warning", "Check"


class FigureIssue(models.Model):
    """A finding of the figure check on one pack version, and its acknowledgement."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="issues")
    key = models.CharField(max_length=32)
    location = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    found = models.TextField()
    suggestion = models.TextField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_reason = models.TextField(blank=True)
    edit_url = models.CharField(
        max_length=300, blank=True, help_text="Where the text is written, to correct it."
    )
    detail = models.JSONField(
        default=dict,
        blank=True,
        help_text="For a comparison with the data: {measure, text_figure, stored_figure, "
        "area, period, source}.",
    )

    class Meta:
        ordering = ["pack", "pk"]
        constraints = [models.UniqueConstraint(fields=["pack", "key"], name="figure_issue_unique")]

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class FigureAcknowledgement(models.Model):
    """A finding accepted as it stands for a whole meeting, with the reason.

    Keyed on the meeting and the finding's fingerprint (:attr:`Issue.key`), so it
    applies to the public and the restricted pack and to every rebuild; a changed text
    or changed stored figure is a new finding, to be resolved again.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="figure_acknowledgements"
    )
    key = models.CharField(max_length=32)
    location = models.CharField(max_length=300)
    message = models.TextField()
    reason = models.TextField()
    acknowledged_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="figure_ack_unique")]

    def __str__(self) -> str:
        return f"{self.location}: accepted ({self.reason})"


class PackAppendix(models.Model):
    """An uploaded PDF paper for an agenda item, merged into the pack after the item."""

    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="pack_appendices"
    )
    title = models.CharField(max_length=250)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    pages = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agenda_item", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
