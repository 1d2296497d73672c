"""Breakdowns of each KPI by a child's characteristics, and ethnic disproportionality.

Pure functions over the engine's unit tables (DuckDB SQL for the group counts), plus
the small-numbers rule: a count of 1 to 4 is flagged, and in publication mode it is
suppressed together with every rate or ratio built on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from saferboard.youthjustice.definitions import (
    AGE_BANDS,
    ETHNICITIES,
    KNOWN_ETHNICITIES,
    REFERENCE_ETHNICITY,
    SEXES,
    is_small,
)
from saferboard.youthjustice.engine import CaseData, Session

DIMENSIONS: dict[str, str] = {
    "sex": "Sex",
    "age_band": "Age band",
    "ethnicity": "Ethnicity",
    "looked_after": "Looked-after status",
    "offence_type": "Offence type",
}
LOOKED_AFTER = ("Looked after", "Not looked after")

_GROUP_SQL = {
    "sex": "u.sex",
    "age_band": "CASE WHEN u.age <= 14 THEN '10-14' ELSE '15-17' END",
    "ethnicity": "u.ethnicity",
    "looked_after": "CASE WHEN u.looked_after THEN 'Looked after' ELSE 'Not looked after' END",
    "offence_type": "t.offence_type",
}
_ORDER = {
    "sex": SEXES,
    "age_band": AGE_BANDS,
    "ethnicity": ETHNICITIES,
    "looked_after": LOOKED_AFTER,
}


@dataclass(frozen=True)
class Cell:
    """A figure as shown: its value, whether it is a small number, whether suppressed."""

    value: float | int | None
    small: bool = False
    suppressed: bool = False

    @property
    def shown(self) -> float | int | None:
        return None if self.suppressed else self.value


def count_cell(n: int | None, publication: bool) -> Cell:
    small = is_small(n)
    return Cell(n, small, publication and small)


def derived_cell(value: float | None, publication: bool, *counts: int | None) -> Cell:
    """A rate or ratio: small if any count it is built on is small; suppressed likewise."""
    small = any(is_small(c) for c in counts)
    return Cell(value, small, publication and small)


def _div(a: float | None, b: float | None, scale: float = 1.0) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return float(a) * scale / b


@dataclass(frozen=True)
class GroupRow:
    group: str
    fte: Cell
    fte_rate_per_100k: Cell
    custody: Cell
    custody_rate_per_1000: Cell
    cohort: Cell
    reoffenders: Cell
    reoffences: Cell
    binary_rate_pct: Cell
    frequency_rate: Cell
    population: int | None


def group_counts(
    data: CaseData, service: str, start: date, end: date, kind: str, dimension: str
) -> list[dict[str, Any]]:
    """Counts behind each KPI for each group of a dimension (and its 10-17 population)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    expr = _GROUP_SQL[dimension]
    join = "LEFT JOIN outcome_type_of t USING (outcome_key)" if dimension == "offence_type" else ""
    with Session(data, [service], attributes=True) as session:
        session.set_periods([(start, end)], kind)
        rows = session.query(
            f"""
            WITH f AS (SELECT {expr} AS grp, count(*) AS n FROM fte_units u {join}
                       GROUP BY grp),
                 c AS (SELECT {expr} AS grp, count(*) AS n FROM custody_units u {join}
                       GROUP BY grp),
                 r AS (SELECT {expr} AS grp, count(*) AS cohort,
                              count(*) FILTER (WHERE reoffences > 0) AS reoffenders,
                              CAST(sum(reoffences) AS BIGINT) AS reoffences
                       FROM cohort_units u {join} GROUP BY grp),
                 g AS (SELECT grp FROM f UNION SELECT grp FROM c UNION SELECT grp FROM r)
            SELECT g.grp AS "group", coalesce(f.n, 0) AS fte, coalesce(c.n, 0) AS custody,
                   coalesce(r.cohort, 0) AS cohort, coalesce(r.reoffenders, 0) AS reoffenders,
                   coalesce(r.reoffences, 0) AS reoffences
            FROM g LEFT JOIN f USING (grp) LEFT JOIN c USING (grp) LEFT JOIN r USING (grp)
            """  # noqa: S608 - expr comes from _GROUP_SQL (checked)  # nosec B608
        )
        population: dict[str, int] = {}
        if dimension == "age_band":
            for row in session.query(
                """
                SELECT CASE WHEN age <= 14 THEN '10-14' ELSE '15-17' END AS grp,
                       CAST(sum(count) AS BIGINT) AS n
                FROM src_population WHERE service = ? AND year = ? AND age BETWEEN 10 AND 17
                GROUP BY grp
                """,
                [service, end.year],
            ):
                population[row["grp"]] = row["n"]
        elif dimension == "ethnicity":
            for row in session.query(
                """
                SELECT ethnicity AS grp, CAST(sum(count) AS BIGINT) AS n
                FROM src_population_ethnicity WHERE service = ? AND year = ? GROUP BY grp
                """,
                [service, end.year],
            ):
                population[row["grp"]] = row["n"]
    by_group = {r["group"]: r for r in rows}
    order = list(_ORDER.get(dimension, ()))
    if dimension == "offence_type":
        order = sorted(by_group, key=lambda g: (-by_group[g]["cohort"] - by_group[g]["fte"], g))
    result = []
    for group in order:
        row = by_group.get(
            group,
            {
                "group": group,
                "fte": 0,
                "custody": 0,
                "cohort": 0,
                "reoffenders": 0,
                "reoffences": 0,
            },
        )
        result.append({**row, "population": population.get(group)})
    return result


