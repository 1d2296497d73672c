"""Measures, their RAG rules (versioned configuration), observations and provenance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from saferboard.core.models import RagRated


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    RATE_PER_100000 = "rate_per_100000", "Rate per 100,000"
    RATIO = "ratio", "Ratio"


class Direction(models.TextChoices):
    LOWER_IS_BETTER = "lower", "Lower is better"
    HIGHER_IS_BETTER = "higher", "Higher is better"
    NEUTRAL = "neutral", "Monitor only"


class RuleKind(models.TextChoices):
    LOWER_IS_BETTER = "lower_is_better", "Lower is better, with tolerance bands"
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better, with tolerance bands"
    # A judgement rule: a named person with the right role sets the rating and says why
    # (see measures/judgements.py). Kept as "manual" rather than a new kind: it already
    # meant exactly that, and every reader of rule kinds (apply_rule, the dashboards)
    # already gives it no automatic rating.
    MANUAL = "manual", "Judgement: set by a named person with a reason"


class RagRule(models.Model):
    """A named RAG rule; its behaviour lives in immutable, numbered versions."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> RagRuleVersion | None:
        return self.versions.order_by("-version").first()


class RagRuleVersion(models.Model):
    """One version of a rule. Versions are never edited: a change adds a version.

    For the band rules, ``green_max_pct`` and ``amber_max_pct`` bound the *worsening*
    as a percentage of the previous value: a worsening up to ``green_max_pct`` is Green,
    up to ``amber_max_pct`` Amber, beyond it Red. Improvement is always Green.
    """

    rule = models.ForeignKey(RagRule, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=RuleKind.choices)
    green_max_pct = models.DecimalField(max_digits=7, decimal_places=3, default=0)
    amber_max_pct = models.DecimalField(max_digits=7, decimal_places=3, default=10)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["rule", "version"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="rag_rule_version_unique"),
            models.CheckConstraint(
                condition=models.Q(amber_max_pct__gte=models.F("green_max_pct")),
                name="rag_rule_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.ref

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("RAG rule versions are immutable; add a new version")
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        """How an assessment names the rule that set it: ``slug@version``."""
        return f"{self.rule.slug}@{self.version}"


class SourceKind(models.TextChoices):
    POLICE_UK = "police-uk", "police.uk open data"
    MPS = "mps", "Metropolitan Police (London Datastore)"
    YOUTH_JUSTICE = "youth-justice", "Youth justice case records"
    PUBLISHED = "published", "Published statistics"
    PARTNER_RETURN = "partner-return", "Partner data return"
    COMPOSITE = "composite", "Computed from other measures"
    MANUAL = "manual", "Entered by hand"


class MeasureQuerySet(models.QuerySet["Measure"]):
    def in_use(self, day: date | None = None) -> MeasureQuerySet:
        """Measures not retired on ``day`` (today by default): what dashboards and pickers
        list. Retired measures keep their figures and stay readable by slug."""
        day = day or timezone.localdate()
        return self.filter(models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=day))


class Measure(models.Model):
    """Something the board watches: what is counted, its unit, direction and RAG rule."""

    slug = models.SlugField(max_length=80)
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="The definition, in plain words.")
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.LOWER_IS_BETTER
    )
    rag_rule = models.ForeignKey(
        RagRule, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    definition = models.JSONField(
        default=dict,
        blank=True,
        help_text="Machine-readable definition (e.g. categories counted), read by the engines.",
    )
    display_order = models.PositiveIntegerField(default=100)
    synonyms = models.TextField(
        blank=True,
        help_text=(
            "Other names for the measure in narrative text, one a line ('knife offences'): "
            "the figure check matches a sentence to the measure by its label or these."
        ),
    )
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="From this day the measure drops out of dashboards; its figures are kept.",
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "slug"], name="measure_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def definition_version(self) -> str:
        """A short digest of what the measure counts and how (its machine-readable
        definition and unit): stored with each figure, so a figure says which
        definition computed it, and changes whenever the definition does."""
        import hashlib
        import json

        text = json.dumps({"definition": self.definition or {}, "unit": self.unit}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    @property
    def is_retired(self) -> bool:
        """Whether the measure is retired today (a retirement can be set ahead)."""
        return self.retired_on is not None and self.retired_on <= timezone.localdate()


class MeasureRating(RagRated):
    """The judgement RAG of one measure's figure for an area and period.

    Set only through :func:`saferboard.measures.judgements.set_judgement` (which calls
    ``record_rag``), so every rating is a RAG history row naming the person, their reason
    and the rule version they applied.
    """

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="ratings")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["measure", "area", "-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period_start", "period_end"],
                name="measure_rating_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period_start:%b %Y} to {self.period_end:%b %Y}"


class DataImport(models.Model):
    """Provenance of an import or extract: what came in, from where, by whom, when."""

    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    format = models.CharField(max_length=40)
    label = models.CharField(max_length=200, help_text="e.g. 'police.uk City of London 2025-12'")
    files = models.JSONField(
        default=list, help_text="[{'name': …, 'sha256': …, 'bytes': …, 'rows': …}]"
    )
    rows = models.PositiveBigIntegerField(default=0)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    data_as_at = models.DateField(null=True, blank=True, help_text="The extract's own date.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code_version = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.imported_at:%Y-%m-%d})"


class Observation(RagRated):
    """One value of a measure for an area and period, with comparators and provenance.

    Rated when stored (:mod:`saferboard.measures.rating`): the ``rag_*`` fields are the
    current rating, ``rag_rule`` the rule version that set it, and every rating is a
    ``RagEntry`` in its history. Storing the same figure again keeps its rating; a new
    rule version re-rates only when someone asks (:func:`~saferboard.measures.rating.rerate`).
    """

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="observations")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.FloatField(null=True, blank=True, help_text="Null when not computable.")
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    comparators = models.JSONField(
        default=dict,
        blank=True,
        help_text="Comparator values by name: previous_period, london, england_wales, …",
    )
    rank = models.PositiveIntegerField(null=True, blank=True)
    peer_group = models.CharField(max_length=80, blank=True)
    peer_group_size = models.PositiveIntegerField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    source = models.ForeignKey(
        DataImport, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    data_as_at = models.DateField(null=True, blank=True)
    code_version = models.CharField(max_length=60, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    rag_rule = models.CharField(
        max_length=120, blank=True, help_text="The rule version ('slug@version') that rated it."
    )
    definition_version = models.CharField(
        max_length=16,
        blank=True,
        help_text="Which definition of the measure computed it (a digest of the definition).",
    )

    class Meta:
        ordering = ["measure", "area", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area", "period_start", "period_end"],
                name="observation_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="observation_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["area", "period_end"])]

    def __str__(self) -> str:
        return (
            f"{self.measure} {self.area.code} {self.period_start}–{self.period_end}: {self.value}"
        )
