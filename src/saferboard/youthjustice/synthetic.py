"""Synthetic youth justice case records: deterministic, vectorised, clearly fictional.

Used by the demo (one London-sized service) and by the national benchmark (about 150
services, 200,000 children, 1.5 million offences). Every record is invented from a
seeded random generator; no real child is behind any row.

The records the 2023 KPIs need (offences' gravity scores, interventions with the
child's circumstances at their end, victims and what was offered to them) come from a
second generator seeded from the same seed, so adding them changed none of the
children, outcomes and offences made before.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from saferboard.youthjustice.definitions import (
    CUSTODIAL,
    ETHNICITIES,
    OUTCOME_TYPES,
)

if TYPE_CHECKING:
    from saferboard.youthjustice.kpis2023 import KpiData

EPOCH = np.datetime64("1970-01-01", "D")

OFFENCE_TYPES = (
    "Violence against the person",
    "Theft and handling",
    "Drugs",
    "Criminal damage",
    "Public order",
    "Robbery",
    "Motoring offences",
    "Burglary",
    "Sexual offences",
    "Other",
)
OFFENCE_WEIGHTS = (0.30, 0.14, 0.13, 0.09, 0.08, 0.07, 0.07, 0.05, 0.02, 0.05)
BREACH_TYPE = "Breach of statutory order"

ETHNICITY_WEIGHTS = (0.47, 0.22, 0.12, 0.13, 0.04, 0.02)  # White … Unknown

# Outcome type by how many outcomes the child has had before (0, 1, 2+): weights over
# OUTCOME_TYPES in schema order.
_FIRST = (0.30, 0.08, 0.22, 0.10, 0.01, 0.03, 0.02, 0.19, 0.045, 0.003, 0.001, 0.001)
_SECOND = (0.12, 0.05, 0.10, 0.12, 0.01, 0.05, 0.04, 0.26, 0.234, 0.01, 0.004, 0.002)
_LATER = (0.05, 0.04, 0.02, 0.05, 0.01, 0.06, 0.06, 0.22, 0.422, 0.045, 0.015, 0.008)


@dataclass(frozen=True)
class ServiceSpec:
    """One synthetic service: its name, how many children, and its 10-17 population."""

    name: str
    children: int
    population_per_age: int


@dataclass(frozen=True)
class SyntheticExport:
    """A case-management export as tables with raw (synthetic) identifiers."""

    children: pa.Table
    outcomes: pa.Table
    offences: pa.Table
    population: pa.Table
    population_ethnicity: pa.Table
    data_to: date
    interventions: pa.Table | None = None
    victims: pa.Table | None = None

    def write_csv(self, folder: Path) -> None:
        """Write the five CSV files of the input schema (docs/youth-justice-data.md)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in (
            "children",
            "outcomes",
            "offences",
            "population",
            "population_ethnicity",
            "interventions",
            "victims",
        ):
            table: pa.Table | None = getattr(self, name)
            if table is None:
                continue
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(table.column_names)
                for row in zip(*columns, strict=True):
                    writer.writerow(["" if v is None else _csv_value(v) for v in row])


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _days(day: date) -> int:
    return int((np.datetime64(day, "D") - EPOCH).astype(int))


def _to_date32(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("int32"), type=pa.int32()).cast(pa.date32())


