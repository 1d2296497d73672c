"""Multi-agency panels, their named members, and the cases they hold.

The person's identity (name, date of birth, address) lives in :class:`CaseIdentity`,
apart from the case detail, and is shown only to current panel members. Everywhere
else a case is named by its pseudonymous :attr:`Case.reference`, a keyed hash of a
random internal id (never of the name), so ``str(case)`` and every audit event carry
no identity. Status history is append-only. All reads go through
:func:`saferboard.panels.access.cases_visible_to`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from saferboard.core.models import RagRated
from saferboard.core.models.rag import AppendOnlyModel


class PanelType(models.TextChoices):
    EXPLOITATION = "exploitation", "Exploitation and gangs"
    IOM = "iom", "Integrated offender management"
    ASB_RISK = "asb_risk", "ASB risk (MARASB)"
    MARAC = "marac", "MARAC (high-risk domestic abuse)"


class Flag(models.TextChoices):
    """Every flag a panel can use; each panel type switches on its own set."""

    GANG = "gang", "Gang association"
    CSE = "cse", "Child sexual exploitation risk"
    CCE = "cce", "Child criminal exploitation / county lines"
    MISSING = "missing", "Missing episodes"
    KNIFE = "knife", "Knife carrying"
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"
    SUBSTANCE = "substance", "Substance misuse"
    MENTAL_HEALTH = "mental_health", "Mental health needs"
    HOUSING = "housing", "Housing-related ASB"
    REPEAT = "repeat", "Repeat referral"


# The flags a new panel of each type starts with (each panel may change its own list).
DEFAULT_FLAGS: dict[str, list[str]] = {
    PanelType.EXPLOITATION: [
        Flag.GANG,
        Flag.CSE,
        Flag.CCE,
        Flag.MISSING,
        Flag.KNIFE,
        Flag.VICTIM,
        Flag.PERPETRATOR,
    ],
    PanelType.IOM: [Flag.GANG, Flag.KNIFE, Flag.SUBSTANCE, Flag.MENTAL_HEALTH, Flag.PERPETRATOR],
    PanelType.ASB_RISK: [
        Flag.VICTIM,
        Flag.PERPETRATOR,
        Flag.HOUSING,
        Flag.SUBSTANCE,
        Flag.MENTAL_HEALTH,
    ],
    PanelType.MARAC: [Flag.VICTIM, Flag.PERPETRATOR, Flag.REPEAT, Flag.MENTAL_HEALTH],
}

# Panel types whose cases can carry an ASB escalation ladder.
ESCALATION_TYPES = {PanelType.ASB_RISK, PanelType.IOM}


class Panel(models.Model):
    """An operational multi-agency panel and the lawful basis on which it shares data."""

    partnership = models.ForeignKey(
        "core.Partnership", on_delete=models.PROTECT, related_name="panels"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(max_length=20, choices=PanelType.choices)
    schedule = models.CharField(
        max_length=200, blank=True, help_text="When it meets, e.g. 'Monthly, second Tuesday'."
    )
    legal_basis = models.TextField(
        help_text="The lawful basis (UK GDPR Art. 6 and Art. 9/10 conditions) and statutes."
    )
    isa_reference = models.CharField(
        "information-sharing agreement reference", max_length=120, blank=True
    )
    retention_months = models.PositiveIntegerField(
        default=24, help_text="Months a closed case is kept before it is deleted."
    )
    flags = models.JSONField(default=list, blank=True, help_text="Flag codes this panel uses.")
    population_key = models.CharField(
        max_length=60,
        blank=True,
        help_text="Which population the list's make-up is compared with (see population.json).",
    )
    member_organisations = models.ManyToManyField(
        "core.Organisation", related_name="panels", blank=True
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def flag_choices(self) -> list[tuple[str, str]]:
        return [(code, Flag(code).label) for code in self.flags if code in Flag.values]

    @property
    def has_escalation(self) -> bool:
        return self.type in ESCALATION_TYPES


class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    COORDINATOR = "coordinator", "Coordinator"
    MEMBER = "member", "Member"


class PanelMembershipQuerySet(models.QuerySet["PanelMembership"]):
    def current(self, now: datetime | None = None) -> PanelMembershipQuerySet:
        """Memberships in force at ``now``: started, not ended, org still on the panel."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return (
            self.filter(start_date__lte=today)
            .filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=now))
            .filter(organisation__panels=models.F("panel"))
            .filter(approved_at__isnull=False)
        )

    def awaiting_approval(self) -> PanelMembershipQuerySet:
        """Seats someone asked for themselves, not yet approved by someone else."""
        return self.filter(approved_at__isnull=True, ended_at__isnull=True)


