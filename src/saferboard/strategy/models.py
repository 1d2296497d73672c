"""The partnership strategy: priorities, what they tackle, and numbered commitments."""

from __future__ import annotations

from django.db import models

from saferboard.core.models import RagRated


class Strategy(models.Model):
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="strategy_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Priority(RagRated):
    """A strategic priority; each is the substantive board item in one quarter."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    aim = models.TextField(blank=True)
    lead_organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="led_priorities"
    )
    substantive_quarter = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        help_text="The financial quarter in which this priority is the substantive board item.",
    )

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="priority_number_unique")
        ]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class SubPriority(models.Model):
    """'What we will tackle' under a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="sub_priorities")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "order", "title"]
        verbose_name_plural = "sub-priorities"

    def __str__(self) -> str:
        return self.title


class Commitment(RagRated):
    """'How we will do it': a numbered commitment with its contributing partners."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    sub_commitments = models.JSONField(
        default=list, blank=True, help_text="The commitment's sub-commitments, in order."
    )
    contributors = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="commitments"
    )

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="commitment_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
