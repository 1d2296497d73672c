"""The partnership strategy and its quarterly reporting cycle.

Strategy → priorities → sub-priorities ("what we will tackle") and numbered commitments
("how we will do it"). Each quarter a coordinator opens a :class:`ReportingRound`; every
contributing organisation writes a :class:`PartnerUpdate` per commitment in scope,
proposing a RAG status. Accepting an update applies its RAG to the organisation's
:class:`Contribution` to that commitment (the per-partner rating in the report) through
:func:`saferboard.core.rag.record_rag`, so every change is history and audited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from saferboard.core.models import RagRated, RagStatus
from saferboard.core.models.fields import optional_self_link
from saferboard.core.models.rag import AppendOnlyModel
from saferboard.core.periods import Period
from saferboard.core.scoping import OrganisationScopedQuerySet
from saferboard.strategy.workflow import AWAITING_REVIEW, EDITABLE, RECEIVED, State

if TYPE_CHECKING:
    from saferboard.core.rag import RagAssessment


class ImprovementAcceptor(models.TextChoices):
    COORDINATOR = "coordinator", "The coordinator"
    BOARD = "board", "A board member"


class Strategy(models.Model):
    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    improvements_accepted_by = models.CharField(
        max_length=20,
        choices=ImprovementAcceptor.choices,
        default=ImprovementAcceptor.COORDINATOR,
        help_text="Who accepts a proposed RAG status that improves on the last accepted one.",
    )

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
    ambition = models.TextField(blank=True, help_text="The priority's ambition, in a sentence.")
    aim = models.TextField(blank=True)
    lead_organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="led_priorities"
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="No longer part of the strategy from this date."
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
    contributors = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="commitments"
    )
    parent = optional_self_link(
        "children", "For a sub-commitment: the commitment it belongs to (numbered under it)."
    )
    lead_organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_commitments",
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="No longer part of the strategy from this date."
    )

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "number"],
                condition=models.Q(parent__isnull=True),
                name="commitment_number_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "number"],
                condition=models.Q(parent__isnull=False),
                name="sub_commitment_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_number}. {self.title}"

    @property
    def display_number(self) -> str:
        """'3.1' for a commitment, '3.1.2' for a sub-commitment (priority first)."""
        if self.parent_id is None:
            return f"{self.priority.number}.{self.number}"
        parent = cast("Commitment", self.parent)  # parent_id is set
        return f"{parent.display_number}.{self.number}"

    @property
    def is_sub_commitment(self) -> bool:
        return self.parent_id is not None

    def current_children(self) -> models.QuerySet[Commitment]:
        """The sub-commitments not retired, in number order."""
        return self.children.filter(retired_on__isnull=True).order_by("number")


class SuccessIndicator(models.Model):
    """'How we will know we are on track': one line under a commitment.

    Linked to a measure, the report prints the measure's latest stored figure instead
    of a partner retyping it.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(max_length=300)
    measure = models.ForeignKey(
        "measures.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_indicators",
    )
    order = models.PositiveSmallIntegerField(default=0)
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["commitment", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Contribution(RagRated):
    """One organisation's part in one commitment, with its own RAG rating.

    The report shows a RAG per partner per commitment; this is the rated subject. Its
    ``rag_*`` fields are the last *accepted* rating (only accepting an update changes
    them), and its :class:`~saferboard.core.models.RagEntry` rows are the history.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="strategy_contributions"
    )
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="The organisation stopped contributing (its RAG history is kept).",
    )

    class Meta:
        ordering = ["commitment", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"], name="contribution_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on commitment {self.commitment.display_number}"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReportingRound(models.Model):
    """A financial quarter's call for partner updates against the strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="rounds")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in (2021 for 2021-22)."
    )
    quarter = models.PositiveSmallIntegerField(choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")])
    deadline = models.DateField()
    substantive_priorities = models.ManyToManyField(
        Priority, related_name="substantive_rounds", blank=True
    )
    is_end_of_year = models.BooleanField(
        default=False, help_text="Every partner updates on every commitment."
    )
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "financial_year", "quarter"], name="round_quarter_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1) & models.Q(quarter__lte=4),
                name="round_quarter_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} reporting round"

    @property
    def period(self) -> Period:
        return Period.financial_quarter(self.financial_year, self.quarter)

    @property
    def label(self) -> str:
        """'Q3 2021-22'."""
        return self.period.label

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def priorities_in_scope(self) -> models.QuerySet[Priority]:
        """The priorities partners report on: all at the end of the year, else the
        substantive ones."""
        if self.is_end_of_year:
            # A priority retired before the quarter began is no longer reported on.
            return self.strategy.priorities.filter(
                models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=self.period.start)
            )
        return self.substantive_priorities.all()

    def is_past_deadline(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.deadline


class UpdateState(models.TextChoices):
    NOT_STARTED = State.NOT_STARTED.value, State.NOT_STARTED.label
    DRAFT = State.DRAFT.value, State.DRAFT.label
    SUBMITTED = State.SUBMITTED.value, State.SUBMITTED.label
    RETURNED = State.RETURNED.value, State.RETURNED.label
    RESUBMITTED = State.RESUBMITTED.value, State.RESUBMITTED.label
    ACCEPTED = State.ACCEPTED.value, State.ACCEPTED.label


class PartnerUpdateQuerySet(OrganisationScopedQuerySet["PartnerUpdate"]):
    def outstanding(self) -> PartnerUpdateQuerySet:
        """Updates not yet submitted (not started, draft or returned)."""
        return self.filter(state__in=[s.value for s in EDITABLE])

    def awaiting_review(self) -> PartnerUpdateQuerySet:
        return self.filter(state__in=[s.value for s in AWAITING_REVIEW])


class PartnerUpdate(models.Model):
    """One organisation's quarterly update on one commitment, with a proposed RAG.

    ``narrative`` and ``case_study`` keep what the partner typed; the ``*_html`` fields
    hold the sanitised rendering, the only form ever shown. ``version`` goes up on every
    change: a save that started from an older version is refused, never applied.
    """

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="updates")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="strategy_updates"
    )
    state = models.CharField(
        max_length=20, choices=UpdateState.choices, default=UpdateState.NOT_STARTED
    )
    narrative = models.TextField(blank=True)
    narrative_html = models.TextField(blank=True)
    case_study = models.TextField(blank=True)
    case_study_html = models.TextField(blank=True)
    figures = models.JSONField(
        default=dict, blank=True, help_text="A small table: caption, columns and rows."
    )
    rag_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    rag_second_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    carried_forward = models.BooleanField(
        default=False, help_text="Still the text carried forward from the last accepted update."
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField(blank=True, help_text="The latest reviewer's comment.")
    rag_entry = models.ForeignKey(
        "core.RagEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The RAG history entry made when this update was accepted.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coordinator who entered this update on the organisation's behalf.",
    )
    evidence = GenericRelation("core.EvidenceFile")

    objects = PartnerUpdateQuerySet.as_manager()
    scope_field = "organisation"

    class Meta:
        ordering = ["round", "commitment__priority__number", "commitment__number", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "commitment", "organisation"], name="partner_update_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.commitment} ({self.round.label})"

    @property
    def proposed_rag(self) -> RagAssessment | None:
        """The proposal as an assessment, or ``None`` if no status is chosen yet."""
        from saferboard.core.rag import RagAssessment

        return RagAssessment.of(self.rag_status, self.rag_second_status, self.rag_reason)

    @property
    def is_received(self) -> bool:
        return State(self.state) in RECEIVED

    @property
    def is_editable(self) -> bool:
        return State(self.state) in EDITABLE

    def is_late(self, today: date | None = None) -> bool:
        """Not yet in after the deadline, or submitted after it."""
        if self.submitted_at is not None:
            return timezone.localtime(self.submitted_at).date() > self.round.deadline
        return self.round.is_past_deadline(today)


class UpdateEvent(AppendOnlyModel):
    """One step in an update's life (saved, submitted, returned, accepted…), kept for good."""

    update = models.ForeignKey(PartnerUpdate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=UpdateState.choices)
    to_state = models.CharField(max_length=20, choices=UpdateState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"


class LineRating(models.Model):
    """A partner's optional RAG on one sub-commitment, proposed within an update.

    Accepting the update records it on the organisation's :class:`Contribution` to the
    sub-commitment (RAG history, audited), so reports can rate individual lines.
    """

    update = models.ForeignKey(PartnerUpdate, on_delete=models.CASCADE, related_name="lines")
    sub_commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="line_ratings"
    )
    rag_status = models.CharField(max_length=10, choices=RagStatus.choices)
    rag_second_status = models.CharField(max_length=10, choices=RagStatus.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    rag_entry = models.ForeignKey(
        "core.RagEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["update", "sub_commitment__number"]
        constraints = [
            models.UniqueConstraint(fields=["update", "sub_commitment"], name="line_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sub_commitment.display_number}: {self.rag_status}"

    @property
    def proposed_rag(self) -> RagAssessment:
        from saferboard.core.rag import RagAssessment

        return RagAssessment(
            status=self.rag_status,
            second_status=self.rag_second_status or None,
            reason=self.rag_reason,
        )


class CorrectedField(models.TextChoices):
    NARRATIVE = "narrative", "Update"
    CASE_STUDY = "case_study", "Case study"


class UpdateCorrection(AppendOnlyModel):
    """A coordinator's correction of an accepted update's text, kept for good.

    The update holds the corrected text; each correction keeps the text it replaced,
    so the update's history shows every version and why it changed.
    """

    update = models.ForeignKey(PartnerUpdate, on_delete=models.PROTECT, related_name="corrections")
    field = models.CharField(max_length=20, choices=CorrectedField.choices)
    before_text = models.TextField(blank=True)
    before_html = models.TextField(blank=True)
    after_text = models.TextField(blank=True)
    after_html = models.TextField(blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} corrected on {self.at:%Y-%m-%d}"


class ReminderKind(models.TextChoices):
    OPENED = "opened", "Round opened"
    REMINDER = "reminder", "Reminder"


class Reminder(AppendOnlyModel):
    """An email sent to an organisation's partner leads about a round, as sent."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="strategy_reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipients = models.TextField(blank=True, help_text="Email addresses, comma-separated.")
    outstanding = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=20, help_text="web, command or demo")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.organisation} at {self.sent_at:%Y-%m-%d %H:%M}"