class PanelMembership(models.Model):
    """A named person's seat on a panel, for the organisation they represent.

    Removal sets ``ended_at`` to the moment of removal, so access ends at once (not at
    the end of the day). Rows are kept as the record of who could see what, when.

    Nobody grants themselves access: a seat added by its own holder (an administrator
    seating themselves) has no ``approved_at`` and gives no access until another
    administrator or the panel's chair or coordinator approves it
    (:func:`saferboard.panels.services.approve_member`). Seats added for someone else
    are approved by the adding.
    """

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="panel_memberships"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="panel_memberships"
    )
    role = models.CharField(max_length=20, choices=PanelRole.choices, default=PanelRole.MEMBER)
    start_date = models.DateField()
    ended_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PanelMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "person__full_name"]

    def __str__(self) -> str:
        return f"{self.person} on {self.panel} ({self.get_role_display()})"

    def is_current(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.approved_at is not None
            and self.start_date <= timezone.localdate(now)
            and (self.ended_at is None or self.ended_at > now)
        )


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    OPEN = "open", "Open"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Ethnicity(models.TextChoices):
    """The groups of the population split in population.json, plus the two answers that
    record no group: "Not known" (nobody has asked, or the referrer does not know) and
    "Prefer not to say" (the person was asked and declined; stored as ``not_stated``).
    Neither counts towards the make-up shares."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE_BRITISH = "white_british", "White British"
    WHITE_OTHER = "white_other", "White other"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"
    NOT_STATED = "not_stated", "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"
    NOT_STATED = "not_stated", "Prefer not to say"


class CaseQuerySet(models.QuerySet["Case"]):
    def on_list(self) -> CaseQuerySet:
        """Cases still on the panel's list (referred or open)."""
        return self.filter(status__in=[CaseStatus.REFERRED, CaseStatus.OPEN])


class Case(RagRated):
    """One person on one panel's list. No identity here: see :class:`CaseIdentity`.

    The RAG fields hold the risk rating (set only through ``record_rag``, whose reason
    is generated from the structured assessment so the append-only history never
    holds free text about the person).
    """

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="cases")
    internal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    referral_source = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referral_date = models.DateField()
    referral_reason = models.TextField()
    lead_agency = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    flags = models.JSONField(default=list, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default="referred")
    status_changed_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    youth_justice_ref = models.CharField(
        "youth justice pseudonymous id",
        max_length=64,
        blank=True,
        help_text="The pseudonymous id of the matching youth justice record, if any.",
    )
    ethnicity = models.CharField(
        max_length=20, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_KNOWN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "-referral_date", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="panels_closed_case_has_date",
            )
        ]

    def __str__(self) -> str:
        # Audit events copy str(obj): it must never carry identity.
        return self.reference

    def flag_labels(self) -> list[str]:
        return [Flag(code).label for code in self.flags if code in Flag.values]


class CaseIdentity(models.Model):
    """Who the case is about: shown only to current members of the case's panel."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    address = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Identity for {self.case.reference}"

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class CaseStatusChange(AppendOnlyModel):
    """Append-only status history (deleted only with its case, under retention)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    reason = models.TextField()
    effective_on = models.DateField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.status} on {self.effective_on}"


class RiskAssessment(models.Model):
    """A structured risk assessment: likelihood × impact, with the assessor's rationale."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    rationale = models.TextField()
    assessed_by_agency = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=4, impact__gte=1)
                & models.Q(impact__lte=4),
                name="panels_assessment_scores_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.level} on {self.assessed_on}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Review(models.Model):
    """A case's discussion at one panel meeting."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    meeting_date = models.DateField()
    summary = models.TextField(blank=True)
    risk_before = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_after = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} reviewed {self.meeting_date}"

    @property
    def risk_change(self) -> str:
        order = list(RiskLevel.values)
        if not self.risk_before or not self.risk_after or self.risk_before == self.risk_after:
            return "No change"
        up = order.index(self.risk_after) > order.index(self.risk_before)
        return "Increased" if up else "Reduced"


class Contribution(models.Model):
    """What one agency shared about the case at a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT)
    shared = models.TextField()

    class Meta:
        ordering = ["organisation__name", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} at {self.review}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PanelAction(models.Model):
    """An action agreed for a case, with an owning agency, a named owner and a due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]

    def __str__(self) -> str:
        return f"Action for {self.case.reference} due {self.due_date}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due_date < today


class EscalationKind(models.TextChoices):
    ABC = "abc", "Acceptable behaviour contract"
    CPW = "cpw", "Community protection warning"
    CPN = "cpn", "Community protection notice"
    INJUNCTION = "injunction", "Injunction"
    OTHER = "other", "Other"


class EscalationStep(models.Model):
    """One rung of the ASB escalation ladder for a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(max_length=20, choices=EscalationKind.choices)
    other_detail = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case.reference} on {self.issued_on}"

    @property
    def label(self) -> str:
        if self.kind == EscalationKind.OTHER and self.other_detail:
            return self.other_detail
        return self.get_kind_display()


class Breach(models.Model):
    """A breach of an escalation step (e.g. of an ABC or a CPN)."""

    step = models.ForeignKey(EscalationStep, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return f"Breach of {self.step} on {self.occurred_on}"
