"""Action plans and their actions: improvement plans and board action logs alike.

A board action log is an :class:`ActionPlan` of kind "board action log": an action
raised in a minute is an :class:`Action` in it, with the same RAG, updates and closing
as an inspection action. One action machinery for both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferboard.actions.timescale import Cadence
from saferboard.core.models import RagRated, User
from saferboard.core.models.rag import AppendOnlyModel


class PlanKind(models.TextChoices):
    INSPECTION = "inspection", "Inspection improvement plan"
    DHR = "dhr", "Domestic homicide review action plan"
    MARAC = "marac", "MARAC review plan"
    VIOLENCE = "violence", "Violence reduction plan"
    BOARD_LOG = "board_log", "Board action log"
    OTHER = "other", "Other"


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def visible_to(self, user: User) -> ActionPlanQuerySet:
        """Plans ``user`` may read (see :mod:`saferboard.actions.access`)."""
        from saferboard.actions.access import visible_plans

        return visible_plans(self, user)


class ActionPlan(models.Model):
    """A plan of actions with an owner organisation; restricted plans are theirs alone."""

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="action_plans"
    )
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title = models.CharField(max_length=250)
    owner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="action_plans",
        help_text="The organisation that owns the plan.",
    )
    description = models.TextField(blank=True)
    restricted = models.BooleanField(
        default=False,
        help_text="Only the owner organisation, action leads, coordinators and "
        "administrators may see it (for example a domestic homicide review plan).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_board_log(self) -> bool:
        return self.kind == PlanKind.BOARD_LOG


class Response(models.TextChoices):
    AGREED = "agreed", "Agreed"
    PARTLY = "partly", "Partly agreed"
    NOT_AGREED = "not_agreed", "Not agreed"


class Recommendation(models.Model):
    """A numbered recommendation or area of the plan, in the inspection's words."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    area = models.CharField(
        max_length=200, blank=True, help_text="The area it belongs to, e.g. 'Quality'."
    )
    wording = models.TextField()
    response = models.CharField(max_length=12, choices=Response.choices, blank=True)
    response_reason = models.TextField(blank=True)
    addressees = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who the inspectorate addressed it to, e.g. 'YOS Management Board; Police'.",
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="recommendation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Action(RagRated):
    """One action: lettered under its recommendation (1a, 1b…) or numbered in a log."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    reference = models.CharField(max_length=20, help_text="'1a', or 'A12' in a board log.")
    position = models.PositiveIntegerField(default=0)
    description = models.TextField()
    intended_outcome = models.TextField(blank=True)
    lead_people = models.ManyToManyField("core.Person", blank=True, related_name="led_actions")
    lead_organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="led_actions"
    )
    lead_text = models.TextField(
        blank=True, help_text="Leads as the plan wrote them (one per line)."
    )
    commence_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False)
    review_cadence = models.CharField(
        max_length=20, blank=True, choices=[(c.value, c.label) for c in Cadence]
    )
    review_date = models.DateField(
        null=True,
        blank=True,
        help_text="A dated review ('Review: June 2016'), not a cadence.",
    )
    timescale_text = models.TextField(blank=True, help_text="The timescale as originally written.")
    notes = models.TextField(blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="action_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | models.Q(status="closed", closed_at__isnull=False),
                name="action_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:80]}"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def cadence(self) -> Cadence | None:
        return Cadence(self.review_cadence) if self.review_cadence else None

    def leads_display(self) -> list[str]:
        """Named people and organisations, or the plan's own words for the leads."""
        names = [p.full_name for p in self.lead_people.all()]
        names += [o.name for o in self.lead_organisations.all()]
        return names or [line for line in self.lead_text.splitlines() if line.strip()]


class ProgressStep(models.Model):
    """One step on an action's checklist."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class UpdateKind(models.TextChoices):
    UPDATE = "update", "Progress update"
    STEP = "step", "Progress step"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    BLUE_PROPOSED = "blue_proposed", "Blue proposed"
    BLUE_ACCEPTED = "blue_accepted", "Blue accepted"
    BLUE_REJECTED = "blue_rejected", "Blue not accepted"


class ActionUpdate(AppendOnlyModel):
    """A dated entry in an action's history: an update, a step ticked, a closure."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    text = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.at:%Y-%m-%d}: {self.text[:60]}"