def generate(
    services: list[ServiceSpec],
    start: date,
    end: date,
    seed: int = 20240401,
    *,
    offences_per_child: float = 7.5,
    decline_per_year: float = 0.0,
) -> SyntheticExport:
    """Generate children, outcomes and offences between ``start`` and ``end``.

    ``decline_per_year`` thins children whose first offence is later, so a demo shows the
    long fall in entrants that real services saw.
    """
    rng = np.random.default_rng(seed)
    s0, s1 = _days(start), _days(end)
    span = s1 - s0

    # Children ---------------------------------------------------------------------
    n = sum(s.children for s in services)
    service_idx = np.repeat(np.arange(len(services)), [s.children for s in services])
    # First offence between ages 10 and 17, on a day inside the window.
    first_day = s0 + rng.integers(0, span, n)
    if decline_per_year:
        keep_p = (1 - decline_per_year) ** ((first_day - s0) / 365.25)
        redraw = rng.random(n) > keep_p
        first_day[redraw] = s0 + (rng.random(redraw.sum()) ** 2.2 * span).astype(int)
    age_days = (rng.uniform(10.05, 17.9, n) * 365.25).astype(int)
    dob = first_day - age_days
    sex = np.where(rng.random(n) < 0.83, "Male", "Female").astype("<U7")
    sex[rng.random(n) < 0.005] = "Unknown"
    ethnicity = rng.choice(np.array(ETHNICITIES), n, p=ETHNICITY_WEIGHTS)
    looked_after = rng.random(n) < 0.11
    child_ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 7))

    # Offences ---------------------------------------------------------------------
    per_child = rng.negative_binomial(1.2, 1.2 / (1.2 + offences_per_child - 1), n) + 1
    m = int(per_child.sum())
    owner = np.repeat(np.arange(n), per_child)
    starts = np.cumsum(per_child) - per_child
    position = np.arange(m) - np.repeat(starts, per_child)
    gaps = rng.exponential(75.0, m).astype(int) + 1
    gaps[position == 0] = 0
    cum = np.cumsum(gaps)
    cum -= np.repeat(cum[starts], per_child)
    offence_day = first_day[owner] + cum
    keep = offence_day <= s1
    is_breach = (rng.random(m) < 0.05) & (position > 0)
    offence_type = rng.choice(np.array(OFFENCE_TYPES), m, p=OFFENCE_WEIGHTS)
    offence_type = np.where(is_breach, BREACH_TYPE, offence_type)

    # Outcomes: proven offences grouped into outcomes in order --------------------
    proven = rng.random(m) < 0.86

    def within(values: np.ndarray) -> np.ndarray:
        # Inclusive running total within each child.
        total = np.cumsum(values)
        running: np.ndarray = total - np.repeat(total[starts] - values[starts], per_child)
        return running

    proven_rank = within(proven.astype(np.int64))
    new_group = proven & ((proven_rank == 1) | (rng.random(m) < 0.72))
    group_in_child = within(new_group.astype(np.int64))
    group_key = owner.astype(np.int64) * 10_000 + group_in_child
    delay = rng.exponential(55.0, m).astype(int) + 7
    candidate = np.where(proven, offence_day + delay, -1)
    uniq, inverse = np.unique(np.where(proven, group_key, -1), return_inverse=True)
    outcome_day_by_group = np.full(len(uniq), -1, dtype=np.int64)
    np.maximum.at(outcome_day_by_group, inverse, candidate)
    real_groups = uniq >= 0
    # An offence whose outcome would fall after the extract is still unproven.
    group_ok = real_groups & (outcome_day_by_group <= s1)
    offence_group = np.where(proven & group_ok[inverse] & keep, inverse, -1)
    used = np.unique(offence_group[offence_group >= 0])
    n_out = len(used)
    group_to_outcome = np.full(len(uniq), -1, dtype=np.int64)
    group_to_outcome[used] = np.arange(n_out)
    outcome_of_offence = np.where(offence_group >= 0, group_to_outcome[offence_group], -1)
    outcome_child = (uniq[used] // 10_000).astype(np.int64)
    outcome_seq = (uniq[used] % 10_000).astype(np.int64) - 1
    outcome_day = outcome_day_by_group[used]
    u = rng.random(n_out)
    cumulative = {
        0: np.cumsum(_FIRST) / sum(_FIRST),
        1: np.cumsum(_SECOND) / sum(_SECOND),
        2: np.cumsum(_LATER) / sum(_LATER),
    }
    type_idx = np.empty(n_out, dtype=np.int64)
    for level in (0, 1, 2):
        mask = np.minimum(outcome_seq, 2) == level
        type_idx[mask] = np.searchsorted(cumulative[level], u[mask], side="right")
    type_idx = np.minimum(type_idx, len(OUTCOME_TYPES) - 1)
    outcome_type = np.array(OUTCOME_TYPES)[type_idx]
    custodial = np.isin(outcome_type, np.array(CUSTODIAL))
    release_day = outcome_day + rng.integers(60, 540, n_out)
    has_release = custodial & (release_day <= s1)

    # Tables -------------------------------------------------------------------------
    outcome_ids = np.char.add("O", np.char.zfill(np.arange(1, n_out + 1).astype(str), 8))
    off_mask = keep
    off_idx = np.nonzero(off_mask)[0]
    offence_ids = np.char.add("F", np.char.zfill(np.arange(1, len(off_idx) + 1).astype(str), 8))
    off_outcome = outcome_of_offence[off_idx]
    off_outcome_id = pa.array(
        [None if k < 0 else outcome_ids[k] for k in off_outcome.tolist()], type=pa.string()
    )
    children = pa.table(
        {
            "child_id": pa.array(child_ids.tolist()),
            "date_of_birth": _to_date32(dob),
            "sex": pa.array(sex.tolist()),
            "ethnicity": pa.array(ethnicity.tolist()),
            "service": pa.array([services[i].name for i in service_idx.tolist()]),
            "looked_after": pa.array(looked_after.tolist()),
        }
    )
    release = pa.array(
        [
            int(d) if r else None
            for d, r in zip(release_day.tolist(), has_release.tolist(), strict=True)
        ],
        type=pa.int32(),
    ).cast(pa.date32())
    outcomes = pa.table(
        {
            "outcome_id": pa.array(outcome_ids.tolist()),
            "child_id": pa.array(child_ids[outcome_child].tolist()),
            "outcome_date": _to_date32(outcome_day),
            "outcome_type": pa.array(outcome_type.tolist()),
            "release_date": release,
        }
    )
    offences = pa.table(
        {
            "offence_id": pa.array(offence_ids.tolist()),
            "child_id": pa.array(child_ids[owner[off_idx]].tolist()),
            "offence_date": _to_date32(offence_day[off_idx]),
            "offence_type": pa.array(offence_type[off_idx].tolist()),
            "is_breach": pa.array(is_breach[off_idx].tolist()),
            "outcome_id": off_outcome_id,
        }
    )
    population = _population(services, start.year, end.year, rng)
    # The 2023 KPI records, from their own generator (the records above are unchanged).
    kpi_rng = np.random.default_rng([seed, 2023])
    offences = offences.append_column("gravity_score", _gravity(kpi_rng, offence_type[off_idx]))
    interventions = _interventions(
        kpi_rng,
        child_ids,
        looked_after,
        first_day,
        outcome_child,
        outcome_day,
        outcome_type,
        np.where(has_release, release_day, -1),
        s1,
    )
    victims = _victims(
        kpi_rng,
        child_ids[owner[off_idx]],
        offence_ids,
        offence_type[off_idx],
        np.where(off_outcome >= 0, outcome_day[np.maximum(off_outcome, 0)], -1),
        s1,
    )
    return SyntheticExport(
        children=children,
        outcomes=outcomes,
        offences=offences,
        population=population[0],
        population_ethnicity=population[1],
        data_to=end,
        interventions=interventions,
        victims=victims,
    )


# Gravity scores (1-8) by offence category: (lowest, highest) drawn uniformly.
_GRAVITY = {
    "Violence against the person": (3, 6),
    "Theft and handling": (2, 3),
    "Drugs": (2, 6),
    "Criminal damage": (2, 3),
    "Public order": (2, 3),
    "Robbery": (5, 7),
    "Motoring offences": (1, 3),
    "Burglary": (4, 6),
    "Sexual offences": (5, 7),
    "Other": (2, 4),
    BREACH_TYPE: (3, 3),
}
# Intervention type of each outcome type (None: no intervention follows it) and its
# length in days (lowest, highest).
_INTERVENTION_OF = {
    "community_resolution": ("community_resolution", 60, 120),
    "youth_caution": ("youth_caution", 60, 120),
    "youth_conditional_caution": ("youth_conditional_caution", 90, 150),
    "referral_order": ("referral_order", 90, 365),
    "youth_rehabilitation_order": ("youth_rehabilitation_order", 180, 730),
}
# Status vocabularies and their weights (the first entry, "", is not known).
_STATUS_WEIGHTS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "end_reason": (
        ("", "completed", "not_completed", "custody", "transferred"),
        (0.04, 0.80, 0.09, 0.05, 0.02),
    ),
    "accommodation": (("", "suitable", "unsuitable"), (0.05, 0.88, 0.07)),
    "ete": (("", "suitable", "unsuitable"), (0.07, 0.65, 0.28)),
    "send_need": (("", "yes", "no"), (0.08, 0.30, 0.62)),
    "send_plan": (("", "yes", "no"), (0.10, 0.55, 0.35)),
    "mental_health": (
        ("", "no_need", "need_identified", "intervention_offered", "intervention_attended"),
        (0.08, 0.45, 0.12, 0.13, 0.22),
    ),
    "substance_misuse": (
        ("", "no_need", "need_identified", "intervention_offered", "intervention_attended"),
        (0.08, 0.60, 0.10, 0.09, 0.13),
    ),
    "wider_services": (
        ("", "none", "early_help", "child_in_need", "child_protection", "looked_after"),
        (0.12, 0.50, 0.15, 0.13, 0.06, 0.04),
    ),
}
_VICTIM_TYPES = (
    "Violence against the person",
    "Robbery",
    "Burglary",
    "Theft and handling",
    "Criminal damage",
    "Sexual offences",
)


