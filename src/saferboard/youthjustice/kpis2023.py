"""The ten youth justice key performance indicators of April 2023: pure computation.

The YJB and MoJ introduced ten KPIs from 1 April 2023 (accommodation; education,
training and employment; SEND/ALN; mental health and emotional wellbeing; substance
misuse; out-of-court disposals; management board attendance; wider services; serious
violence; victims). Each definition, its source and the choices made where the
guidance leaves one are written in docs/methodology.md ("The 2023 key performance
indicators").

Input is columnar (numpy arrays, one row per intervention, proven offence or victim),
for any number of services at once, so the same code serves one service's page and the
national benchmark. Nothing here touches Django: :mod:`saferboard.youthjustice.kpis2023_data`
reads the stored records into these arrays.

Two rules run through every KPI:

- A status that was not recorded is *not known*: it is never counted as "no". Children
  whose status is not known are left out of that KPI's denominator and counted in its
  ``not_known`` sub-measure.
- A zero denominator gives no percentage (``None``), never 0%; a KPI whose data is not
  held at all (no interventions loaded, no board recorded) has no numerator or
  denominator either, and a note says what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

EPOCH = date(1970, 1, 1)
ONGOING = np.iinfo(np.int32).max  # the end day of an intervention that has not ended

# Vocabulary of interventions.csv. Code 0 of every status is "not known" (blank).
INTERVENTION_TYPES: tuple[str, ...] = (
    "prevention",
    "community_resolution",
    "youth_caution",
    "youth_conditional_caution",
    "referral_order",
    "youth_rehabilitation_order",
    "other_court_order",
    "custodial_sentence",
)
INTERVENTION_LABELS: dict[str, str] = {
    "prevention": "Prevention (no offence)",
    "community_resolution": "Community resolution or other diversion",
    "youth_caution": "Youth caution",
    "youth_conditional_caution": "Youth conditional caution",
    "referral_order": "Referral order",
    "youth_rehabilitation_order": "Youth rehabilitation order",
    "other_court_order": "Other court order in the community",
    "custodial_sentence": "Custodial sentence (released)",
}
OUT_OF_COURT: tuple[str, ...] = (
    "community_resolution",
    "youth_caution",
    "youth_conditional_caution",
)
# The breakdown of KPIs 1 and 2 by the kind of intervention that ended.
INTERVENTION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("prevention", "Prevention", ("prevention",)),
    ("out_of_court", "Out-of-court disposals", OUT_OF_COURT),
    (
        "community_sentence",
        "Court orders in the community",
        ("referral_order", "youth_rehabilitation_order", "other_court_order"),
    ),
    ("released_from_custody", "Released from custody", ("custodial_sentence",)),
)
END_REASONS: tuple[str, ...] = ("", "completed", "not_completed", "custody", "transferred")
SUITABILITY: tuple[str, ...] = ("", "suitable", "unsuitable")
NEED_STAGES: tuple[str, ...] = (
    "",
    "no_need",
    "need_identified",
    "intervention_offered",
    "intervention_attended",
)
WIDER_SERVICES: tuple[str, ...] = (
    "",
    "none",
    "early_help",
    "child_in_need",
    "child_protection",
    "looked_after",
)
WIDER_SERVICE_LABELS: dict[str, str] = {
    "early_help": "Early help plan",
    "child_in_need": "Child in need plan",
    "child_protection": "Child protection plan",
    "looked_after": "Looked after child",
}
YES_NO: tuple[str, ...] = ("", "yes", "no")  # 0 not known, 1 yes, 2 no
UNKNOWN, YES, NO = 0, 1, 2

# KPI 9: serious violence is a proven drugs, robbery or violence against the person
# offence with a gravity score of 5 or more.
SERIOUS_VIOLENCE_CATEGORIES: frozenset[str] = frozenset(
    {"violence against the person", "robbery", "drugs", "drug offences"}
)
SERIOUS_VIOLENCE_GRAVITY = 5
GRAVITY_SCORES = range(1, 9)

# KPI 7: the statutory partners of a youth justice service (Crime and Disorder Act 1998
# s.39(3)) by the organisation types a partnership records.
STATUTORY_PARTNERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("local_authority", "Local authority (children's services)", ("council",)),
    ("education", "Education", ("education",)),
    ("police", "Police", ("police",)),
    ("probation", "Probation", ("probation",)),
    ("health", "Health", ("health",)),
)

TITLES: dict[int, tuple[str, str]] = {
    1: ("accommodation", "Suitable accommodation at the end of the intervention"),
    2: ("ete", "Suitable education, training or employment at the end of the intervention"),
    3: ("send_aln", "Children with SEND/ALN who have a formal plan in place"),
    4: ("mental_health", "Mental health and emotional wellbeing: need identified"),
    5: ("substance_misuse", "Substance misuse: need identified"),
    6: ("out_of_court_disposals", "Out-of-court disposals completed"),
    7: ("management_board", "Management board attendance by statutory partners"),
    8: ("wider_services", "Children known to wider services"),
    9: ("serious_violence", "Children with a proven serious violent offence per 10,000 aged 10-17"),
    10: ("victims", "Victims who consented to be contacted"),
}


def day_number(day: date) -> int:
    """Days since 1 January 1970 (the integer dates the arrays hold)."""
    return (day - EPOCH).days


def code_of(vocabulary: Sequence[str], value: str | None) -> int:
    """The code of ``value`` in ``vocabulary`` (blank or ``None``: 0, not known)."""
    return vocabulary.index(value or "")


# ---------------------------------------------------------------------------------------
# Input


def _ints(values: Iterable[int], dtype: Any = np.int64) -> np.ndarray:
    return np.fromiter(values, dtype=dtype)


@dataclass(frozen=True)
class Interventions:
    """Interventions (one row each): service index, child, type and the status at the end.

    Dates are day numbers (:func:`day_number`); ``end`` is :data:`ONGOING` for an
    intervention that has not ended. Status columns hold codes into the vocabularies
    above (0: not known).
    """

    service: np.ndarray
    child: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    end: np.ndarray
    end_reason: np.ndarray
    accommodation: np.ndarray
    ete: np.ndarray
    send_need: np.ndarray
    send_plan: np.ndarray
    mental_health: np.ndarray
    substance_misuse: np.ndarray
    wider_services: np.ndarray

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> Interventions:
        """From dicts with the column names of interventions.csv (plus ``service``, an
        index, and ``child``, an integer key), values as the vocabularies spell them."""

        def col(name: str, vocab: Sequence[str]) -> np.ndarray:
            return _ints((code_of(vocab, r.get(name)) for r in records), np.int8)

        return cls(
            service=_ints(r.get("service", 0) for r in records),
            child=_ints(r["child"] for r in records),
            kind=_ints(INTERVENTION_TYPES.index(r["intervention_type"]) for r in records),
            start=_ints(day_number(r["start_date"]) for r in records),
            end=_ints(
                (ONGOING if r.get("end_date") is None else day_number(r["end_date"]))
                for r in records
            ),
            end_reason=col("end_reason", END_REASONS),
            accommodation=col("accommodation", SUITABILITY),
            ete=col("ete", SUITABILITY),
            send_need=col("send_need", YES_NO),
            send_plan=col("send_plan", YES_NO),
            mental_health=col("mental_health", NEED_STAGES),
            substance_misuse=col("substance_misuse", NEED_STAGES),
            wider_services=col("wider_services", WIDER_SERVICES),
        )

    @classmethod
    def empty(cls) -> Interventions:
        return cls.from_records([])


@dataclass(frozen=True)
class ProvenOffences:
    """Offences proven by a substantive outcome (a youth caution, a youth conditional
    caution or a conviction): service index, child, the outcome's day, whether the offence
    is in a serious violence category, and its gravity score (0: not known)."""

    service: np.ndarray
    child: np.ndarray
    outcome_day: np.ndarray
    violent_category: np.ndarray
    gravity: np.ndarray

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> ProvenOffences:
        """From dicts: service (index), child, outcome_date, offence_type, gravity_score."""
        return cls(
            service=_ints(r.get("service", 0) for r in records),
            child=_ints(r["child"] for r in records),
            outcome_day=_ints(day_number(r["outcome_date"]) for r in records),
            violent_category=np.fromiter(
                (is_violent_category(r["offence_type"]) for r in records), dtype=bool
            ),
            gravity=_ints((r.get("gravity_score") or 0 for r in records), np.int8),
        )

    @classmethod
    def empty(cls) -> ProvenOffences:
        return cls.from_records([])


def is_violent_category(offence_type: str) -> bool:
    """True for the offence categories serious violence is drawn from."""
    return " ".join(offence_type.lower().split()) in SERIOUS_VIOLENCE_CATEGORIES


VICTIM_COLUMNS: tuple[str, ...] = (
    "consented_to_contact",
    "views_sought",
    "rj_offered",
    "rj_participated",
    "progress_info_requested",
    "progress_info_given",
    "support_info_given",
)


@dataclass(frozen=True)
class Victims:
    """Victims (one row each): service index, the day the service first contacted or
    tried to contact them, and yes/no/not known codes of what was offered."""

    service: np.ndarray
    contact_day: np.ndarray
    consented_to_contact: np.ndarray
    views_sought: np.ndarray
    rj_offered: np.ndarray
    rj_participated: np.ndarray
    progress_info_requested: np.ndarray
    progress_info_given: np.ndarray
    support_info_given: np.ndarray

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]]) -> Victims:
        """From dicts: service (index), contact_date and the columns of victims.csv
        as "yes", "no" or blank."""
        columns = {
            name: _ints((code_of(YES_NO, r.get(name)) for r in records), np.int8)
            for name in VICTIM_COLUMNS
        }
        return cls(
            service=_ints(r.get("service", 0) for r in records),
            contact_day=_ints(day_number(r["contact_date"]) for r in records),
            **columns,
        )

    @classmethod
    def empty(cls) -> Victims:
        return cls.from_records([])


@dataclass(frozen=True)
class BoardMeeting:
    """One held meeting of a youth justice management board, for KPI 7.

    ``seated``: the statutory partners (slugs of :data:`STATUTORY_PARTNERS`) holding a
    seat on the board that day; ``attended``: those with anyone present (a member or a
    substitute); ``senior``: those present at the right seniority (the seat's member, or
    the member's named substitute).
    """

    day: date
    seated: frozenset[str]
    attended: frozenset[str]
    senior: frozenset[str]


@dataclass(frozen=True)
class BoardRecord:
    """What Saferboard holds of a service's management board: its name (``None`` when no
    youth justice management board is recorded) and its held meetings."""

    board: str | None
    meetings: tuple[BoardMeeting, ...] = ()


@dataclass(frozen=True)
class KpiData:
    """Everything the ten KPIs are computed from, for ``services`` (row ``service``
    columns are indexes into it). ``population`` is each service's 10-17 population for
    the period (``None``: not loaded); ``held`` names the kinds of record a service has
    loaded at all ("interventions", "victims", "gravity")."""

    services: tuple[str, ...]
    interventions: Interventions
    offences: ProvenOffences
    victims: Victims
    population: tuple[int | None, ...]
    held: tuple[frozenset[str], ...]
    boards: tuple[BoardRecord | None, ...] = ()


# ---------------------------------------------------------------------------------------
# Output


def _percentage(count: int | None, denominator: int | None) -> float | None:
    if count is None or not denominator:
        return None
    return 100.0 * count / denominator


@dataclass(frozen=True)
class SubMeasure:
    """One line under a KPI: a count out of a denominator (``None``: not a share)."""

    slug: str
    label: str
    count: int | None
    denominator: int | None

    @property
    def percentage(self) -> float | None:
        """``count`` as a percentage of ``denominator``; ``None`` for a zero or no
        denominator (never 0%)."""
        return _percentage(self.count, self.denominator)

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "label": self.label,
            "count": self.count,
            "denominator": self.denominator,
            "percentage": _round(self.percentage, 1),
        }


@dataclass(frozen=True)
class Kpi:
    """One KPI for one service and period: numerator, denominator, percentage or rate,
    sub-measures and notes (what was left out and why, what is missing)."""

    number: int
    numerator: int | None
    denominator: int | None
    sub_measures: tuple[SubMeasure, ...] = ()
    notes: tuple[str, ...] = ()
    rate_per: int | None = None  # KPI 9: a rate per this many of the population
    rate_label: str = ""

    @property
    def slug(self) -> str:
        return TITLES[self.number][0]

    @property
    def title(self) -> str:
        return TITLES[self.number][1]

    @property
    def percentage(self) -> float | None:
        """The numerator as a percentage of the denominator (``None`` for a rate KPI, a
        zero denominator or missing data)."""
        if self.rate_per is not None:
            return None
        return _percentage(self.numerator, self.denominator)

    @property
    def rate(self) -> float | None:
        """For a rate KPI, the numerator per ``rate_per`` of the denominator."""
        if self.rate_per is None or self.numerator is None or not self.denominator:
            return None
        return self.numerator * self.rate_per / self.denominator

    def sub(self, slug: str) -> SubMeasure:
        """The sub-measure called ``slug``."""
        return next(s for s in self.sub_measures if s.slug == slug)

    def as_json(self) -> dict[str, Any]:
        """The KPI in the ``yj kpis2023 --json`` contract (docs/youth-justice-data.md)."""
        return {
            "number": self.number,
            "slug": self.slug,
            "title": self.title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percentage": _round(self.percentage, 1),
            "rate": _round(self.rate, 2),
            "sub_measures": [s.as_json() for s in self.sub_measures],
            "notes": list(self.notes),
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def document(service: str, start: date, end: date, kpis: Sequence[Kpi]) -> dict[str, Any]:
    """The ``saferboard yj kpis2023 --json`` document."""
    return {
        "service": service,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kpis": [k.as_json() for k in kpis],
    }


# ---------------------------------------------------------------------------------------
# Computation


def compute(data: KpiData, start: date, end: date) -> dict[str, list[Kpi]]:
    """The ten KPIs of every service in ``data`` for the period ``start`` to ``end``
    (inclusive), by service name, in KPI order."""
    if end < start:
        raise ValueError("The period ends before it starts")
    n = len(data.services)
    s0, s1 = day_number(start), day_number(end)
    iv = data.interventions
    ending = (iv.end >= s0) & (iv.end <= s1)
    in_custody = ending & (iv.end_reason == END_REASONS.index("custody"))
    # KPIs 1-5 and 8: each child once, at the latest intervention ending in the period in
    # the community or on release from custody.
    last = _latest_per_child(iv, ending & ~in_custody)
    # KPI 6: each child once, at the latest out-of-court disposal ending in the period.
    oocd_codes = [INTERVENTION_TYPES.index(t) for t in OUT_OF_COURT]
    oocd = _latest_per_child(
        iv,
        ending & np.isin(iv.kind, oocd_codes) & (iv.end_reason != END_REASONS.index("transferred")),
    )
    transferred_oocd = _count(
        iv.service,
        ending & np.isin(iv.kind, oocd_codes) & (iv.end_reason == END_REASONS.index("transferred")),
        n,
    )
    per_kpi: list[list[Kpi]] = [
        _suitability(1, iv, last, iv.accommodation, "accommodation", n, in_custody),
        _suitability(2, iv, last, iv.ete, "education, training or employment", n, in_custody),
        _send(iv, last, n, in_custody),
        _needs(4, iv, last, iv.mental_health, "mental health or emotional wellbeing", n),
        _needs(5, iv, last, iv.substance_misuse, "substance misuse", n),
        _out_of_court(iv, oocd, transferred_oocd, n),
        [_board(data.boards[i] if i < len(data.boards) else None, start, end) for i in range(n)],
        _wider(iv, last, n, in_custody),
        _serious_violence(data, s0, s1, n),
        _victims(data.victims, s0, s1, n),
    ]
    result: dict[str, list[Kpi]] = {}
    for i, name in enumerate(data.services):
        kpis = [column[i] for column in per_kpi]
        result[name] = [_missing(k, data.held[i]) for k in kpis]
    return result


def compute_one(data: KpiData, start: date, end: date) -> list[Kpi]:
    """The ten KPIs of the only service in ``data``."""
    if len(data.services) != 1:
        raise ValueError("compute_one needs the data of exactly one service")
    return compute(data, start, end)[data.services[0]]


_NEEDS_RECORD = {
    1: "interventions",
    2: "interventions",
    3: "interventions",
    4: "interventions",
    5: "interventions",
    6: "interventions",
    8: "interventions",
    9: "gravity",
    10: "victims",
}
_MISSING_NOTE = {
    "interventions": "No interventions are held for this service: load interventions.csv "
    "with the case records to compute this KPI.",
    "gravity": "No offence has a gravity score: load offences.csv with its gravity_score "
    "column to compute this KPI.",
    "victims": "No victims are held for this service: load victims.csv with the case "
    "records to compute this KPI.",
}


def _missing(kpi: Kpi, held: frozenset[str]) -> Kpi:
    """A KPI whose records are not held at all: no figures (never 0) and a note."""
    need = _NEEDS_RECORD.get(kpi.number)
    if need is None or need in held:
        return kpi
    return Kpi(
        kpi.number,
        None,
        None,
        tuple(SubMeasure(s.slug, s.label, None, None) for s in kpi.sub_measures),
        (_MISSING_NOTE[need],),
        kpi.rate_per,
        kpi.rate_label,
    )


def _latest_per_child(iv: Interventions, mask: np.ndarray) -> np.ndarray:
    """Row indexes of each child's latest-ending intervention among ``mask`` (ties: the
    later start, then the later row)."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return rows
    order = np.lexsort((rows, iv.start[rows], iv.end[rows], iv.child[rows]))
    ordered = rows[order]
    child = iv.child[ordered]
    keep = np.ones(len(ordered), dtype=bool)
    keep[:-1] = child[1:] != child[:-1]
    return ordered[keep]


