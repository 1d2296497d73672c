"""The JSON API: every operation needs a token; errors share one shape.

Error bodies are always ``{"error": {"code", "message", "details"}}``. Lists are paged
(``page``, ``page_size``; the body says ``count`` and ``pages``). Each token is
rate-limited (``SABO_API_RATE``, default 600 requests a minute).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
import time
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import File, NinjaAPI, Query, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from saferboard.api import schemas as s
from saferboard.api.auditing import audit_token_write
from saferboard.api.models import ApiToken, RateCount
from saferboard.api.observation_submissions import (
    BatchInvalid,
    batch_values,
    check_area,
    store_batch,
)
from saferboard.api.tokens import (
    Capability,
    TokenRefused,
    authenticate,
    write_problem,
)
from saferboard.core.errors import FieldError
from saferboard.core.periods import Period
from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import current_rule_config

logger = logging.getLogger(__name__)
MAX_PAGE_SIZE = 500


class ApiError(Exception):
    """An error answered with the standard body."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else {}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sabo_…``: the token must be live and its owner current."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            found = authenticate(token)
        except TokenRefused as refused:
            raise ApiError(401, "unauthorised", str(refused)) from None
        request.api_token = found  # type: ignore[attr-defined]
        return found  # type: ignore[return-value]


class DatabaseRateThrottle(AuthRateThrottle):
    """Ninja's per-token rate limit, counted in the database (``RateCount``) rather than
    in each process's memory, in fixed windows of the rate's period: every server
    process shares one count (issue 18)."""

    def allow_request(self, request: HttpRequest) -> bool:
        if self.rate is None or self.num_requests is None or not self.duration:
            return True
        key = self.get_cache_key(request)[:100]
        now = time.time()
        window = int(now // self.duration) * self.duration
        self._window_end = window + self.duration
        self._now = now
        with transaction.atomic():
            updated = RateCount.objects.filter(key=key, window=window).update(count=F("count") + 1)
            if not updated:
                RateCount.objects.filter(key=key, window__lt=window - self.duration).delete()
                try:
                    with transaction.atomic():
                        RateCount.objects.create(key=key, window=window, count=1)
                except IntegrityError:  # another process started the window first
                    RateCount.objects.filter(key=key, window=window).update(count=F("count") + 1)
            count = RateCount.objects.get(key=key, window=window).count
        return count <= self.num_requests

    def wait(self) -> float | None:
        end = getattr(self, "_window_end", None)
        return None if end is None else max(end - self._now, 1)


THROTTLE = DatabaseRateThrottle(getattr(settings, "SABO_API_RATE", "600/m"))


def schema_auth(view: Any) -> Any:
    """The schema needs a token too, or a signed-in session (for people reading it)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            header = request.headers.get("Authorization", "")
            scheme, _, key = header.partition(" ")
            try:
                if scheme.lower() != "bearer":
                    raise TokenRefused(
                        "Give an API token in the Authorization header: 'Bearer <token>'"
                    )
                authenticate(key.strip())
            except TokenRefused as refused:
                return error_response(request, 401, "unauthorised", str(refused))
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapped


api = NinjaAPI(
    title="Saferboard API",
    version="1",
    description=(
        "Read a partnership's measures, observations, RAG statuses and strategy; submit "
        "partner returns and observations. Every request needs a token: "
        '`Authorization: Bearer <token>`. Errors are `{"error": {"code", "message", '
        '"details"}}`.'
    ),
    auth=TokenAuth(),
    throttle=[THROTTLE],
    urls_namespace="api",
    docs_url=None,
    docs_decorator=schema_auth,
    openapi_url="/openapi.json",
)

ERRORS: dict[int, Any] = {
    400: s.ErrorOut,
    401: s.ErrorOut,
    403: s.ErrorOut,
    404: s.ErrorOut,
    422: s.ErrorOut,
    429: s.ErrorOut,
}


def _without_server_paths(value: Any) -> Any:
    """Error text never names the server's folders (issue 18): the data directory and
    the temporary directory are cut out of every string, whatever raised it."""
    if isinstance(value, str):
        for folder in _server_folders():
            value = value.replace(folder + os.sep, "").replace(folder, "")
        return value
    if isinstance(value, dict):
        return {k: _without_server_paths(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_server_paths(v) for v in value]
    return value


def _server_folders() -> list[str]:
    folders = {str(Path(settings.DATA_DIR)), str(Path(tempfile.gettempdir()))}
    return sorted((f for f in folders if len(f) > 1), key=len, reverse=True)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body = _without_server_paths(
        {"error": {"code": code, "message": message, "details": details or {}}}
    )
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="saferboard"'
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        401,
        "unauthorised",
        "Give an API token in the Authorization header: 'Bearer <token>'",
    )


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait or 1)
    response = error_response(
        request,
        429,
        "rate_limited",
        f"Too many requests: try again in {wait} seconds",
        {"retry_after": wait},
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"location": [str(p) for p in e.get("loc", [])], "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return error_response(request, 422, "invalid", "The request is not valid", details)


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django raises this for a multipart body it cannot split (no boundary, a broken
    # one): the client's mistake, not a server error (issue 18).
    return error_response(
        request,
        400,
        "bad_request",
        "The request body is not valid multipart/form-data (give the boundary in the "
        "Content-Type header)",
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error", exc_info=exc)
    return error_response(
        request,
        500,
        "server_error",
        "Something went wrong on our side; the error has been logged",
        {"request_id": getattr(request, "request_id", "")},
    )


# Helpers -------------------------------------------------------------------------------


def token_of(request: HttpRequest) -> ApiToken:
    return request.api_token  # type: ignore[attr-defined,no-any-return]


def require_write(request: HttpRequest) -> ApiToken:
    token = token_of(request)
    if not token.can_write:
        raise ApiError(403, "forbidden", "This token can only read")
    return token


def invalid_field(error: FieldError, part: str) -> ApiError:
    """A service's refusal of one input as the API's 422, located at ``part`` (``body``,
    ``query``) and the field."""
    return ApiError(422, "invalid", error.message, [{"location": [part, error.field]}])


def paged(items: QuerySet | list, page: int, page_size: int) -> tuple[list, dict[str, int]]:
    """One page of ``items`` and the counts for the page envelope."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(math.ceil(count / page_size), 1)
    if page > pages:
        raise ApiError(404, "not_found", f"There are {pages} page(s)", {"pages": pages})
    start = (page - 1) * page_size
    return list(items[start : start + page_size]), {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
    }


def parse_period(text: str, field: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as error:
        raise ApiError(422, "invalid", str(error), [{"location": [field]}]) from None


def _day_or_period(text: str, field: str) -> Period:
    """A day ('2024-11-01', a period of one day) or any period key ('2024-11', 'FY2024-25')."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError as error:
            raise ApiError(422, "invalid", str(error), [{"location": [field]}]) from None
        return Period(day, day)
    return parse_period(text, field)


def visible_measures(token: ApiToken) -> QuerySet[Measure]:
    measures = Measure.objects.select_related("rag_rule")
    if not token.has(Capability.READ_PANEL_AGGREGATES):
        measures = measures.exclude(slug__startswith="panel-")
    return measures


def find_measure(token: ApiToken, source: str, slug: str) -> Measure:
    measure = visible_measures(token).filter(source_kind=source, slug=slug).first()
    if measure is None:
        raise ApiError(404, "not_found", f"No measure {source}/{slug}")
    return measure


def measure_out(measure: Measure) -> dict[str, Any]:
    rule = current_rule_config(measure)
    return {
        "source_kind": measure.source_kind,
        "slug": measure.slug,
        "label": measure.label,
        "description": measure.description,
        "unit": measure.unit,
        "direction": measure.direction,
        "rag_rule": rule.ref if rule else None,
    }


def observation_out(o: Observation) -> dict[str, Any]:
    return {
        "measure": f"{o.measure.source_kind}/{o.measure.slug}",
        "area_code": o.area.code,
        "area_name": o.area.name,
        "period_start": o.period_start,
        "period_end": o.period_end,
        "value": o.value,
        "numerator": o.numerator,
        "denominator": o.denominator,
        "comparators": o.comparators,
        "rank": o.rank,
        "peer_group": o.peer_group,
        "peer_group_size": o.peer_group_size,
        "provisional": o.provisional,
        "data_as_at": o.data_as_at,
        "source_id": o.source_id,
        "source_label": o.source.label if o.source else None,
        "code_version": o.code_version,
        "definition_version": o.definition_version,
        "rag": observation_rag_out(o),
    }


def observation_rag_out(o: Observation) -> dict[str, Any] | None:
    """The rating stored with an observation (never a rule applied here), or ``None``."""
    rating = o.rag
    if rating is None:
        return None
    return {
        "status": rating.status,
        "second_status": rating.second_status,
        "label": rating.label,
        "reason": rating.reason,
        "rule": o.rag_rule or None,
        "set_at": rating.set_at,
    }


def audit_write(request: HttpRequest, obj: Any, **detail: Any) -> None:
    """Every use of a write token is audited, naming the token."""
    audit_token_write(token_of(request), obj, request, **detail)


# Who am I --------------------------------------------------------------------------------


@api.get("/whoami", response={200: s.TokenOut, **ERRORS}, tags=["tokens"])
def whoami(request: HttpRequest) -> dict[str, Any]:
    """The token making the request: its owner, organisation, scope and capabilities."""
    token = token_of(request)
    return {
        "id": token.pk,
        "name": token.name,
        "user": token.user.get_username(),
        "organisation": token.organisation.slug,
        "scope": token.scope,
        "capabilities": token.capabilities,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


# Measures and observations ---------------------------------------------------------------


@api.get("/measures", response={200: s.Page[s.MeasureOut], **ERRORS}, tags=["measures"])
def list_measures(request: HttpRequest, q: Query[s.MeasureQuery]) -> dict[str, Any]:
    """Every measure the token may read."""
    measures = visible_measures(token_of(request)).order_by("source_kind", "slug")
    if q.source:
        measures = measures.filter(source_kind=q.source)
    items, meta = paged(measures, q.page, q.page_size)
    return {"items": [measure_out(m) for m in items], **meta}


@api.get("/measures/{source}/{slug}", response={200: s.MeasureOut, **ERRORS}, tags=["measures"])
def get_measure(request: HttpRequest, source: str, slug: str) -> dict[str, Any]:
    """One measure, by source kind and slug."""
    return measure_out(find_measure(token_of(request), source, slug))


@api.get("/observations", response={200: s.Page[s.ObservationOut], **ERRORS}, tags=["measures"])
def list_observations(request: HttpRequest, q: Query[s.ObservationQuery]) -> dict[str, Any]:
    """Observations, filtered by measure, area and period, oldest period first.

    Crime measures come from the partnership's preferred crime source unless ``source``
    is given (for an area that source cannot cover, the area's own source); ``since``
    and ``until`` take a day or a period key and keep periods ending on or after the
    start of ``since`` and on or before the end of ``until``."""
    rows = observation_rows(token_of(request), q)
    items, meta = paged(rows, q.page, q.page_size)
    return {"items": [observation_out(o) for o in items], **meta}


def observation_rows(token: ApiToken, q: s.ObservationQuery) -> QuerySet[Observation]:
    """The observations a query asks for, of measures the token may read, in order."""
    from saferboard.crime.sources import SOURCES, preferred_source, source_for_area

    rows = Observation.objects.select_related("measure", "area", "source").filter(
        measure__in=visible_measures(token)
    )
    if q.measure:
        rows = rows.filter(measure__slug=q.measure)
    if q.source:
        rows = rows.filter(measure__source_kind=q.source)
    elif preferred_source() is not None:
        crime_source = source_for_area(q.area) if q.area else preferred_source()
        rows = rows.exclude(measure__source_kind__in=[k for k in SOURCES if k != crime_source])
    if q.area:
        rows = rows.filter(area__code=q.area)
    if q.period:
        p = parse_period(q.period, "period")
        rows = rows.filter(period_start__gte=p.start, period_end__lte=p.end)
    if q.since:
        rows = rows.filter(period_end__gte=_day_or_period(q.since, "since").start)
    if q.until:
        rows = rows.filter(period_end__lte=_day_or_period(q.until, "until").end)
    rows = rows.order_by(
        "measure__source_kind", "measure__slug", "area__code", "period_start", "period_end"
    )
    return rows


@api.post(
    "/measures/{source}/{slug}/observations",
    response={201: s.ImportOut, **ERRORS},
    tags=["measures"],
)
def submit_observations(
    request: HttpRequest, source: str, slug: str, batch: s.ObservationBatchIn
) -> Status:
    """Store observations of a measure (e.g. a police extract pushed each month).

    A value for a measure, area and period that is already stored is replaced; the
    batch is recorded as a DataImport (with the request body's SHA-256) and audited.
    """
    token = require_write(request)
    measure = find_measure(token, source, slug)
    problem = write_problem(token, measure)
    if problem:
        raise ApiError(403, "forbidden", problem)
    try:
        check_area(batch.area_code)
        values = batch_values(batch.area_code, batch.observations)
    except FieldError as error:
        raise invalid_field(error, "body") from None
    except BatchInvalid as invalid:
        raise ApiError(
            422,
            "invalid",
            str(invalid),
            [{"location": ["body", *p.location], "message": p.message} for p in invalid.problems],
        ) from None
    stored = store_batch(
        measure,
        values,
        label=batch.label,
        data_as_at=batch.data_as_at,
        body=request.body,
        token=token,
        request=request,
    )
    return Status(
        201,
        {
            "data_import_id": stored.data_import.pk,
            "label": stored.data_import.label,
            "rows": stored.rows,
            "sha256": stored.sha256,
            "period_start": stored.data_import.period_start,
            "period_end": stored.data_import.period_end,
        },
    )


# RAG and strategy ---------------------------------------------------------------------------


def _rag_subjects() -> dict[str, Any]:
    from saferboard.strategy.models import Commitment, Priority

    return {"priority": Priority, "commitment": Commitment, "observation": Observation}


def _rag_queryset(token: ApiToken, subject: str) -> QuerySet[Any]:
    """What the token may read of a RAG subject: observations only of visible measures."""
    model = _rag_subjects()[subject]
    if model is Observation:
        return Observation.objects.select_related("measure", "area").filter(
            measure__in=visible_measures(token)
        )
    return model.objects.all()  # type: ignore[no-any-return]


def _rag_title(obj: Any) -> str:
    if isinstance(obj, Observation):
        return (
            f"{obj.measure.label}, {obj.area.name}, "
            f"{obj.period_start:%b %Y} to {obj.period_end:%b %Y}"
        )
    return str(obj)


@api.get("/rag", response={200: s.Page[s.RagOut], **ERRORS}, tags=["strategy"])
def list_rag(request: HttpRequest, q: Query[s.RagQuery]) -> dict[str, Any]:
    """The current RAG status of every priority, commitment or observation (an
    observation's is the rating stored with it)."""
    subject = q.subject
    rows = _rag_queryset(token_of(request), subject).order_by("pk")
    items, meta = paged(rows, q.page, q.page_size)
    return {
        "items": [
            {
                "subject": subject,
                "id": obj.pk,
                "title": _rag_title(obj),
                "status": obj.rag_status or None,
                "second_status": obj.rag_second_status or None,
                "reason": obj.rag_reason,
                "set_at": obj.rag_set_at,
            }
            for obj in items
        ],
        **meta,
    }


@api.get(
    "/rag/{subject}/{object_id}/history",
    response={200: list[s.RagEntryOut], **ERRORS},
    tags=["strategy"],
)
def rag_history_of(request: HttpRequest, subject: str, object_id: int) -> list[dict[str, Any]]:
    """Every RAG assessment of one priority, commitment or observation, oldest first
    (an observation's: each rating a version of its rule gave it)."""
    from saferboard.core.rag import rag_history

    if subject not in _rag_subjects() or not (0 < object_id < 2**63):
        raise ApiError(404, "not_found", f"No {subject} {object_id}")
    obj = _rag_queryset(token_of(request), subject).filter(pk=object_id).first()
    if obj is None:
        raise ApiError(404, "not_found", f"No {subject} {object_id}")
    return [
        {
            "status": e.status,
            "second_status": e.second_status or None,
            "reason": e.reason,
            "set_by": e.set_by.get_username() if e.set_by else None,
            "rule": e.rule or None,
            "set_at": e.set_at,
        }
        for e in rag_history(obj)
    ]


@api.get("/strategies", response={200: list[s.StrategySummaryOut], **ERRORS}, tags=["strategy"])
def list_strategies(request: HttpRequest) -> list[Any]:
    """The partnership's strategies, newest first."""
    from saferboard.strategy.models import Strategy

    return list(Strategy.objects.order_by("-start_date", "pk"))


@api.get("/strategies/{strategy_id}", response={200: s.StrategyOut, **ERRORS}, tags=["strategy"])
def get_strategy(request: HttpRequest, strategy_id: int) -> dict[str, Any]:
    """A strategy's structure: priorities, what they tackle, commitments and current RAGs."""
    from saferboard.strategy.models import Strategy

    if not 0 < strategy_id < 2**63:
        raise ApiError(404, "not_found", f"No strategy {strategy_id}")
    strategy = (
        Strategy.objects.filter(pk=strategy_id)
        .prefetch_related(
            "priorities__lead_organisations",
            "priorities__sub_priorities",
            "priorities__commitments__contributors",
            "priorities__commitments__children",
        )
        .first()
    )
    if strategy is None:
        raise ApiError(404, "not_found", f"No strategy {strategy_id}")
    return strategy_out(strategy)


def strategy_out(strategy: Any) -> dict[str, Any]:
    """A strategy's structure as the API answers it (its priorities and commitments
    prefetched)."""
    return {
        "id": strategy.pk,
        "title": strategy.title,
        "start_date": strategy.start_date,
        "end_date": strategy.end_date,
        "priorities": [
            {
                "id": p.pk,
                "number": p.number,
                "title": p.title,
                "aim": p.aim,
                "substantive_quarter": p.substantive_quarter,
                "lead_organisations": [o.slug for o in p.lead_organisations.all()],
                "sub_priorities": [sp.title for sp in p.sub_priorities.all()],
                "rag_status": p.rag_status or None,
                "rag_second_status": p.rag_second_status or None,
                "rag_reason": p.rag_reason,
                "commitments": [
                    {
                        "id": c.pk,
                        "number": c.number,
                        "title": c.title,
                        # Sub-commitments are child rows now; the key stays a list of texts.
                        "sub_commitments": [
                            s.title
                            for s in sorted(c.children.all(), key=lambda s: s.number)
                            if s.retired_on is None
                        ],
                        "contributors": [o.slug for o in c.contributors.all()],
                        "rag_status": c.rag_status or None,
                        "rag_second_status": c.rag_second_status or None,
                        "rag_reason": c.rag_reason,
                    }
                    for c in p.commitments.all()
                    if c.parent_id is None
                ],
            }
            for p in strategy.priorities.all()
        ],
    }


# Partner returns ----------------------------------------------------------------------------


def _templates(token: ApiToken) -> QuerySet:
    from saferboard.returns.models import ReturnTemplate

    templates = ReturnTemplate.objects.filter(active=True).select_related("organisation", "area")
    if token.user.is_administrator:
        return templates
    return templates.filter(organisation=token.organisation)


@api.get("/returns/templates", response={200: list[s.TemplateOut], **ERRORS}, tags=["returns"])
def list_templates(request: HttpRequest) -> list[dict[str, Any]]:
    """The return templates of the token's organisation."""
    return [template_out(t) for t in _templates(token_of(request)).prefetch_related("items")]


def template_out(t: Any) -> dict[str, Any]:
    """A return template and its measures' checks as the API answers them."""
    return {
        "slug": t.slug,
        "name": t.name,
        "organisation": t.organisation.slug,
        "frequency": t.frequency,
        "area_code": t.area.code,
        "due_days": t.due_days,
        "measures": [
            {
                "measure": i.measure.slug,
                "label": i.measure.label,
                "required": i.required,
                "integer": i.integer,
                "allow_negative": i.allow_negative,
                "change_threshold_pct": (
                    float(i.change_threshold_pct) if i.change_threshold_pct is not None else None
                ),
            }
            for i in t.items.select_related("measure")
        ],
    }


@api.post(
    "/returns/templates/{slug}/submissions",
    response={201: s.SubmissionOut, **ERRORS},
    tags=["returns"],
)
def submit_return(request: HttpRequest, slug: str, body: s.ReturnIn) -> Status:
    """Submit a period's partner return (or a correction of an accepted one, with a reason).

    Checked exactly as the web form and spreadsheet are; accepted whole or not at all.
    """
    from saferboard.api.return_submissions import (
        UnknownMeasures,
        return_request,
        submission_out,
    )
    from saferboard.returns.services import ReturnRejected, submit_return

    token = require_write(request)
    if not token.has(Capability.WRITE_RETURNS):
        raise ApiError(403, "forbidden", "This token may not submit partner returns")
    template = _templates(token).filter(slug=slug).first()
    if template is None:
        raise ApiError(404, "not_found", f"No return template {slug} for this organisation")
    try:
        wanted = return_request(
            template,
            token,
            period=body.period,
            values=body.values,
            reason=body.reason,
            body=body.dict(),
        )
    except UnknownMeasures as unknown:
        raise ApiError(
            422, "invalid", unknown.message, {"unknown_measures": unknown.measures}
        ) from None
    except FieldError as error:
        raise invalid_field(error, "body") from None
    try:
        submission = submit_return(wanted)
    except ReturnRejected as rejected:
        raise ApiError(
            422,
            "return_rejected",
            "The return was not accepted; nothing was stored",
            [
                {"measure": p.slug or None, "field": p.field, "message": p.message}
                for p in rejected.problems
            ],
        ) from None
    audit_write(
        request,
        submission,
        template=template.slug,
        period=wanted.period.key,
        version=submission.version,
    )
    return Status(201, submission_out(submission, wanted.period))


@schema_auth
def root(request: HttpRequest) -> HttpResponse:
    """/api/ itself: where the schema and the documentation are."""
    return api.create_response(
        request,
        {"name": "Saferboard API", "openapi": request.build_absolute_uri("openapi.json")},
        status=200,
    )


# Crime data -------------------------------------------------------------------------------


@api.get("/crime/series", response={200: s.Page[s.CrimeSeriesOut], **ERRORS}, tags=["crime"])
def crime_series(request: HttpRequest, q: Query[s.CrimeSeriesQuery]) -> dict[str, Any]:
    """Monthly counts of a crime measure for one area or every area with data (paged by
    area), from the partnership's preferred source unless ``source`` is given. A month
    without complete data is listed in ``missing`` and has no count (never zero)."""
    from saferboard.crime.engine import engine
    from saferboard.crime.series import SeriesNotFound, area_series, series_window

    eng = engine()
    try:
        window = series_window(
            q.measure, source=q.source, area=q.area, since=q.since, until=q.until, eng=eng
        )
    except SeriesNotFound as missing:
        raise ApiError(404, "not_found", str(missing)) from None
    except FieldError as error:
        raise invalid_field(error, "query") from None
    areas, meta = paged(window.areas, q.page, q.page_size)
    return {"items": [area_series(window, code, name, eng) for code, name in areas], **meta}


@api.post("/crime/police-uk", response={202: s.CrimeImportQueuedOut, **ERRORS}, tags=["crime"])
def upload_police_uk(request: HttpRequest, file: File[UploadedFile]) -> HttpResponse:
    """Queue the import of a police.uk street-level crime file (.csv, .csv.gz or a .zip
    of them): answers 202 with the job's id and URL (also in ``Location``).

    The crime app imports it on a worker, as it imports the web page's uploads: all or
    nothing, a month already imported replaced. GET the job until it is ``done`` (with
    the import made) or ``failed`` (naming the file, row, column and value of the
    problem); nothing is stored from a failed file.
    """
    from saferboard.api.crime_uploads import STATUS_WORDS, queue_police_uk
    from saferboard.crime.models import JobStatus

    token = require_write(request)
    if not token.has(Capability.WRITE_CRIME):
        raise ApiError(403, "forbidden", "This token may not import crime data")
    try:
        job = queue_police_uk(token, file)
    except FieldError as error:
        raise invalid_field(error, "body") from None
    audit_write(request, job, format="police-uk", job=str(job.pk), files=job.file_names)
    url = request.build_absolute_uri(f"/api/crime/jobs/{job.pk}")
    response = api.create_response(
        request,
        {"job_id": str(job.pk), "url": url, "status": STATUS_WORDS[JobStatus(job.status)]},
        status=202,
    )
    response["Location"] = url
    return response


@api.get("/crime/jobs/{job_id}", response={200: s.CrimeImportJobOut, **ERRORS}, tags=["crime"])
def crime_import_job(request: HttpRequest, job_id: str) -> dict[str, Any]:
    """A crime import queued through the API: queued, running (with its stage and
    progress), done (with the import made) or failed (with where the file went wrong).
    Only the token that queued it, or an administrator's, may read it."""
    from saferboard.api.crime_uploads import job_out, readable_job

    job = readable_job(token_of(request), job_id)
    if job is None:
        raise ApiError(404, "not_found", f"No import job {job_id}")
    return _without_server_paths(job_out(job))  # type: ignore[no-any-return]


def schema_json() -> str:
    """The OpenAPI schema as the checked-in docs/openapi.json holds it."""
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True) + "\n"
