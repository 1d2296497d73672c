"""Accepting partner returns: validation, versions, observations and provenance.

Every route in (web form, spreadsheet upload, API) ends in :func:`submit_return`, so a
return is checked the same way and leaves the same trail: a Submission version, its
values, a measures DataImport naming who, when and which file, the observations, and
an audit event. It all happens in one transaction: a return is accepted whole or not
at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Max
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.code_version import code_version
from saferboard.core.importing.pipeline import ImportRefused, run_import
from saferboard.core.importing.problems import LocatedProblem
from saferboard.core.models import AuditAction, User
from saferboard.core.periods import Period
from saferboard.measures.models import DataImport, Observation, SourceKind
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.returns.models import (
    Channel,
    ReturnTemplate,
    Submission,
    SubmittedValue,
    TemplateMeasure,
)
from saferboard.returns.validation import (
    CleanEntry,
    MeasureRule,
    RawEntry,
    ValueProblem,
    validate_return,
)

if TYPE_CHECKING:
    from saferboard.returns.xlsx import DatasheetRow


class ReturnRejected(Exception):
    """A return that failed its checks; nothing was stored."""

    def __init__(self, problems: list[ValueProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Upload:
    """The file a return came in, for provenance: its name and bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class ReturnRequest:
    """Everything needed to submit one period's return."""

    template: ReturnTemplate
    period: Period
    entries: Mapping[str, RawEntry]
    user: User | None
    channel: str
    reason: str = ""
    upload: Upload | None = None
    actor_label: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def template_items(template: ReturnTemplate) -> list[TemplateMeasure]:
    return list(template.items.select_related("measure").order_by("position", "pk"))


def rules_for(items: list[TemplateMeasure]) -> list[MeasureRule]:
    return [
        MeasureRule(
            slug=item.measure.slug,
            label=item.measure.label,
            required=item.required,
            integer=item.integer,
            allow_negative=item.allow_negative,
            change_threshold_pct=item.change_threshold_pct,
            minimum=item.minimum,
            maximum=item.maximum,
        )
        for item in items
    ]


def current_submission(template: ReturnTemplate, period: Period) -> Submission | None:
    """The latest accepted version of the period's return, if there is one."""
    return (
        Submission.objects.filter(template=template, period_start=period.start)
        .order_by("-version")
        .first()
    )


def submission_values(submission: Submission | None) -> dict[str, SubmittedValue]:
    if submission is None:
        return {}
    return {v.measure.slug: v for v in submission.values.select_related("measure")}


def previous_values(template: ReturnTemplate, period: Period) -> dict[str, float | None]:
    """Last period's accepted values, by measure slug (for the change prompt)."""
    previous = current_submission(template, period.previous())
    return {slug: v.value for slug, v in submission_values(previous).items()}


def check_return(
    template: ReturnTemplate, period: Period, entries: Mapping[str, RawEntry]
) -> list[ValueProblem]:
    """The problems with a return, without storing anything."""
    _, problems = validate_return(
        rules_for(template_items(template)), entries, previous_values(template, period)
    )
    return problems


def submit_return(request: ReturnRequest) -> Submission:
    """Check and accept a return (or a correction of an accepted one); store observations.

    A period that already has an accepted return takes a correction: a new version,
    which needs a reason. Raises :class:`ReturnRejected` with every problem found.
    Runs through the one import pipeline (``core.importing.run_import``): checked, then
    the submission, its values, observations, provenance and audit event in one
    transaction.
    """
    steps = ReturnImport(request)
    try:
        return run_import(steps)
    except ImportRefused:
        raise ReturnRejected(steps.problems) from None


@dataclass(frozen=True)
class StagedReturn:
    """What accepting a return will write, computed before anything is."""

    items: list[TemplateMeasure]
    clean: Mapping[str, CleanEntry]
    reason: str
    files: list[dict[str, Any]]