def _gravity(rng: np.random.Generator, offence_type: np.ndarray) -> pa.Array:
    types, which = np.unique(offence_type, return_inverse=True)
    bounds = np.array([_GRAVITY.get(t, _GRAVITY["Other"]) for t in types.tolist()]).reshape(-1, 2)
    low, high = bounds[which, 0], bounds[which, 1]
    score = low + (rng.random(len(which)) * (high - low + 1)).astype(int)
    unknown = rng.random(len(which)) < 0.03  # a few offences have no gravity recorded
    return pa.array(score, type=pa.int64(), mask=unknown)


def _pick(rng: np.random.Generator, column: str, n: int) -> np.ndarray:
    words, weights = _STATUS_WEIGHTS[column]
    return rng.choice(np.array(words, dtype=object), n, p=np.array(weights) / sum(weights))


def _interventions(
    rng: np.random.Generator,
    child_ids: np.ndarray,
    looked_after: np.ndarray,
    first_day: np.ndarray,
    outcome_child: np.ndarray,
    outcome_day: np.ndarray,
    outcome_type: np.ndarray,
    release_day: np.ndarray,
    s1: int,
) -> pa.Table:
    """One intervention per out-of-court disposal, community order and custodial
    sentence, and prevention work before the first offence for a fifth of the children;
    the circumstances at the end drawn for those that ended by ``s1``."""
    kinds, starts, ends, owners = [], [], [], []
    length_u = rng.random(len(outcome_type))
    for name, (kind_name, low, high) in _INTERVENTION_OF.items():
        mask = outcome_type == name
        kinds.append(np.full(int(mask.sum()), kind_name, dtype=object))
        starts.append(outcome_day[mask])
        ends.append(outcome_day[mask] + low + (length_u[mask] * (high - low)).astype(int))
        owners.append(outcome_child[mask])
    custodial = np.isin(outcome_type, np.array(CUSTODIAL))
    kinds.append(np.full(int(custodial.sum()), "custodial_sentence", dtype=object))
    starts.append(outcome_day[custodial])
    ends.append(np.where(release_day[custodial] >= 0, release_day[custodial], s1 + 1))
    owners.append(outcome_child[custodial])
    prevention = np.flatnonzero(rng.random(len(child_ids)) < 0.2)
    kinds.append(np.full(len(prevention), "prevention", dtype=object))
    lead = rng.integers(90, 240, len(prevention))
    starts.append(first_day[prevention] - lead)
    ends.append(first_day[prevention] - lead + rng.integers(60, 180, len(prevention)))
    owners.append(prevention)
    kind = np.concatenate(kinds)
    start = np.concatenate(starts).astype(np.int64)
    end = np.concatenate(ends).astype(np.int64)
    owner = np.concatenate(owners).astype(np.int64)
    n = len(kind)
    ended = end <= s1
    status = {column: _pick(rng, column, n) for column in _STATUS_WEIGHTS}
    # A child released from custody did not end it in custody; prevention is not an order.
    status["end_reason"][(kind == "custodial_sentence") & (status["end_reason"] == "custody")] = (
        "completed"
    )
    status["end_reason"][(kind == "prevention") & (status["end_reason"] == "custody")] = "completed"
    status["send_plan"][status["send_need"] != "yes"] = ""
    status["wider_services"][looked_after[owner] & (status["wider_services"] != "")] = (
        "looked_after"
    )
    columns: dict[str, list[object]] = {}
    for column, values in status.items():
        values[~ended] = ""
        columns[column] = values.tolist()
    ids = np.char.add("I", np.char.zfill(np.arange(1, n + 1).astype(str), 8))
    return pa.table(
        {
            "intervention_id": pa.array(ids.tolist()),
            "child_id": pa.array(child_ids[owner].tolist()),
            "intervention_type": pa.array(kind.tolist()),
            "start_date": _to_date32(start),
            "end_date": pa.array(end.astype(np.int32), type=pa.int32(), mask=~ended).cast(
                pa.date32()
            ),
            **{
                column: pa.array(columns[column], type=pa.string())
                for column in (
                    "end_reason",
                    "accommodation",
                    "ete",
                    "send_need",
                    "send_plan",
                    "mental_health",
                    "substance_misuse",
                    "wider_services",
                )
            },
        }
    )


