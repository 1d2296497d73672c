"""Partner data returns: templates of measures, and versioned submissions of values.

A :class:`ReturnTemplate` says which measures an organisation returns, how often and
how each value is checked. Each period's return is a series of :class:`Submission`
versions: version 1 is the first accepted return, and every correction after
acceptance adds a version with its reason. Nothing is overwritten, so the history of a
figure is always there; the highest version is the one the observations show.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from saferboard.core.periods import Period, PeriodKind
from saferboard.core.scoping import OrganisationScopedQuerySet


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly (financial quarters)"


class ReturnTemplate(models.Model):
    """Which measures one organisation returns, at what frequency, checked how."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="return_templates"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    area = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The area the returned figures describe (usually the borough).",
    )
    first_period_start = models.DateField(
        help_text="The first day of the first period partners return."
    )
    due_days = models.PositiveSmallIntegerField(
        default=15, help_text="Days after the period ends by which the return is due."
    )
    guidance = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the template was retired: no more returns are asked for, and the "
        "accepted ones are kept.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()
    scope_field = "organisation"

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def period_kind(self) -> PeriodKind:
        if self.frequency == Frequency.MONTHLY:
            return PeriodKind.MONTH
        return PeriodKind.FINANCIAL_QUARTER

    def period_for(self, day: date) -> Period:
        """The return period (month or financial quarter) containing ``day``."""
        return Period.containing(day, self.period_kind)


class TemplateMeasure(models.Model):
    """One measure on a return template, with the checks its value must pass."""

    template = models.ForeignKey(ReturnTemplate, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    required = models.BooleanField(default=True)
    integer = models.BooleanField(default=True, help_text="Whole numbers only.")
    allow_negative = models.BooleanField(default=False)
    change_threshold_pct = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Ask for a comment when the value moves more than this % from last period.",
    )
    minimum = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The smallest value accepted (blank for no minimum beyond 0 or negatives).",
    )
    maximum = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="The largest value accepted (blank for no maximum).",
    )
    hint = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "measure"], name="template_measure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.measure}"


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    XLSX = "xlsx", "Spreadsheet upload"
    API = "api", "API"
    DEMO = "demo", "Demo data"


class SubmissionQuerySet(OrganisationScopedQuerySet["Submission"]):
    def current(self) -> SubmissionQuerySet:
        """Only the latest version of each template's period."""
        later = Submission.objects.filter(
            template=models.OuterRef("template"),
            period_start=models.OuterRef("period_start"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(later))


class Submission(models.Model):
    """One accepted version of one period's return. Never edited: corrections add one."""

    template = models.ForeignKey(
        ReturnTemplate, on_delete=models.PROTECT, related_name="submissions"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    reason = models.TextField(blank=True, help_text="Why a correction was made (version 2 on).")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    data_import = models.OneToOneField(
        "measures.DataImport",
        on_delete=models.PROTECT,
        related_name="return_submission",
        help_text="Provenance of the observations this version wrote.",
    )

    objects = SubmissionQuerySet.as_manager()
    scope_field = "template__organisation"

    class Meta:
        ordering = ["template", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period_start", "version"], name="submission_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="submission_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.period.label} version {self.version}"

    @property
    def period(self) -> Period:
        return self.template.period_for(self.period_start)

    @property
    def is_correction(self) -> bool:
        return self.version > 1


class SubmittedValue(models.Model):
    """One measure's value in one submission (blank for an optional measure left out)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "measure"], name="submitted_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value}"
