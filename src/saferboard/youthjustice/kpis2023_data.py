"""Read what the 2023 KPIs need from the database into :mod:`~saferboard.youthjustice.kpis2023`'s
arrays: a service's interventions, proven offences, victims and 10-17 population, and
its management board's meetings (KPI 7) from the meetings app, read, never retyped.

The arrays carry integer keys only (the child's database row), never a pseudonym.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.db.models import Sum

from saferboard.core.periods import add_months
from saferboard.youthjustice.definitions import SUBSTANTIVE
from saferboard.youthjustice.kpis2023 import (
    END_REASONS,
    INTERVENTION_TYPES,
    NEED_STAGES,
    ONGOING,
    STATUTORY_PARTNERS,
    SUITABILITY,
    VICTIM_COLUMNS,
    WIDER_SERVICES,
    YES_NO,
    BoardMeeting,
    BoardRecord,
    Interventions,
    Kpi,
    KpiData,
    ProvenOffences,
    Victims,
    compute_one,
    day_number,
    is_violent_category,
)
from saferboard.youthjustice.models import Intervention, Offence, Population, Service, Victim

_PARTNER_OF_TYPE = {t: slug for slug, _label, types in STATUTORY_PARTNERS for t in types}
# Meetings that took place (a planned or cancelled meeting has no attendance to count).
_HELD = ("held", "minutes_draft", "minutes_agreed")


def _yes_no(value: bool | None) -> int:
    return 0 if value is None else YES_NO.index("yes" if value else "no")


def _codes(values: list[str], vocabulary: tuple[str, ...]) -> np.ndarray:
    index = {v: i for i, v in enumerate(vocabulary)}
    return np.fromiter((index.get(v, 0) for v in values), dtype=np.int8, count=len(values))


def interventions_of(service: Service) -> Interventions:
    """The service's interventions as arrays (every row; the period is applied later)."""
    rows = list(
        Intervention.objects.filter(child__service=service).values_list(
            "child_id",
            "intervention_type",
            "start_date",
            "end_date",
            "end_reason",
            "accommodation",
            "ete",
            "send_need",
            "send_plan",
            "mental_health",
            "substance_misuse",
            "wider_services",
        )
    )
    n = len(rows)
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in range(12)]
    kinds = {t: i for i, t in enumerate(INTERVENTION_TYPES)}
    return Interventions(
        service=np.zeros(n, dtype=np.int64),
        child=np.fromiter(cols[0], dtype=np.int64, count=n),
        kind=np.fromiter((kinds[k] for k in cols[1]), dtype=np.int64, count=n),
        start=np.fromiter((day_number(d) for d in cols[2]), dtype=np.int64, count=n),
        end=np.fromiter(
            (ONGOING if d is None else day_number(d) for d in cols[3]), dtype=np.int64, count=n
        ),
        end_reason=_codes(list(cols[4]), END_REASONS),
        accommodation=_codes(list(cols[5]), SUITABILITY),
        ete=_codes(list(cols[6]), SUITABILITY),
        send_need=np.fromiter((_yes_no(v) for v in cols[7]), dtype=np.int8, count=n),
        send_plan=np.fromiter((_yes_no(v) for v in cols[8]), dtype=np.int8, count=n),
        mental_health=_codes(list(cols[9]), NEED_STAGES),
        substance_misuse=_codes(list(cols[10]), NEED_STAGES),
        wider_services=_codes(list(cols[11]), WIDER_SERVICES),
    )


def proven_offences_of(service: Service, start: date, end: date) -> ProvenOffences:
    """The service's offences proven by a substantive outcome dated in the period."""
    rows = list(
        Offence.objects.filter(
            child__service=service,
            outcome__outcome_type__in=SUBSTANTIVE,
            outcome__outcome_date__range=(start, end),
        ).values_list("child_id", "outcome__outcome_date", "offence_type", "gravity_score")
    )
    n = len(rows)
    return ProvenOffences(
        service=np.zeros(n, dtype=np.int64),
        child=np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
        outcome_day=np.fromiter((day_number(r[1]) for r in rows), dtype=np.int64, count=n),
        violent_category=np.fromiter((is_violent_category(r[2]) for r in rows), bool, count=n),
        gravity=np.fromiter((r[3] or 0 for r in rows), dtype=np.int8, count=n),
    )


def victims_of(service: Service, start: date, end: date) -> Victims:
    """The victims of the service's children first contacted in the period."""
    rows = list(
        Victim.objects.filter(child__service=service, contact_date__range=(start, end)).values_list(
            "contact_date", *VICTIM_COLUMNS
        )
    )
    n = len(rows)
    columns = {
        name: np.fromiter((_yes_no(r[i + 1]) for r in rows), dtype=np.int8, count=n)
        for i, name in enumerate(VICTIM_COLUMNS)
    }
    return Victims(
        service=np.zeros(n, dtype=np.int64),
        contact_day=np.fromiter((day_number(r[0]) for r in rows), dtype=np.int64, count=n),
        **columns,
    )