def _victims(
    rng: np.random.Generator,
    offence_child: np.ndarray,
    offence_ids: np.ndarray,
    offence_type: np.ndarray,
    outcome_day: np.ndarray,
    s1: int,
) -> pa.Table:
    """A victim for most proven offences against a person or property, contacted a few
    weeks after the outcome, and what was offered to them."""
    contact = outcome_day + rng.integers(5, 30, len(offence_type))
    chosen = (
        np.isin(offence_type, np.array(_VICTIM_TYPES))
        & (outcome_day >= 0)
        & (contact <= s1)
        & (rng.random(len(offence_type)) < 0.6)
    )
    rows = np.flatnonzero(chosen)
    n = len(rows)

    def answer(yes: float, no: float) -> np.ndarray:
        u = rng.random(n)
        return np.where(u < yes, "yes", np.where(u < yes + no, "no", "")).astype(object)

    consented = answer(0.55, 0.35)
    views, offered = answer(0.80, 0.15), answer(0.70, 0.25)
    took_part = answer(0.35, 0.55)
    requested, given, support = answer(0.40, 0.55), answer(0.85, 0.10), answer(0.85, 0.10)
    silent = consented != "yes"
    for column in (views, offered, took_part, support):
        column[silent] = ""
    took_part[offered != "yes"] = ""
    given[requested != "yes"] = ""
    ids = np.char.add("V", np.char.zfill(np.arange(1, n + 1).astype(str), 8))
    return pa.table(
        {
            "victim_id": pa.array(ids.tolist()),
            "child_id": pa.array(offence_child[rows].tolist()),
            "offence_id": pa.array(offence_ids[rows].tolist()),
            "contact_date": _to_date32(contact[rows]),
            "consented_to_contact": pa.array(consented.tolist(), type=pa.string()),
            "views_sought": pa.array(views.tolist(), type=pa.string()),
            "rj_offered": pa.array(offered.tolist(), type=pa.string()),
            "rj_participated": pa.array(took_part.tolist(), type=pa.string()),
            "progress_info_requested": pa.array(requested.tolist(), type=pa.string()),
            "progress_info_given": pa.array(given.tolist(), type=pa.string()),
            "support_info_given": pa.array(support.tolist(), type=pa.string()),
        }
    )


