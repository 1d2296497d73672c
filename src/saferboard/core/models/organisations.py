"""Partnerships and the partner organisations that belong to them, over time."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

from saferboard.core.models.fields import optional_self_link

if TYPE_CHECKING:
    from saferboard.core.models.people import User


class Partnership(models.Model):
    """A Community Safety Partnership (and the YOS board that reports to it)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    local_authority = models.ForeignKey(
        "core.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The local authority area the partnership covers.",
    )
    crime_source = models.CharField(
        max_length=20,
        blank=True,
        default="",
        choices=[
            ("", "Automatic: the Met's recorded crime for a London borough, police.uk elsewhere"),
            ("mps", "Met recorded crime"),
            ("police-uk", "police.uk street-level data"),
        ],
        help_text="The crime data the partnership's dashboards, ranks, observations, board "
        "pack and API use unless another source is asked for.",
    )
    forces = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "force"},
        help_text="The police force area(s) that police the partnership's area.",
    )
    financial_year_start = models.PositiveSmallIntegerField(
        default=4,
        choices=[(m, m) for m in range(1, 13)],
        help_text="The month the financial year starts in (4 for April).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    AMBULANCE = "ambulance", "Ambulance service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active_on(self, day: date) -> OrganisationQuerySet:
        """Organisations that were partners on ``day``."""
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )

    def private_to(self, user: User) -> OrganisationQuerySet:
        """Organisations whose private records ``user`` may see: their own (admins: all)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.all()
        return self.filter(pk__in=user.organisation_ids())


class Organisation(models.Model):
    """A partner organisation; membership of the partnership is date-bounded."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    type = models.CharField(max_length=20, choices=OrganisationType.choices)
    parent = optional_self_link(
        "children", "The organisation this one is part of (a council department's council)."
    )
    is_responsible_authority = models.BooleanField(
        default=False,
        help_text="A statutory responsible authority under the Crime and Disorder Act.",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="organisation_slug_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="organisation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