def population_10_17(service: Service, year: int) -> int | None:
    """The service's mid-year 10-17 population estimate for ``year`` (``None``: not
    loaded)."""
    total = Population.objects.filter(service=service, year=year, age__range=(10, 17)).aggregate(
        total=Sum("count")
    )["total"]
    return None if total is None else int(total)


def held_records(service: Service) -> frozenset[str]:
    """Which kinds of KPI record the service has loaded at all."""
    held = set()
    if Intervention.objects.filter(child__service=service).exists():
        held.add("interventions")
    if Victim.objects.filter(child__service=service).exists():
        held.add("victims")
    if Offence.objects.filter(child__service=service, gravity_score__isnull=False).exists():
        held.add("gravity")
    return frozenset(held)


def board_record(service: Service, start: date, end: date) -> BoardRecord:
    """The youth justice management board(s) of the partnership whose local authority
    is the service's area, with their held meetings in the period (KPI 7).

    Present at the right seniority: the seat's member in person, or a substitute who is
    the member's named substitute on the day. Any other substitute is present, not at
    the right seniority.
    """
    from saferboard.meetings.models import (
        AttendanceKind,
        Board,
        BoardKind,
        BoardMember,
        Meeting,
        NamedSubstitute,
    )

    boards = list(
        Board.objects.filter(partnership__local_authority_id=service.area_id, kind=BoardKind.YOS)
    )
    if not boards:
        return BoardRecord(None)
    members = list(BoardMember.objects.filter(board__in=boards).select_related("organisation"))
    named = list(NamedSubstitute.objects.filter(member__in=members))
    meetings = Meeting.objects.filter(
        board__in=boards, date__range=(start, end), status__in=_HELD
    ).prefetch_related("attendance__organisation", "attendance__member__organisation")
    facts = []
    for meeting in meetings:
        day = meeting.date
        seated = {
            _PARTNER_OF_TYPE[m.organisation.type]
            for m in members
            if m.board_id == meeting.board_id
            and m.organisation.type in _PARTNER_OF_TYPE
            and m.start_date <= day
            and (m.end_date is None or m.end_date >= day)
        }
        attended: set[str] = set()
        senior: set[str] = set()
        for row in meeting.attendance.all():
            if row.kind not in (AttendanceKind.PRESENT, AttendanceKind.SUBSTITUTE):
                continue
            organisation = row.organisation or (row.member.organisation if row.member else None)
            if row.substitute_for_id and organisation is None:
                seat = next((m for m in members if m.pk == row.substitute_for_id), None)
                organisation = seat.organisation if seat else None
            partner = _PARTNER_OF_TYPE.get(organisation.type) if organisation else None
            if partner is None:
                continue
            attended.add(partner)
            named_deputy = row.kind == AttendanceKind.SUBSTITUTE and any(
                s.member_id == row.substitute_for_id
                and s.person_id == row.person_id
                and s.is_active_on(day)
                for s in named
            )
            if (row.kind == AttendanceKind.PRESENT and row.member_id) or named_deputy:
                senior.add(partner)
        facts.append(BoardMeeting(day, frozenset(seated), frozenset(attended), frozenset(senior)))
    return BoardRecord(" and ".join(b.name for b in boards), tuple(facts))


def kpi_data(service: Service, start: date, end: date) -> KpiData:
    """Everything the ten KPIs of one service and period are computed from."""
    return KpiData(
        services=(service.name,),
        interventions=interventions_of(service),
        offences=proven_offences_of(service, start, end),
        victims=victims_of(service, start, end),
        population=(population_10_17(service, end.year),),
        held=(held_records(service),),
        boards=(board_record(service, start, end),),
    )


def service_kpis(service: Service, start: date, end: date) -> list[Kpi]:
    """The ten 2023 KPIs of a service for the period ``start`` to ``end``."""
    return compute_one(kpi_data(service, start, end), start, end)


def latest_quarter(service: Service, as_at: date | None = None) -> tuple[date, date] | None:
    """The latest whole financial quarter (April-June, July-September...) that ends on
    or before the service's records (and ``as_at``, if given)."""
    if service.data_to is None:
        return None
    limit = min(service.data_to, as_at) if as_at else service.data_to
    # Quarters start in January, April, July and October.
    start = date(limit.year, (limit.month - 1) // 3 * 3 + 1, 1)
    end = add_months(start, 3) - timedelta(days=1)
    if end > limit:
        start = add_months(start, -3)
        end = add_months(start, 3) - timedelta(days=1)
    return start, end


def recent_quarters(service: Service, count: int = 8) -> list[tuple[date, date]]:
    """The ``count`` latest whole quarters of the service's records, latest first."""
    latest = latest_quarter(service)
    if latest is None:
        return []
    quarters = []
    start = latest[0]
    for _ in range(count):
        quarters.append((start, add_months(start, 3) - timedelta(days=1)))
        start = add_months(start, -3)
    return quarters
