"""Observations pushed through the API: checking a batch, then storing it as one
``DataImport`` with its observations, all or nothing (issue 23: the service that used
to live inside the route)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db import transaction
from django.http import HttpRequest

from saferboard.api.auditing import audit_token_write
from saferboard.api.models import ApiToken
from saferboard.core.code_version import code_version
from saferboard.core.errors import FieldError
from saferboard.core.models import Area
from saferboard.core.periods import Period
from saferboard.measures.models import DataImport, Measure
from saferboard.measures.services import ObservationValue, store_observations


class PushedObservation(Protocol):
    """One observation as the client sent it (the API's ``ObservationIn``)."""

    period: str | None
    period_start: date | None
    period_end: date | None
    value: float | None
    numerator: float | None
    denominator: float | None
    provisional: bool


@dataclass(frozen=True)
class Problem:
    """One reason a batch is refused: where in the batch (``location``, from the list
    of observations down) and why."""

    location: tuple[str, ...]
    message: str


class BatchInvalid(ValueError):
    """A batch with problems; none of it is stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("Some observations are not valid; none were stored")
        self.problems = problems


@dataclass(frozen=True)
class StoredBatch:
    """What storing a batch made: its import record, the body's digest and row count."""

    data_import: DataImport
    sha256: str
    rows: int


def check_area(code: str) -> None:
    """Refuse an area code Saferboard does not know (``FieldError`` on ``area_code``)."""
    if not Area.objects.filter(code=code).exists():
        raise FieldError("area_code", f"No area with code {code}")


def batch_values(
    area_code: str, observations: Sequence[PushedObservation]
) -> list[ObservationValue]:
    """The batch's observations as values to store, or ``BatchInvalid`` listing every
    problem: a period that cannot be read, a number that is not finite, or the same
    period twice. Pure: reads nothing."""
    values: list[ObservationValue] = []
    problems: list[Problem] = []
    for i, o in enumerate(observations):
        try:
            start, end = _period_of(o)
        except ValueError as error:
            problems.append(Problem(("observations", str(i)), str(error)))
            continue
        problems.extend(
            Problem(("observations", str(i), name), "must be a finite number")
            for name in ("value", "numerator", "denominator")
            if not _finite_or_none(getattr(o, name))
        )
        values.append(
            ObservationValue(
                area_code=area_code,
                period_start=start,
                period_end=end,
                value=o.value,
                numerator=o.numerator,
                denominator=o.denominator,
                provisional=o.provisional,
            )
        )
    keys = [(v.period_start, v.period_end) for v in values]
    if len(set(keys)) != len(keys):
        problems.append(Problem(("observations",), "The same period appears twice"))
    if problems:
        raise BatchInvalid(problems)
    return values


def _period_of(o: PushedObservation) -> tuple[date, date]:
    if o.period:
        p = Period.parse(o.period)
        return p.start, p.end
    if o.period_start and o.period_end:
        Period(o.period_start, o.period_end)  # checks the order
        return o.period_start, o.period_end
    raise ValueError("Give a period, or a period_start and period_end")


def _finite_or_none(number: float | None) -> bool:
    return number is None or math.isfinite(number)


def store_batch(
    measure: Measure,
    values: list[ObservationValue],
    *,
    label: str,
    data_as_at: date | None,
    body: bytes,
    token: ApiToken,
    request: HttpRequest | None = None,
) -> StoredBatch:
    """Record the batch as a ``DataImport`` (with the request body's SHA-256), store its
    observations against it (rated as they are stored) and audit the write naming the
    token, in one transaction. ``values`` come from :func:`batch_values` (not empty)."""
    digest = hashlib.sha256(body).hexdigest()
    label = label or f"{measure.label} via the API"
    ref = f"{measure.source_kind}/{measure.slug}"
    with transaction.atomic():
        data_import = DataImport.objects.create(
            source_kind=measure.source_kind,
            format="api-json",
            label=label[:200],
            files=[
                {"name": "request body", "sha256": digest, "bytes": len(body), "rows": len(values)}
            ],
            rows=len(values),
            period_start=min(v.period_start for v in values),
            period_end=max(v.period_end for v in values),
            data_as_at=data_as_at,
            imported_by=token.user,
            code_version=code_version(),
            detail={
                "measure": ref,
                "token_id": token.pk,
                "organisation": token.organisation.slug,
                "area": values[0].area_code,
            },
        )
        store_observations(measure, values, source=data_import, data_as_at=data_as_at)
        audit_token_write(token, data_import, request, measure=ref, rows=len(values), sha256=digest)
    return StoredBatch(data_import=data_import, sha256=digest, rows=len(values))
