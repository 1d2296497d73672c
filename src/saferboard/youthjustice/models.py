"""Youth justice services, their pseudonymous case records, populations and benchmarks.

Case records are personal data about children. A child is stored only under a keyed
hash of the case management system's id (see :mod:`saferboard.youthjustice.pseudonym`);
names and raw ids are never stored, and no page shows a record: pages show aggregates.
"""

from __future__ import annotations

from django.db import models

from saferboard.core.models import ImportJobBase
from saferboard.core.models import ImportJobStatus as ImportJobStatus  # re-exported for the app
from saferboard.youthjustice.definitions import ETHNICITIES, OUTCOME_LABELS, SEXES


class Service(models.Model):
    """A youth justice service (YOS/YJS), with case records, published figures or both."""

    name = models.CharField(max_length=120, unique=True)
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="youth_justice_services"
    )
    data_to = models.DateField(
        null=True, blank=True, help_text="The latest date in the service's case records."
    )
    last_import = models.ForeignKey(
        "measures.DataImport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    synthetic = models.BooleanField(
        default=False, help_text="The case records are synthetic demonstration data."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    """A child known to a service, under a pseudonym; the raw id is never stored."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="children")
    pseudonym = models.CharField(max_length=64, unique=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=[(s, s) for s in SEXES])
    ethnicity = models.CharField(max_length=10, choices=[(e, e) for e in ETHNICITIES])
    looked_after = models.BooleanField()

    class Meta:
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["service"])]

    def __str__(self) -> str:
        return f"Child {self.pseudonym[:8]}…"


class Outcome(models.Model):
    """An outcome (disposal) for a child: out-of-court or a court sentence."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="outcomes")
    outcome_date = models.DateField()
    outcome_type = models.CharField(max_length=40, choices=list(OUTCOME_LABELS.items()))
    release_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(release_date__isnull=True)
                | models.Q(release_date__gte=models.F("outcome_date")),
                name="yj_release_after_sentence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome_type} on {self.outcome_date}"


class Offence(models.Model):
    """An offence by a child, proven by an outcome or (outcome null) not yet proven."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="offences")
    offence_date = models.DateField()
    offence_type = models.CharField(max_length=100)
    is_breach = models.BooleanField(default=False)
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="offences"
    )
    gravity_score = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The YJB gravity score, 1 to 8 (blank: not known)."
    )

    def __str__(self) -> str:
        return f"{self.offence_type} on {self.offence_date}"


class Intervention(models.Model):
    """A piece of work with a child (prevention, an out-of-court disposal or an order),
    with the child's circumstances at its end: what the 2023 KPIs are computed from.

    Each status is stored as recorded; blank means not known (never "no"). The
    vocabularies are in :mod:`saferboard.youthjustice.kpis2023`.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="interventions")
    intervention_type = models.CharField(max_length=40)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Blank: not ended.")
    end_reason = models.CharField(max_length=20, blank=True)
    accommodation = models.CharField(max_length=20, blank=True)
    ete = models.CharField(max_length=20, blank=True)
    send_need = models.BooleanField(null=True, blank=True)
    send_plan = models.BooleanField(null=True, blank=True)
    mental_health = models.CharField(max_length=30, blank=True)
    substance_misuse = models.CharField(max_length=30, blank=True)
    wider_services = models.CharField(max_length=30, blank=True)

    class Meta:
        indexes = [models.Index(fields=["end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="yj_intervention_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type} from {self.start_date}"


class Victim(models.Model):
    """A victim of a child's offence and what the service offered them (KPI 10).

    Nothing identifies the victim: no name, no id, only the dates and yes/no answers
    (``None``: not known).
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="victims")
    offence = models.ForeignKey(
        Offence, on_delete=models.CASCADE, null=True, blank=True, related_name="victims"
    )
    contact_date = models.DateField(
        help_text="When the service first contacted (or tried to contact) the victim."
    )
    consented_to_contact = models.BooleanField(null=True, blank=True)
    views_sought = models.BooleanField(null=True, blank=True)
    rj_offered = models.BooleanField(null=True, blank=True)
    rj_participated = models.BooleanField(null=True, blank=True)
    progress_info_requested = models.BooleanField(null=True, blank=True)
    progress_info_given = models.BooleanField(null=True, blank=True)
    support_info_given = models.BooleanField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Victim contacted {self.contact_date}"


class Remand(models.Model):
    """A remand episode of a child: custodial (to youth detention accommodation) or in
    the community, with what the case ended in ("" not known). Vocabularies in
    :mod:`saferboard.youthjustice.remands`."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="remands")
    remand_type = models.CharField(max_length=40)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Blank: still on remand.")
    outcome = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="yj_remand_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.remand_type} from {self.start_date}"


class RoshAssessment(models.Model):
    """A risk of serious harm assessment (AssetPlus) of a child: its date and level
    (low, medium, high, very_high; "" not known)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="rosh_assessments")
    assessment_date = models.DateField()
    level = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"ROSH {self.level or 'not known'} on {self.assessment_date}"


class Population(models.Model):
    """Mid-year population estimate of one age for a service's area."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveIntegerField()
    age = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "year", "age"], name="yj_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.year} aged {self.age}: {self.count}"


class PopulationEthnicity(models.Model):
    """The 10-17 population of one ethnic group for a service's area."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="population_ethnicity"
    )
    year = models.PositiveIntegerField()
    ethnicity = models.CharField(max_length=10, choices=[(e, e) for e in ETHNICITIES])
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "ethnicity"], name="yj_population_ethnicity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.year} {self.ethnicity}: {self.count}"


class PeerGroup(models.Model):
    """A comparator group: London, statistical neighbours, surrounding areas, E&W."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(Service, related_name="peer_groups", blank=True)
    aggregate = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The 'service' whose published figures are the group's own (e.g. London).",
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class BenchmarkFigure(models.Model):
    """A published figure for a service (or a whole group, e.g. England) and period."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="benchmarks")
    period_from = models.DateField()
    period_to = models.DateField()
    measure = models.CharField(max_length=60)
    value = models.FloatField()
    source = models.ForeignKey(
        "measures.DataImport", on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["measure", "period_to", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period_from", "period_to", "measure"],
                name="yj_benchmark_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.measure} {self.period_from}–{self.period_to}: {self.value}"


class ColumnMapping(models.Model):
    """How one service's case management system names the columns of one export file.

    Saved from the column-mapping step (:mod:`saferboard.youthjustice.mapping`) and found
    again by the file's exact header row, so the next export with the same headers loads
    without asking.
    """

    service_name = models.CharField(max_length=120, blank=True)
    file = models.CharField(max_length=60)
    header_signature = models.CharField(max_length=64, help_text="sha256 of the header row.")
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Expected column → the file's header.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["service_name", "file"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_name", "file", "header_signature"], name="yj_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_name or 'any service'}: {self.file}"


class ImportJob(ImportJobBase):
    """One web upload of case records, imported by a background worker as a task
    (``saferboard.youthjustice.jobs.import_job``; docs/adr/0007-task-queue.md).

    Succeeds in the same transaction as its import stores the records, so a job is
    never left "importing" over records that were stored, nor "imported" over none.
    A rejected upload keeps its located problems (file, row, column, value).
    """

    problems = models.JSONField(default=list, blank=True, help_text="Located problems, as text.")
    more = models.PositiveIntegerField(default=0, help_text="Problems beyond those listed.")

    label = "Youth justice import"

    @property
    def percent(self) -> int:
        """How far the job has got: the import is one step, so 0, 50 while it runs, 100."""
        return {ImportJobStatus.SUCCEEDED: 100, ImportJobStatus.RUNNING: 50}.get(
            ImportJobStatus(self.status), 0
        )