class PlanReview(AppendOnlyModel):
    """A recorded review of the plan (e.g. at a board), the point 'changes since' counts from."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} at {self.at:%Y-%m-%d}"


class ProposalState(models.TextChoices):
    PENDING = "pending", "Awaiting the board"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"


class BlueProposal(models.Model):
    """A lead's proposal that an action is complete (Blue), for the board to accept.

    Until it is accepted the action keeps its accepted rating (the roll-up counts that,
    and shows "Blue proposed" beside it); acceptance records Blue and closes the action;
    rejection returns it to the lead with a reason. At most one is pending per action.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="blue_proposals")
    reason = models.TextField(help_text="Why the lead says the action is complete.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=models.Q(state="pending"),
                name="one_pending_blue_proposal_per_action",
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending", decided_at__isnull=True)
                | models.Q(~models.Q(state="pending"), decided_at__isnull=False),
                name="blue_proposal_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Blue proposed for {self.action.reference} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == ProposalState.PENDING


class Inspectorate(models.TextChoices):
    HMI_PROBATION = "hmi_probation", "HM Inspectorate of Probation"
    OFSTED = "ofsted", "Ofsted"
    HMICFRS = "hmicfrs", "HM Inspectorate of Constabulary and Fire & Rescue Services"
    CQC = "cqc", "Care Quality Commission"
    JOINT = "joint", "Joint targeted area inspection"
    OTHER = "other", "Other"


class Judgement(models.TextChoices):
    """The four-point scale the inspectorates publish."""

    OUTSTANDING = "Outstanding", "Outstanding"
    GOOD = "Good", "Good"
    REQUIRES_IMPROVEMENT = "Requires improvement", "Requires improvement"
    INADEQUATE = "Inadequate", "Inadequate"


class Inspection(models.Model):
    """The inspection an improvement plan answers: who inspected, when, and the verdict."""

    plan = models.OneToOneField(ActionPlan, on_delete=models.CASCADE, related_name="inspection")
    inspectorate = models.CharField(max_length=20, choices=Inspectorate.choices)
    service_name = models.CharField(
        max_length=200, blank=True, help_text="The service inspected, as the report names it."
    )
    published_ref = models.CharField(
        max_length=60,
        blank=True,
        help_text="Its reference in published ratings (HMI Probation's, e.g. 'bromleyyjs'), "
        "so our row is left out of the comparators.",
    )
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    overall_judgement = models.CharField(max_length=30, choices=Judgement.choices, blank=True)
    report_url = models.URLField(blank=True)
    reinspection_date = models.DateField(null=True, blank=True)
    reinspection_outcome = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fieldwork_start__isnull=True)
                | models.Q(fieldwork_end__isnull=True)
                | models.Q(fieldwork_end__gte=models.F("fieldwork_start")),
                name="inspection_fieldwork_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_inspectorate_display()} inspection for {self.plan}"


class InspectionRating(models.Model):
    """The judgement on one theme or standard (e.g. '1.1 Governance and leadership')."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="ratings")
    standard = models.CharField(max_length=120)
    rating = models.CharField(max_length=30, choices=Judgement.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "standard"], name="inspection_rating_standard_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.rating}"


class PublishedInspection(models.Model):
    """Another service's published inspection (HMI Probation youth justice ratings),
    a comparator shown beside ours. ``ratings`` maps a standard's key to its judgement."""

    inspectorate = models.CharField(
        max_length=20, choices=Inspectorate.choices, default=Inspectorate.HMI_PROBATION
    )
    service_ref = models.CharField(max_length=60)
    service_name = models.CharField(max_length=200)
    published_on = models.DateField()
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # Blank where the published file gives no overall rating.
    overall_judgement = models.CharField(max_length=30, choices=Judgement.choices, blank=True)
    report_url = models.URLField(blank=True)
    ratings = models.JSONField(default=dict, blank=True)
    source_file = models.CharField(max_length=255)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["service_name", "-published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspectorate", "service_ref", "published_on"],
                name="published_inspection_unique",
            )
        ]

    def __str__(self) -> str:
        overall = self.overall_judgement or "no overall rating"
        return f"{self.service_name} ({self.published_on:%d %b %Y}): {overall}"
