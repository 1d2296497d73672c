"""The youth justice app's small service layer: services, case data for the engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pyarrow as pa
from django.db.models import F
from django.utils.text import slugify

from saferboard.core.models import Area, AreaKind
from saferboard.youthjustice.engine import (
    CHILDREN_SCHEMA,
    OFFENCES_SCHEMA,
    OUTCOMES_SCHEMA,
    POPULATION_ETHNICITY_SCHEMA,
    POPULATION_SCHEMA,
    CaseData,
)
from saferboard.youthjustice.models import (
    Child,
    Offence,
    Outcome,
    Population,
    PopulationEthnicity,
    Service,
)


def ensure_service(name: str) -> Service:
    """The service of this name, created if new and linked to its area.

    An area with the same name (a local authority such as Bromley, or a region such as
    London) is reused; otherwise a youth justice service area is created for it.
    """
    service = Service.objects.filter(name__iexact=name).first()
    if service is not None:
        return service
    area = Area.objects.filter(name__iexact=name).order_by("pk").first()
    if area is None:
        base = "YJS-" + (slugify(name).upper()[:12] or "SERVICE")
        code, n = base, 1
        while Area.objects.filter(code=code).exists():
            n += 1
            code = f"{base[:16]}-{n}"
        area = Area.objects.create(code=code, name=name, kind=AreaKind.SERVICE)
    return Service.objects.create(name=name, area=area)


def services_with_records() -> list[Service]:
    """Services holding case records, by name."""
    return list(Service.objects.filter(data_to__isnull=False).order_by("name"))


def case_data(services: Sequence[str], data_to: date | None = None) -> CaseData:
    """The stored case records of some services, as the engine's columnar input.

    The engine sees only integer row ids, dates and categories: not even the pseudonym.
    """
    held = Service.objects.filter(name__in=services)
    if data_to is None:
        dates = [s.data_to for s in held if s.data_to]
        data_to = max(dates) if dates else date.today()
    children = Child.objects.filter(service__in=held).values_list(
        "pk", "service__name", "date_of_birth", "sex", "ethnicity", "looked_after"
    )
    outcomes = Outcome.objects.filter(child__service__in=held).values_list(
        "pk", "child_id", "outcome_date", "outcome_type", "release_date"
    )
    offences = Offence.objects.filter(child__service__in=held).values_list(
        "child_id", "offence_date", "offence_type", "is_breach", "outcome_id"
    )
    population = (
        Population.objects.filter(service__in=held)
        .annotate(service_name=F("service__name"))
        .values_list("service_name", "year", "age", "count")
    )
    population_ethnicity = (
        PopulationEthnicity.objects.filter(service__in=held)
        .annotate(service_name=F("service__name"))
        .values_list("service_name", "year", "ethnicity", "count")
    )
    return CaseData(
        children=_table(children, CHILDREN_SCHEMA),
        outcomes=_table(outcomes, OUTCOMES_SCHEMA),
        offences=_table(offences, OFFENCES_SCHEMA),
        population=_table(population, POPULATION_SCHEMA),
        population_ethnicity=_table(population_ethnicity, POPULATION_ETHNICITY_SCHEMA),
        data_to=data_to,
    )


def _table(rows: Iterable[Iterable[object]], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) or [() for _ in schema.names]
    return pa.table(
        {
            name: pa.array(list(col), type=schema.field(name).type)
            for name, col in zip(schema.names, columns, strict=True)
        },
        schema=schema,
    )
