"""A partner return sent through the API, turned into the returns app's request: the
period read by the template's kind, every measure on the template, every value finite
(issue 23: this used to be checked inside the route). The returns app then checks it
exactly as it checks the web form and the spreadsheet."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, Protocol

from saferboard.api.models import ApiToken
from saferboard.core.errors import FieldError
from saferboard.core.periods import Period
from saferboard.returns.models import Channel, ReturnTemplate, Submission
from saferboard.returns.schedule import parse_period as template_period
from saferboard.returns.services import ReturnRequest, Upload
from saferboard.returns.validation import RawEntry


class SentValue(Protocol):
    """One value as the client sent it (the API's ``ReturnValueIn``)."""

    measure: str
    value: float | None
    comment: str


class UnknownMeasures(FieldError):
    """Values for measures the template does not have; ``measures`` lists them."""

    def __init__(self, measures: list[str]) -> None:
        super().__init__("values", "Some measures are not on this template")
        self.measures = measures


def return_request(
    template: ReturnTemplate,
    token: ApiToken,
    *,
    period: str,
    values: Sequence[SentValue],
    reason: str,
    body: dict[str, Any],
) -> ReturnRequest:
    """The returns app's request for what the client sent with ``token``.

    Raises ``FieldError`` on ``period`` (not a period of the template's kind) or
    ``values`` (not finite), or ``UnknownMeasures``. ``body`` is the request as parsed,
    kept (canonical JSON) as the return's upload for provenance."""
    try:
        parsed = template_period(period, template.period_kind)
    except ValueError as error:
        raise FieldError("period", str(error)) from None
    known = {i.measure.slug for i in template.items.select_related("measure")}
    unknown = [v.measure for v in values if v.measure not in known]
    if unknown:
        raise UnknownMeasures(unknown)
    if any(v.value is not None and not math.isfinite(v.value) for v in values):
        raise FieldError("values", "Values must be finite numbers")
    raw = json.dumps(body, sort_keys=True, default=str).encode()
    return ReturnRequest(
        template=template,
        period=parsed,
        entries={v.measure: RawEntry(v.value, v.comment) for v in values},
        user=token.user,
        channel=Channel.API,
        reason=reason,
        upload=Upload("request body", raw),
        detail={"token_id": token.pk},
    )


def submission_out(submission: Submission, period: Period) -> dict[str, Any]:
    """An accepted return (for ``period``) as the API answers it."""
    return {
        "template": submission.template.slug,
        "period": period.key,
        "period_start": period.start,
        "period_end": period.end,
        "version": submission.version,
        "submitted_at": submission.submitted_at,
        "data_import_id": submission.data_import_id,
        "values": {v.measure.slug: v.value for v in submission.values.select_related("measure")},
    }