def breakdown(
    data: CaseData,
    service: str,
    start: date,
    end: date,
    kind: str,
    dimension: str,
    *,
    publication: bool = False,
) -> list[GroupRow]:
    """Each KPI for each group of ``dimension``, with small numbers flagged or suppressed."""
    rows = []
    for r in group_counts(data, service, start, end, kind, dimension):
        pop = r["population"]
        rows.append(
            GroupRow(
                group=r["group"],
                fte=count_cell(r["fte"], publication),
                fte_rate_per_100k=derived_cell(_div(r["fte"], pop, 100000), publication, r["fte"]),
                custody=count_cell(r["custody"], publication),
                custody_rate_per_1000=derived_cell(
                    _div(r["custody"], pop, 1000), publication, r["custody"]
                ),
                cohort=count_cell(r["cohort"], publication),
                reoffenders=count_cell(r["reoffenders"], publication),
                reoffences=count_cell(r["reoffences"], publication),
                binary_rate_pct=derived_cell(
                    _div(r["reoffenders"], r["cohort"], 100),
                    publication,
                    r["reoffenders"],
                    r["cohort"],
                ),
                frequency_rate=derived_cell(
                    _div(r["reoffences"], r["cohort"]), publication, r["reoffences"], r["cohort"]
                ),
                population=pop,
            )
        )
    return rows


# --------------------------------------------------------------------------------------
# Disproportionality
# --------------------------------------------------------------------------------------

DISPROPORTIONALITY_MEASURES: dict[str, tuple[str, str]] = {
    # measure: (label, how its group rate is defined)
    "fte": ("First time entrants", "per 100,000 of the group's 10-17 population"),
    "custody": ("Custodial sentences", "per 1,000 of the group's 10-17 population"),
    "cohort": ("Reoffending cohort", "per 1,000 of the group's 10-17 population"),
    "reoffenders": ("Reoffenders", "binary reoffending rate: % of the group's cohort"),
}


@dataclass(frozen=True)
class DisproportionalityRow:
    measure: str
    group: str
    count: Cell
    known_total: int
    share_pct: Cell
    population: int | None
    population_share_pct: Cell
    representation_ratio: Cell
    rate: Cell
    relative_rate_index: Cell


def disproportionality(
    data: CaseData,
    service: str,
    start: date,
    end: date,
    kind: str,
    *,
    publication: bool = False,
) -> list[DisproportionalityRow]:
    """Each ethnic group's representation ratio and relative rate index, per measure.

    Representation ratio = the group's share of the measure (among children of known
    ethnicity) ÷ its share of the 10-17 population of known ethnicity. Relative rate
    index = the group's rate ÷ the White group's rate.
    """
    counts = {r["group"]: r for r in group_counts(data, service, start, end, kind, "ethnicity")}
    pop = {g: counts[g]["population"] for g in KNOWN_ETHNICITIES}
    pop_known = sum(v for v in pop.values() if v) or None
    rows: list[DisproportionalityRow] = []
    for measure in DISPROPORTIONALITY_MEASURES:
        known_total = sum(counts[g][measure] for g in KNOWN_ETHNICITIES)

        def rate(group: str, m: str = measure) -> tuple[float | None, tuple[int | None, ...]]:
            c = counts[group]
            if m == "reoffenders":
                return _div(c["reoffenders"], c["cohort"], 100), (c["reoffenders"], c["cohort"])
            scale = 100000 if m == "fte" else 1000
            return _div(c[m], c["population"], scale), (c[m],)

        white_rate, white_counts = rate(REFERENCE_ETHNICITY)
        for group in KNOWN_ETHNICITIES:
            n = counts[group][measure]
            share = _div(n, known_total, 100)
            pop_share = _div(pop[group], pop_known, 100)
            group_rate, rate_counts = rate(group)
            rows.append(
                DisproportionalityRow(
                    measure=measure,
                    group=group,
                    count=count_cell(n, publication),
                    known_total=known_total,
                    share_pct=derived_cell(share, publication, n, known_total),
                    population=pop[group],
                    population_share_pct=Cell(pop_share),
                    representation_ratio=derived_cell(
                        _div(share, pop_share), publication, n, known_total
                    ),
                    rate=derived_cell(group_rate, publication, *rate_counts),
                    relative_rate_index=derived_cell(
                        _div(group_rate, white_rate)
                        if group != REFERENCE_ETHNICITY
                        else (1.0 if white_rate else None),
                        publication,
                        *rate_counts,
                        *white_counts,
                    ),
                )
            )
    return rows
