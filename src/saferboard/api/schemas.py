"""The shapes the API reads and writes (pydantic schemas, published in OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from ninja import Field, Schema

T = TypeVar("T")


class ErrorDetail(Schema):
    code: str = Field(description="A stable, machine-readable error code.")
    message: str = Field(description="What went wrong, in words a person can act on.")
    details: dict | list = Field(default_factory=dict, description="Specifics, if any.")


class ErrorOut(Schema):
    error: ErrorDetail


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="Items matching, across all pages.")
    page: int
    page_size: int
    pages: int


class TokenOut(Schema):
    id: int
    name: str
    user: str
    organisation: str
    scope: Literal["read", "write"]
    capabilities: list[str]
    created_at: datetime
    last_used_at: datetime | None


class MeasureOut(Schema):
    source_kind: str
    slug: str
    label: str
    description: str
    unit: str
    direction: str
    rag_rule: str | None = Field(description="The rule's current version, 'slug@version'.")


class ObservationRagOut(Schema):
    status: str = Field(description="red, amber, green or blue.")
    second_status: str | None = Field(description="The second status of a split rating.")
    label: str = Field(description="'Amber', or 'Amber/Green' for a split rating.")
    reason: str
    rule: str | None = Field(
        description="The rule version that set the rating, 'slug@version' (kept after the "
        "rule changes, until the figure is re-rated)."
    )
    set_at: datetime | None


class ObservationOut(Schema):
    measure: str = Field(description="'source_kind/slug'.")
    area_code: str
    area_name: str
    period_start: date
    period_end: date
    value: float | None
    numerator: float | None
    denominator: float | None
    comparators: dict
    rank: int | None
    peer_group: str
    peer_group_size: int | None
    provisional: bool
    data_as_at: date | None
    source_id: int | None = Field(description="The DataImport the value came from.")
    source_label: str | None
    code_version: str = Field("", description="The code that computed it ('0.1.0+g…').")
    definition_version: str = Field(
        "", description="Which definition of the measure computed it (a digest)."
    )
    rag: ObservationRagOut | None = Field(
        description="The rating stored with the figure when it was stored or last re-rated; "
        "null when not rated. The API never applies a rule itself."
    )


class ObservationIn(Schema):
    period: str | None = Field(
        None, description="A period key ('2025-01', 'FY2024-25 Q3'); or give start and end."
    )
    period_start: date | None = None
    period_end: date | None = None
    value: float | None = Field(description="Null when the figure cannot be given.")
    numerator: float | None = None
    denominator: float | None = None
    provisional: bool = False


class ObservationBatchIn(Schema):
    area_code: str = Field(max_length=20, description="The ONS code of the area.")
    label: str = Field("", max_length=150, description="What this batch is, for provenance.")
    data_as_at: date | None = Field(None, description="The extract's own date.")
    observations: list[ObservationIn] = Field(min_length=1, max_length=1000)


class ImportOut(Schema):
    data_import_id: int
    label: str
    rows: int
    sha256: str
    period_start: date | None
    period_end: date | None


class RagOut(Schema):
    subject: str
    id: int
    title: str
    status: str | None
    second_status: str | None
    reason: str
    set_at: datetime | None


class RagEntryOut(Schema):
    status: str
    second_status: str | None
    reason: str
    set_by: str | None
    rule: str | None
    set_at: datetime


class CommitmentOut(Schema):
    id: int
    number: int
    title: str
    sub_commitments: list
    contributors: list[str]
    rag_status: str | None
    rag_second_status: str | None
    rag_reason: str


class PriorityOut(Schema):
    id: int
    number: int
    title: str
    aim: str
    substantive_quarter: int | None
    lead_organisations: list[str]
    sub_priorities: list[str]
    rag_status: str | None
    rag_second_status: str | None
    rag_reason: str
    commitments: list[CommitmentOut]


class StrategySummaryOut(Schema):
    id: int
    title: str
    start_date: date
    end_date: date


class StrategyOut(StrategySummaryOut):
    priorities: list[PriorityOut]


class TemplateItemOut(Schema):
    measure: str
    label: str
    required: bool
    integer: bool
    allow_negative: bool
    change_threshold_pct: float | None


class TemplateOut(Schema):
    slug: str
    name: str
    organisation: str
    frequency: str
    area_code: str
    due_days: int
    measures: list[TemplateItemOut]


class ReturnValueIn(Schema):
    measure: str = Field(max_length=80, description="The measure's slug.")
    value: float | None = None
    comment: str = Field("", max_length=2000)


class ReturnIn(Schema):
    period: str = Field(max_length=30, description="'2025-01' or 'FY2024-25 Q3'.")
    values: list[ReturnValueIn] = Field(max_length=200)
    reason: str = Field("", max_length=2000, description="Needed to correct an accepted return.")


class SubmissionOut(Schema):
    template: str
    period: str
    period_start: date
    period_end: date
    version: int
    submitted_at: datetime
    data_import_id: int
    values: dict[str, float | None]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class MeasureQuery(PageQuery):
    source: str | None = Field(None, max_length=20, description="Only this source kind.")


class ObservationQuery(PageQuery):
    measure: str | None = Field(None, max_length=80, description="A measure's slug.")
    source: str | None = Field(None, max_length=20, description="The measure's source kind.")
    area: str | None = Field(None, max_length=20, description="An area's ONS code.")
    period: str | None = Field(
        None, max_length=30, description="Only observations within this period ('2025-01')."
    )
    since: str | None = Field(
        None,
        max_length=30,
        description="Periods ending on or after this day ('2024-11-01') or the start of "
        "this period ('2024-11', 'FY2024-25').",
    )
    until: str | None = Field(
        None,
        max_length=30,
        description="Periods ending on or before this day ('2024-11-30') or the end of "
        "this period ('2024-11', 'FY2024-25').",
    )


class RagQuery(PageQuery):
    subject: Literal["priority", "commitment", "observation"] = "priority"


class CrimeSeriesQuery(PageQuery):
    measure: str = Field(max_length=80, description="A crime measure's slug.")
    source: Literal["police-uk", "mps"] | None = Field(
        None, description="Default: the partnership's preferred crime source."
    )
    area: str | None = Field(
        None,
        max_length=20,
        pattern=r"^[A-Za-z0-9-]+$",
        description="A local authority's ONS code; default: every area with data (paged).",
    )
    since: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="First month (YYYY-MM)."
    )
    until: str | None = Field(
        None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Last month (YYYY-MM)."
    )


class CrimeMonthOut(Schema):
    month: str
    count: int | None = Field(
        description="The month's count; None where the month is not complete, and for a "
        "ratio measure (see value)."
    )
    value: float | None = Field(
        None,
        description="The measure's value in its unit: the count, or a ratio measure's "
        "percentage (numerator over denominator). None where the month is not complete.",
    )


class CrimeSeriesOut(Schema):
    area: str
    area_name: str
    source: str
    measure: str
    unit: str = Field("count", description="count, or percent for a ratio measure.")
    since: str
    until: str
    months: list[CrimeMonthOut]
    missing: list[str] = Field(description="Months without complete data (not zero).")


class CrimeImportQueuedOut(Schema):
    job_id: str = Field(description="The import job's id.")
    url: str = Field(description="Where to read the job: GET it until it is done or failed.")
    status: Literal["queued", "running", "done", "failed"]


class CrimeImportResultOut(Schema):
    data_import_id: int
    label: str
    rows: int
    months: list[str]


class CrimeImportProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str


class CrimeImportJobOut(Schema):
    job_id: str
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="queued, running (see stage and percent), done (see result and "
        "summary) or failed (see error and problems)."
    )
    format: str
    files: list[str] = Field(description="The file names as uploaded.")
    created_at: datetime
    finished_at: datetime | None
    stage: str = Field(description="What the import is doing now.")
    done: int
    total: int
    percent: int = Field(description="Progress, 0 to 100.")
    summary: str = Field(description="When done: what was imported, with any notes.")
    result: CrimeImportResultOut | None = Field(description="When done: the import made.")
    error: str = Field(description="When failed: why, in words a person can act on.")
    problems: list[CrimeImportProblemOut] = Field(
        description="When failed on a problem in a file: where (file, row, column, value)."
    )