class ReturnImport:
    """A return's steps for :func:`~saferboard.core.importing.pipeline.run_import`.

    ``problems`` keeps the check's problems as the returns app words them (each with
    its measure and field, which the pages and the spreadsheet locate); ``check``
    hands the pipeline the same problems located by the return's file and measure."""

    def __init__(self, request: ReturnRequest) -> None:
        self.request = request
        self.problems: list[ValueProblem] = []
        self.clean: Mapping[str, CleanEntry] = {}
        self.items: list[TemplateMeasure] = []

    def check(self) -> list[LocatedProblem]:
        self.problems = self._problems()
        source = self.request.upload.name if self.request.upload else "return"
        return [
            LocatedProblem(source, p.message, column=p.slug or p.field, value=p.value)
            for p in self.problems
        ]

    def _problems(self) -> list[ValueProblem]:
        template, period = self.request.template, self.request.period
        if period.start < template.period_for(template.first_period_start).start:
            return [ValueProblem("", "period", f"{template.name} starts after {period.label}")]
        if period.start > template.period_for(timezone.localdate()).start:
            return [ValueProblem("", "period", f"{period.label} has not started yet")]
        self.items = template_items(template)
        self.clean, problems = validate_return(
            rules_for(self.items), self.request.entries, previous_values(template, period)
        )
        if _latest_version(template, period) and not self.request.reason.strip():
            problems.append(_reason_needed(period))
        return problems

    def stage(self) -> StagedReturn:
        upload = self.request.upload
        files = []
        if upload is not None:
            files.append(
                {
                    "name": upload.name[:255],
                    "sha256": upload.sha256,
                    "bytes": len(upload.content),
                    "rows": len(self.items),
                }
            )
        return StagedReturn(self.items, self.clean, self.request.reason.strip(), files)

    def commit(self, staged: StagedReturn) -> Submission:
        request = self.request
        template, period = request.template, request.period
        # Lock the template row so two corrections of one period cannot take one number.
        ReturnTemplate.objects.select_for_update().filter(pk=template.pk).first()
        latest = _latest_version(template, period)
        if latest and not staged.reason:  # a first version accepted since the check
            raise ReturnRejected([_reason_needed(period)])
        version = latest + 1
        data_import = DataImport.objects.create(
            source_kind=SourceKind.PARTNER_RETURN,
            format=f"return-{request.channel}",
            label=f"{template.name} {period.label} (version {version})"[:200],
            files=staged.files,
            rows=sum(1 for c in staged.clean.values() if c.value is not None),
            period_start=period.start,
            period_end=period.end,
            data_as_at=timezone.localdate(),
            imported_by=request.user if request.user is not None and request.user.pk else None,
            code_version=code_version(),
            detail={
                "template": template.slug,
                "organisation": template.organisation.slug,
                "version": version,
                "channel": request.channel,
                "reason": staged.reason,
                **request.detail,
            },
        )
        submission = Submission.objects.create(
            template=template,
            period_start=period.start,
            period_end=period.end,
            version=version,
            reason=staged.reason,
            channel=request.channel,
            submitted_by=data_import.imported_by,
            submitted_at=timezone.now(),
            data_import=data_import,
        )
        SubmittedValue.objects.bulk_create(
            [
                SubmittedValue(
                    submission=submission,
                    measure=item.measure,
                    value=staged.clean[item.measure.slug].value,
                    comment=staged.clean[item.measure.slug].comment,
                )
                for item in staged.items
            ]
        )
        for item in staged.items:
            _store_observation(item, template, period, data_import, staged.clean)
        return submission

    def provenance(self, result: Submission) -> None:
        """Nothing more: the submission's DataImport, made in ``commit``, names who,
        when and which file (the submission points to it, so it comes first)."""

    def audit(self, result: Submission) -> None:
        files = result.data_import.files if result.data_import else []
        audit.record(
            AuditAction.IMPORT,
            actor=result.submitted_by,
            obj=result,
            actor_label=self.request.actor_label,
            template=self.request.template.slug,
            period=self.request.period.key,
            version=result.version,
            channel=self.request.channel,
            sha256=files[0]["sha256"] if files else "",
        )

    def refresh(self, result: Submission) -> None:
        """Nothing: the observations were stored (and rated) with the submission."""


def _latest_version(template: ReturnTemplate, period: Period) -> int:
    latest = Submission.objects.filter(template=template, period_start=period.start).aggregate(
        Max("version")
    )["version__max"]
    return int(latest or 0)


def _reason_needed(period: Period) -> ValueProblem:
    return ValueProblem(
        "", "reason", f"Give the reason for correcting the accepted {period.label} return"
    )