def _population(
    services: list[ServiceSpec], first_year: int, last_year: int, rng: np.random.Generator
) -> tuple[pa.Table, pa.Table]:
    rows: dict[str, list[object]] = {"service": [], "year": [], "age": [], "count": []}
    eth: dict[str, list[object]] = {"service": [], "year": [], "ethnicity": [], "count": []}
    shares = np.array(ETHNICITY_WEIGHTS[:-1]) * np.array([1.25, 0.55, 1.1, 0.75, 1.2])
    shares = shares / shares.sum()
    for spec in services:
        for year in range(first_year, last_year + 1):
            drift = 1 + 0.01 * (year - first_year)
            counts = (spec.population_per_age * drift * rng.uniform(0.95, 1.05, 8)).astype(int)
            for age, c in zip(range(10, 18), counts.tolist(), strict=True):
                rows["service"].append(spec.name)
                rows["year"].append(year)
                rows["age"].append(age)
                rows["count"].append(c)
            total = int(counts.sum())
            for name, share in zip(ETHNICITIES[:-1], shares.tolist(), strict=True):
                eth["service"].append(spec.name)
                eth["year"].append(year)
                eth["ethnicity"].append(name)
                eth["count"].append(round(total * share))
    return pa.table(rows), pa.table(eth)


def engine_tables(export: SyntheticExport) -> dict[str, pa.Table]:
    """The export in the engine's columnar schema (integer keys in place of the ids)."""
    import pyarrow.compute as pc

    from saferboard.youthjustice.engine import (
        CHILDREN_SCHEMA,
        OFFENCES_SCHEMA,
        OUTCOMES_SCHEMA,
        POPULATION_ETHNICITY_SCHEMA,
        POPULATION_SCHEMA,
    )

    def number(column: pa.ChunkedArray) -> pa.Array:
        return pc.cast(pc.utf8_slice_codeunits(column, 1), pa.int64())

    def keys(column: pa.ChunkedArray) -> pa.Array:
        return number(column)

    outcome_number = pc.cast(pc.utf8_slice_codeunits(export.outcomes["outcome_id"], 1), pa.int64())
    offence_outcome = pc.cast(pc.utf8_slice_codeunits(export.offences["outcome_id"], 1), pa.int64())
    return {
        "children": pa.table(
            {
                "child_key": keys(export.children["child_id"]),
                "service": export.children["service"],
                "date_of_birth": export.children["date_of_birth"],
                "sex": export.children["sex"],
                "ethnicity": export.children["ethnicity"],
                "looked_after": export.children["looked_after"],
            },
            schema=CHILDREN_SCHEMA,
        ),
        "outcomes": pa.table(
            {
                "outcome_key": outcome_number,
                "child_key": keys(export.outcomes["child_id"]),
                "outcome_date": export.outcomes["outcome_date"],
                "outcome_type": export.outcomes["outcome_type"],
                "release_date": export.outcomes["release_date"],
            },
            schema=OUTCOMES_SCHEMA,
        ),
        "offences": pa.table(
            {
                "child_key": keys(export.offences["child_id"]),
                "offence_date": export.offences["offence_date"],
                "offence_type": export.offences["offence_type"],
                "is_breach": export.offences["is_breach"],
                "outcome_key": offence_outcome,
            },
            schema=OFFENCES_SCHEMA,
        ),
        "population": export.population.cast(POPULATION_SCHEMA),
        "population_ethnicity": export.population_ethnicity.cast(POPULATION_ETHNICITY_SCHEMA),
    }