def _count(service: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """How many rows of each service satisfy ``mask``."""
    return np.bincount(service[mask], minlength=n)[:n] if n else np.zeros(0, dtype=np.int64)


def _rows_count(service: np.ndarray, rows: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """How many of ``rows`` of each service satisfy ``mask`` (evaluated on those rows)."""
    return np.bincount(service[rows][mask], minlength=n)[:n]


# Sub-measures for every service at once: (slug, label, count by service, denominator by
# service), in the order they are listed.
SubMeasureTable = list[tuple[str, str, np.ndarray, np.ndarray]]


def _sub_measures(table: SubMeasureTable, i: int) -> tuple[SubMeasure, ...]:
    """The sub-measures of service ``i``, one for each row of ``table``."""
    return tuple(SubMeasure(slug, label, int(c[i]), int(d[i])) for slug, label, c, d in table)


def _kpis(
    number: int,
    numerator: np.ndarray,
    denominator: np.ndarray,
    table: SubMeasureTable,
    notes: list[tuple[str, ...]],
) -> list[Kpi]:
    """KPI ``number`` of each service: its numerator, denominator, sub-measures and notes."""
    return [
        Kpi(number, int(numerator[i]), int(denominator[i]), _sub_measures(table, i), notes[i])
        for i in range(len(notes))
    ]


def _status_counts(
    service: np.ndarray, last: np.ndarray, status: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of the children's ``last`` rows, by service: how many have a status known (not 0),
    how many not known, and how many there are."""
    return (
        _rows_count(service, last, status != 0, n),
        _rows_count(service, last, status == 0, n),
        _rows_count(service, last, np.ones(len(last), dtype=bool), n),
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _custody_note(count: int) -> tuple[str, ...]:
    if not count:
        return ()
    return (
        f"{_plural(count, 'intervention', 'interventions')} ended with the child going into "
        "custody: left out (this KPI is of children in the community or released from "
        "custody).",
    )


def _unknown_note(count: int, what: str) -> tuple[str, ...]:
    if not count:
        return ()
    return (
        f"{_plural(count, 'child', 'children')} had no {what} status recorded at the end: "
        "counted as not known and left out of the denominator (never as 'no').",
    )


def _empty_note(denominator: int, what: str) -> tuple[str, ...]:
    if denominator:
        return ()
    return (f"No {what} in the period: there is no percentage.",)


def _suitability(
    number: int,
    iv: Interventions,
    last: np.ndarray,
    status: np.ndarray,
    what: str,
    n: int,
    in_custody: np.ndarray,
) -> list[Kpi]:
    """KPIs 1 and 2: suitable at the end, of the children whose status is known."""
    st = status[last]
    service = iv.service
    suitable = _rows_count(service, last, st == 1, n)
    known, unknown, all_ending = _status_counts(service, last, st, n)
    custody = _count(service, in_custody, n)
    kind = iv.kind[last]
    table: SubMeasureTable = []
    for slug, label, types in INTERVENTION_GROUPS:
        in_group = np.isin(kind, [INTERVENTION_TYPES.index(t) for t in types])
        table.append(
            (
                f"{slug}_suitable",
                f"{label}: suitable",
                _rows_count(service, last, in_group & (st == 1), n),
                _rows_count(service, last, in_group & (st != 0), n),
            )
        )
    table.append(("not_known", "Status not known", unknown, all_ending))
    notes = [
        _custody_note(int(custody[i]))
        + _unknown_note(int(unknown[i]), what)
        + _empty_note(int(known[i]), f"children with a known {what} status at the end")
        for i in range(n)
    ]
    return _kpis(number, suitable, known, table, notes)


def _send(iv: Interventions, last: np.ndarray, n: int, in_custody: np.ndarray) -> list[Kpi]:
    """KPI 3: a formal plan (EHCP or IDP) in place, of the children with an identified
    SEND/ALN need whose plan status is known."""
    service = iv.service
    need, plan, ete = iv.send_need[last], iv.send_plan[last], iv.ete[last]
    with_need = need == YES
    need_known = _rows_count(service, last, need != 0, n)
    need_count = _rows_count(service, last, with_need, n)
    plan_known = _rows_count(service, last, with_need & (plan != 0), n)
    plan_yes = _rows_count(service, last, with_need & (plan == YES), n)
    ete_known = _rows_count(service, last, with_need & (ete != 0), n)
    ete_yes = _rows_count(service, last, with_need & (ete == 1), n)
    need_unknown = _rows_count(service, last, need == 0, n)
    plan_unknown = _rows_count(service, last, with_need & (plan == 0), n)
    all_ending = _rows_count(service, last, np.ones(len(last), dtype=bool), n)
    custody = _count(service, in_custody, n)
    table: SubMeasureTable = [
        ("need_identified", "Identified SEND/ALN need", need_count, need_known),
        ("formal_plan", "Of those, formal plan in place", plan_yes, plan_known),
        ("suitable_ete", "Of those with a need, in suitable ETE", ete_yes, ete_known),
        ("not_known", "SEND/ALN not known", need_unknown, all_ending),
    ]
    notes = []
    for i in range(n):
        note = _custody_note(int(custody[i])) + _unknown_note(int(need_unknown[i]), "SEND/ALN")
        if plan_unknown[i]:
            note += (
                f"{_plural(int(plan_unknown[i]), 'child', 'children')} with an identified "
                "need had no plan status recorded: left out of the denominator.",
            )
        notes.append(
            note + _empty_note(int(plan_known[i]), "children with an identified SEND/ALN need")
        )
    return _kpis(3, plan_yes, plan_known, table, notes)


def _needs(
    number: int, iv: Interventions, last: np.ndarray, stage: np.ndarray, what: str, n: int
) -> list[Kpi]:
    """KPIs 4 and 5: need identified (of the children whose status is known); of those,
    an intervention planned or offered; of those, attended."""
    service = iv.service
    st = stage[last]
    known, unknown, all_ending = _status_counts(service, last, st, n)
    need = _rows_count(service, last, st >= 2, n)
    offered = _rows_count(service, last, st >= 3, n)
    attended = _rows_count(service, last, st >= 4, n)
    table: SubMeasureTable = [
        ("need_identified", "Screened or identified need", need, known),
        ("intervention_offered", "Of those, intervention planned or offered", offered, need),
        ("intervention_attended", "Of those, attended", attended, offered),
        ("not_known", "Status not known", unknown, all_ending),
    ]
    notes = [
        _unknown_note(int(unknown[i]), what)
        + _empty_note(int(known[i]), f"children with a known {what} status at the end")
        for i in range(n)
    ]
    return _kpis(number, need, known, table, notes)


def _out_of_court(
    iv: Interventions, oocd: np.ndarray, transferred: np.ndarray, n: int
) -> list[Kpi]:
    """KPI 6: out-of-court disposals completed, of those ending with a known outcome."""
    service = iv.service
    reason = iv.end_reason[oocd]
    kind = iv.kind[oocd]
    completed = _rows_count(service, oocd, reason == END_REASONS.index("completed"), n)
    known = _rows_count(service, oocd, reason != 0, n)
    unknown = _rows_count(service, oocd, reason == 0, n)
    table: SubMeasureTable = []
    for name in OUT_OF_COURT:
        code = INTERVENTION_TYPES.index(name)
        table.append(
            (
                f"{name}_completed",
                f"{INTERVENTION_LABELS[name]}: completed",
                _rows_count(
                    service, oocd, (kind == code) & (reason == END_REASONS.index("completed")), n
                ),
                _rows_count(service, oocd, (kind == code) & (reason != 0), n),
            )
        )
    notes = []
    for i in range(n):
        note: tuple[str, ...] = ()
        if transferred[i]:
            note += (
                f"{_plural(int(transferred[i]), 'disposal', 'disposals')} transferred to "
                "another service: left out.",
            )
        if unknown[i]:
            note += (
                f"{_plural(int(unknown[i]), 'child', 'children')}'s disposal ended with no "
                "reason recorded: not known, left out of the denominator.",
            )
        notes.append(note + _empty_note(int(known[i]), "out-of-court disposals ended"))
    return _kpis(6, completed, known, table, notes)


def _wider(iv: Interventions, last: np.ndarray, n: int, in_custody: np.ndarray) -> list[Kpi]:
    """KPI 8: children known to wider services (early help, child in need, child
    protection, looked after) at the end, of those whose status is known."""
    service = iv.service
    st = iv.wider_services[last]
    known, unknown, all_ending = _status_counts(service, last, st, n)
    any_service = _rows_count(service, last, st >= 2, n)
    custody = _count(service, in_custody, n)
    table: SubMeasureTable = [
        (name, label, _rows_count(service, last, st == WIDER_SERVICES.index(name), n), known)
        for name, label in WIDER_SERVICE_LABELS.items()
    ]
    table.append(("not_known", "Status not known", unknown, all_ending))
    notes = [
        _custody_note(int(custody[i]))
        + _unknown_note(int(unknown[i]), "wider services")
        + _empty_note(int(known[i]), "children with a known wider services status")
        for i in range(n)
    ]
    return _kpis(8, any_service, known, table, notes)


def _serious_violence(data: KpiData, s0: int, s1: int, n: int) -> list[Kpi]:
    """KPI 9: children with a serious violent offence proven in the period, per 10,000 of
    the 10-17 population."""
    off = data.offences
    in_period = (off.outcome_day >= s0) & (off.outcome_day <= s1)
    serious = in_period & off.violent_category & (off.gravity >= SERIOUS_VIOLENCE_GRAVITY)
    gravity_unknown = in_period & off.violent_category & (off.gravity == 0)
    sv_children = _distinct_children(off.service, off.child, serious, n)
    proven_children = _distinct_children(off.service, off.child, in_period, n)
    sv_offences = _count(off.service, serious, n)
    unknown = _count(off.service, gravity_unknown, n)
    out = []
    for i in range(n):
        population = data.population[i] if i < len(data.population) else None
        notes: tuple[str, ...] = ()
        if population is None:
            notes += (
                "The 10-17 population for the period is not loaded: there is no rate. "
                "Load population.csv.",
            )
        if unknown[i]:
            notes += (
                f"{_plural(int(unknown[i]), 'proven offence', 'proven offences')} in the "
                "serious violence categories had no gravity score: not known, not counted.",
            )
        out.append(
            Kpi(
                9,
                int(sv_children[i]),
                population,
                (
                    SubMeasure(
                        "share_of_proven",
                        "Share of the children with an offence proven in the period",
                        int(sv_children[i]),
                        int(proven_children[i]),
                    ),
                    SubMeasure(
                        "serious_violent_offences",
                        "Serious violent offences proven",
                        int(sv_offences[i]),
                        None,
                    ),
                ),
                notes,
                rate_per=10_000,
                rate_label="per 10,000 aged 10-17",
            )
        )
    return out


def _distinct_children(
    service: np.ndarray, child: np.ndarray, mask: np.ndarray, n: int
) -> np.ndarray:
    """How many different children of each service have a row satisfying ``mask``."""
    if not mask.any():
        return np.zeros(n, dtype=np.int64)
    # A child belongs to one service: the service of the child's first row.
    _children, first = np.unique(child[mask], return_index=True)
    return np.bincount(service[mask][first], minlength=n)[:n]


# KPI 10's sub-measures after consent, in order: (slug, label, the column that must
# also say yes for a victim to count, if any, the column answered).
VICTIM_STEPS: tuple[tuple[str, str, str | None, str], ...] = (
    ("views_sought", "Of those, views sought before the decision or plan", None, "views_sought"),
    ("rj_offered", "Of those consenting, restorative justice offered", None, "rj_offered"),
    (
        "rj_participated",
        "Of those offered, took part in restorative justice",
        "rj_offered",
        "rj_participated",
    ),
    (
        "progress_info_given",
        "Given the progress information they asked for",
        "progress_info_requested",
        "progress_info_given",
    ),
    ("support_info_given", "Given information about support services", None, "support_info_given"),
)


def _victims(v: Victims, s0: int, s1: int, n: int) -> list[Kpi]:
    """KPI 10: victims who consented to contact, of those whose consent is known; of
    those, views sought, restorative justice offered and taken part in, information
    given."""
    p = (v.contact_day >= s0) & (v.contact_day <= s1)
    consented = p & (v.consented_to_contact == YES)
    known = _count(v.service, p & (v.consented_to_contact != 0), n)
    unknown = _count(v.service, p & (v.consented_to_contact == 0), n)
    everyone = _count(v.service, p, n)
    consent_yes = _count(v.service, consented, n)
    table: SubMeasureTable = [("consented", "Consented to contact", consent_yes, known)]
    # Each step counts those consenting (who said yes to its condition, if it has one).
    for slug, label, condition, column in VICTIM_STEPS:
        base = consented if condition is None else consented & (getattr(v, condition) == YES)
        answer = getattr(v, column)
        table.append(
            (
                slug,
                label,
                _count(v.service, base & (answer == YES), n),
                _count(v.service, base & (answer != 0), n),
            )
        )
    table.append(("not_known", "Consent not known", unknown, everyone))
    notes = []
    for i in range(n):
        note: tuple[str, ...] = ()
        if unknown[i]:
            note += (
                f"{_plural(int(unknown[i]), 'victim', 'victims')} had no consent recorded: "
                "not known, left out of the denominator.",
            )
        notes.append(note + _empty_note(int(known[i]), "victims with a known consent"))
    return _kpis(10, consent_yes, known, table, notes)


def _board(record: BoardRecord | None, start: date, end: date) -> Kpi:
    """KPI 7: statutory partners' attendance at the right seniority at the management
    board's meetings held in the period, out of (meetings x statutory partners)."""
    if record is None or record.board is None:
        return Kpi(
            7,
            None,
            None,
            (),
            (
                "No youth justice management board is recorded in Saferboard for this "
                "service's partnership: add the board and its meetings' attendance "
                "(Meetings) to compute this KPI.",
            ),
        )
    meetings = [m for m in record.meetings if start <= m.day <= end]
    if not meetings:
        return Kpi(
            7,
            None,
            None,
            (),
            (
                f"{record.board} held no meeting with attendance recorded in the period: "
                "there is nothing to compute.",
            ),
        )
    held = len(meetings)
    subs: list[SubMeasure] = []
    senior_total = 0
    notes: list[str] = []
    for slug, label, _types in STATUTORY_PARTNERS:
        senior = sum(1 for m in meetings if slug in m.senior)
        anyone = sum(1 for m in meetings if slug in m.attended)
        seated = sum(1 for m in meetings if slug in m.seated)
        senior_total += senior
        subs.append(SubMeasure(f"{slug}_senior", f"{label}: at the right seniority", senior, held))
        subs.append(SubMeasure(f"{slug}_any", f"{label}: anyone present", anyone, held))
        if seated < held:
            notes.append(
                f"{label} had no seat on the board at "
                f"{_plural(held - seated, 'meeting', 'meetings')}: counted as not attending."
            )
    return Kpi(
        7,
        senior_total,
        held * len(STATUTORY_PARTNERS),
        tuple(subs),
        (f"{_plural(held, 'meeting', 'meetings')} of {record.board} held in the period.", *notes),
    )


RETURN_HEADER: tuple[str, ...] = (
    "yjs",
    "period_start",
    "period_end",
    "kpi",
    "kpi_name",
    "measure",
    "description",
    "numerator",
    "denominator",
    "percentage",
    "rate",
)


def return_rows(service: str, start: date, end: date, kpis: Sequence[Kpi]) -> list[list[Any]]:
    """The quarterly return: one row per KPI headline and per sub-measure, in the
    long layout described in docs/youth-justice-data.md (blank cells for no figure)."""

    def cell(value: float | int | None, digits: int | None = None) -> Any:
        if value is None:
            return ""
        return round(value, digits) if digits is not None else value

    rows: list[list[Any]] = []
    for k in kpis:
        rows.append(
            [
                service,
                start.isoformat(),
                end.isoformat(),
                k.number,
                k.title,
                "headline",
                k.title,
                cell(k.numerator),
                cell(k.denominator),
                cell(k.percentage, 1),
                cell(k.rate, 2),
            ]
        )
        for s in k.sub_measures:
            rows.append(
                [
                    service,
                    start.isoformat(),
                    end.isoformat(),
                    k.number,
                    k.title,
                    s.slug,
                    s.label,
                    cell(s.count),
                    cell(s.denominator),
                    cell(s.percentage, 1),
                    "",
                ]
            )
    return rows