def _store_observation(
    item: TemplateMeasure,
    template: ReturnTemplate,
    period: Period,
    data_import: DataImport,
    clean: Mapping[str, CleanEntry],
) -> None:
    value = clean[item.measure.slug].value
    if (
        value is None
        and not Observation.objects.filter(
            measure=item.measure,
            area=template.area,
            period_start=period.start,
            period_end=period.end,
        ).exists()
    ):
        return  # an optional figure never given: nothing to record
    store_observations(
        item.measure,
        [ObservationValue(template.area.code, period.start, period.end, value)],
        source=data_import,
        data_as_at=data_import.data_as_at,
    )


def submission_history(template: ReturnTemplate, period: Period) -> list[Submission]:
    """Every accepted version of a period's return, newest first, with values loaded."""
    return list(
        Submission.objects.filter(template=template, period_start=period.start)
        .select_related("submitted_by", "data_import")
        .prefetch_related("values__measure")
        .order_by("-version")
    )


def template_workbook(template: ReturnTemplate, period: Period) -> bytes:
    """The XLSX template for a period, with last period's values and any already given."""
    from saferboard.returns import xlsx

    previous = previous_values(template, period)
    given = submission_values(current_submission(template, period))
    rows = [
        xlsx.TemplateRow(
            slug=item.measure.slug,
            label=item.measure.label,
            required=item.required,
            previous=previous.get(item.measure.slug),
            value=given[item.measure.slug].value if item.measure.slug in given else None,
            comment=given[item.measure.slug].comment if item.measure.slug in given else "",
        )
        for item in template_items(template)
    ]
    return xlsx.build_template(
        template_ref=template.slug,
        template_name=template.name,
        organisation=template.organisation.name,
        period=period,
        rows=rows,
        guidance=template.guidance,
    )


def accept_upload(
    template: ReturnTemplate,
    content: bytes,
    *,
    file_name: str,
    user: User | None,
    reason: str = "",
    expected_period: Period | None = None,
) -> Submission:
    """Read an uploaded XLSX return and accept it whole, or raise ``UploadRejected``.

    Every problem (layout or value) is located by file, row, column and value.
    """
    from saferboard.returns import xlsx

    items = template_items(template)
    parsed = xlsx.read_upload(
        content,
        file_name=file_name,
        template_ref=template.slug,
        kind_of_period=template.period_kind,
        expected_slugs=[item.measure.slug for item in items],
    )
    if expected_period is not None and parsed.period != expected_period:
        raise xlsx.UploadRejected(
            [
                xlsx.upload_problem(
                    file_name,
                    f"This file is the return for {parsed.period.label}, "
                    f"not {expected_period.label}",
                    xlsx.PERIOD_ROW,
                    "B",
                    parsed.period.key,
                )
            ]
        )
    try:
        return submit_return(
            ReturnRequest(
                template=template,
                period=parsed.period,
                entries=parsed.entries,
                user=user,
                channel=Channel.XLSX,
                reason=reason,
                upload=Upload(file_name, content),
            )
        )
    except ReturnRejected as rejected:
        raise xlsx.UploadRejected(xlsx.locate(rejected.problems, parsed, file_name)) from None


def datasheet_rows(templates: list[ReturnTemplate]) -> list[DatasheetRow]:
    """Every current accepted value of ``templates``, for the combined datasheet."""
    from saferboard.returns.xlsx import DatasheetRow

    submissions = (
        Submission.objects.filter(template__in=templates)
        .current()
        .select_related("template__organisation", "submitted_by")
        .prefetch_related("values__measure")
        .order_by("template__organisation__name", "template__name", "period_start")
    )
    rows = []
    for s in submissions:
        by = s.submitted_by.get_username() if s.submitted_by else s.get_channel_display()
        for v in s.values.all():
            rows.append(
                DatasheetRow(
                    organisation=s.template.organisation.name,
                    template=s.template.name,
                    measure_slug=v.measure.slug,
                    measure=v.measure.label,
                    period=s.period,
                    value=v.value,
                    version=s.version,
                    submitted_by=by,
                    submitted_at=timezone.localtime(s.submitted_at),
                    comment=v.comment,
                )
            )
    return rows