def _encoded(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """A string column's distinct values and each row's index into them (nulls: "")."""
    encoded = column.fill_null("").combine_chunks().dictionary_encode()
    indices = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return encoded.dictionary.to_pylist(), indices


def _codes(column: pa.ChunkedArray, vocabulary: tuple[str, ...]) -> np.ndarray:
    """A string column as codes into ``vocabulary`` (null or blank: 0, not known)."""
    words, indices = _encoded(column)
    lookup = np.array([vocabulary.index(w) for w in words], dtype=np.int8)
    return lookup[indices] if len(indices) else np.zeros(0, dtype=np.int8)


def _days_of(column: pa.ChunkedArray, missing: int) -> np.ndarray:
    """A date32 column as day numbers, nulls as ``missing``."""
    return np.asarray(
        column.cast(pa.int32()).fill_null(missing).to_numpy(zero_copy_only=False), dtype=np.int64
    )


def kpi_data(export: SyntheticExport, start: date, end: date) -> KpiData:
    """The export's 2023 KPI records as :class:`~saferboard.youthjustice.kpis2023.KpiData`
    for every service at once (the national benchmark's input), straight from the
    columnar tables. KPI 7 has no board (the generator makes no meetings)."""
    import pyarrow.compute as pc

    from saferboard.youthjustice.definitions import SUBSTANTIVE
    from saferboard.youthjustice.kpis2023 import (
        END_REASONS,
        INTERVENTION_TYPES,
        NEED_STAGES,
        ONGOING,
        SUITABILITY,
        VICTIM_COLUMNS,
        WIDER_SERVICES,
        YES_NO,
        Interventions,
        KpiData,
        ProvenOffences,
        Victims,
        is_violent_category,
    )

    def number(column: pa.ChunkedArray) -> np.ndarray:
        return np.asarray(
            pc.cast(pc.utf8_slice_codeunits(column, 1), pa.int64()).to_numpy(), dtype=np.int64
        )

    words, service_index = _encoded(export.children["service"])
    names = np.array(sorted(words))
    # Child ids are C0000001, C0000002 ... in row order: key k is row k - 1.
    service_of = np.searchsorted(names, np.array(words))[service_index]
    iv = export.interventions
    if iv is None or export.victims is None:
        raise ValueError("the export has no interventions or victims")
    iv_child = number(iv["child_id"])
    interventions = Interventions(
        service=service_of[iv_child - 1],
        child=iv_child,
        kind=_codes(iv["intervention_type"], INTERVENTION_TYPES).astype(np.int64),
        start=_days_of(iv["start_date"], 0),
        end=_days_of(iv["end_date"], ONGOING),
        end_reason=_codes(iv["end_reason"], END_REASONS),
        accommodation=_codes(iv["accommodation"], SUITABILITY),
        ete=_codes(iv["ete"], SUITABILITY),
        send_need=_codes(iv["send_need"], YES_NO),
        send_plan=_codes(iv["send_plan"], YES_NO),
        mental_health=_codes(iv["mental_health"], NEED_STAGES),
        substance_misuse=_codes(iv["substance_misuse"], NEED_STAGES),
        wider_services=_codes(iv["wider_services"], WIDER_SERVICES),
    )
    # Offences proven by a substantive outcome, with the outcome's date.
    outcome_day = _days_of(export.outcomes["outcome_date"], -1)
    outcome_words, outcome_index = _encoded(export.outcomes["outcome_type"])
    substantive = np.array([w in SUBSTANTIVE for w in outcome_words], dtype=bool)[outcome_index]
    off = export.offences
    outcome_key = np.asarray(
        pc.cast(pc.utf8_slice_codeunits(off["outcome_id"], 1), pa.int64())
        .fill_null(0)
        .to_numpy(zero_copy_only=False),
        dtype=np.int64,
    )
    proven = outcome_key > 0
    proven[proven] = substantive[outcome_key[proven] - 1]
    rows = np.flatnonzero(proven)
    child = number(off["child_id"])[rows]
    types, type_index = _encoded(off["offence_type"])
    violent = np.array([is_violent_category(t) for t in types], dtype=bool)[type_index][rows]
    gravity = np.asarray(
        off["gravity_score"].fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int8
    )[rows]
    offences = ProvenOffences(
        service=service_of[child - 1],
        child=child,
        outcome_day=outcome_day[outcome_key[rows] - 1],
        violent_category=violent,
        gravity=gravity,
    )
    vt = export.victims
    victims = Victims(
        service=service_of[number(vt["child_id"]) - 1],
        contact_day=_days_of(vt["contact_date"], -1),
        **{c: _codes(vt[c], YES_NO) for c in VICTIM_COLUMNS},
    )
    population = []
    pop = export.population
    year = np.asarray(pop["year"].to_numpy(), dtype=np.int64)
    age = np.asarray(pop["age"].to_numpy(), dtype=np.int64)
    count = np.asarray(pop["count"].to_numpy(), dtype=np.int64)
    pop_service = np.asarray(pop["service"].to_numpy(zero_copy_only=False), dtype=str)
    keep = (year == end.year) & (age >= 10) & (age <= 17)
    totals = dict.fromkeys(names.tolist(), 0)
    for name, n in zip(pop_service[keep].tolist(), count[keep].tolist(), strict=True):
        totals[name] += n
    population = [totals[name] or None for name in names.tolist()]
    held = frozenset({"interventions", "victims", "gravity"})
    return KpiData(
        services=tuple(names.tolist()),
        interventions=interventions,
        offences=offences,
        victims=victims,
        population=tuple(population),
        held=tuple(held for _ in names),
    )
