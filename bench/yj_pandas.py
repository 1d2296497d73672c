"""An idiomatic pandas implementation of the youth justice KPI definitions.

The honest baseline for bench/yj_bench.py: vectorised merges and groupbys, no Python
loops over rows, the same definitions as saferboard.youthjustice.engine (see
docs/methodology.md), and the same arithmetic order so the rates agree exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from saferboard.youthjustice.definitions import CUSTODIAL, SUBSTANTIVE
from saferboard.youthjustice.engine import cohort_windows, provisional_for


def _ymd(series: pd.Series) -> pd.Series:
    return series.dt.year * 10000 + series.dt.month * 100 + series.dt.day


def _age(day: pd.Series, dob_ymd: pd.Series) -> pd.Series:
    return (_ymd(day) - dob_ymd) // 10000


def load(paths: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Read the engine's Parquet tables into pandas, dates as datetime64."""
    frames = {name: pd.read_parquet(path) for name, path in paths.items()}
    for name, cols in {
        "children": ["date_of_birth"],
        "outcomes": ["outcome_date", "release_date"],
        "offences": ["offence_date"],
    }.items():
        for col in cols:
            frames[name][col] = pd.to_datetime(frames[name][col])
    return frames


def kpis(
    frames: dict[str, pd.DataFrame],
    periods: Sequence[tuple[date, date]],
    kind: str,
    data_to: date,
) -> pd.DataFrame:
    """Every KPI for every service and period: the same columns as the engine's table."""
    children = frames["children"]
    outcomes = frames["outcomes"]
    offences = frames["offences"]
    population = frames["population"]

    ch = children[["child_key", "service", "date_of_birth"]].copy()
    ch["dob_ymd"] = _ymd(ch["date_of_birth"])
    so = outcomes[outcomes["outcome_type"].isin(SUBSTANTIVE)].merge(
        ch[["child_key", "service", "dob_ymd"]], on="child_key"
    )
    so["custodial"] = so["outcome_type"].isin(CUSTODIAL)
    so["age"] = _age(so["outcome_date"], so["dob_ymd"])
    so["release_age"] = _age(so["release_date"], so["dob_ymd"])

    per = pd.DataFrame(
        [
            {
                "period_id": i,
                "p_from": pd.Timestamp(s),
                "p_to": pd.Timestamp(e),
                "provisional": provisional_for(e, data_to),
            }
            for i, (s, e) in enumerate(periods)
        ]
    )
    win = pd.DataFrame(
        [
            {
                "period_id": w.period_id,
                "window_id": w.window_id,
                "w_from": pd.Timestamp(w.start),
                "w_to": pd.Timestamp(w.end),
            }
            for w in cohort_windows(periods, kind)
        ]
    )

    def in_periods(frame: pd.DataFrame, column: str, table: pd.DataFrame, lo: str, hi: str):
        joined = frame.merge(table, how="cross")
        return joined[(joined[column] >= joined[lo]) & (joined[column] <= joined[hi])]

    # First time entrants.
    first = so.groupby("child_key", as_index=False).agg(
        service=("service", "first"), event_date=("outcome_date", "min")
    )
    first = first.merge(
        so[["child_key", "outcome_date", "age"]].drop_duplicates(["child_key", "outcome_date"]),
        left_on=["child_key", "event_date"],
        right_on=["child_key", "outcome_date"],
    )
    first = first[first["age"].between(10, 17)]
    fte = in_periods(first, "event_date", per, "p_from", "p_to")
    fte_n = fte.groupby(["period_id", "service"]).size().rename("fte_count")

    # Use of custody.
    custodial = so[so["custodial"] & so["age"].between(10, 17)]
    cus = in_periods(custodial, "outcome_date", per, "p_from", "p_to")
    cus_n = cus.groupby(["period_id", "service"]).size().rename("custody_count")

    # Children cautioned or sentenced.
    aged = so[so["age"].between(10, 17)]
    cs = in_periods(
        aged[["child_key", "service", "outcome_date"]], "outcome_date", per, "p_from", "p_to"
    )
    cs_n = (
        cs.drop_duplicates(["period_id", "child_key"])
        .groupby(["period_id", "service"])
        .size()
        .rename("cautioned_sentenced_count")
    )

    # Reoffending.
    outcome_events = so.loc[~so["custodial"] & so["age"].between(10, 17)]
    outcome_events = outcome_events[["child_key", "service", "outcome_date"]].rename(
        columns={"outcome_date": "event_date"}
    )
    releases = so.loc[
        so["custodial"] & so["release_date"].notna() & so["release_age"].between(10, 17)
    ]
    releases = releases[["child_key", "service", "release_date"]].rename(
        columns={"release_date": "event_date"}
    )
    events = pd.concat([outcome_events, releases], ignore_index=True)
    events = in_periods(events, "event_date", win, "w_from", "w_to")
    cohort = events.groupby(["period_id", "window_id", "child_key"], as_index=False).agg(
        service=("service", "first"), index_date=("event_date", "min")
    )
    cohort["follow_end"] = cohort["index_date"] + pd.DateOffset(months=12)
    cohort["proven_end"] = cohort["index_date"] + pd.DateOffset(months=18)
    proven = offences[~offences["is_breach"] & offences["outcome_key"].notna()].merge(
        so[["outcome_key", "outcome_date"]], on="outcome_key"
    )
    pairs = cohort.merge(proven[["child_key", "offence_date", "outcome_date"]], on="child_key")
    pairs = pairs[
        (pairs["offence_date"] > pairs["index_date"])
        & (pairs["offence_date"] <= pairs["follow_end"])
        & (pairs["outcome_date"] <= pairs["proven_end"])
    ]
    per_child = pairs.groupby(["window_id", "child_key"]).size().rename("reoffences")
    cohort = cohort.merge(per_child, on=["window_id", "child_key"], how="left")
    cohort["reoffences"] = cohort["reoffences"].fillna(0).astype(np.int64)
    cohort["reoffender"] = (cohort["reoffences"] > 0).astype(np.int64)
    reo = cohort.groupby(["period_id", "service"]).agg(
        cohort=("child_key", "size"),
        reoffenders=("reoffender", "sum"),
        reoffences=("reoffences", "sum"),
    )

    pop = (
        population[population["age"].between(10, 17)]
        .groupby(["service", "year"], as_index=False)["count"]
        .sum()
        .rename(columns={"count": "population_10_17"})
    )
    services = pd.DataFrame({"service": ch["service"].unique()})
    grid = per.merge(services, how="cross")
    grid["year"] = grid["p_to"].dt.year
    grid = grid.merge(pop, on=["service", "year"], how="left")
    for part in (fte_n, cus_n, cs_n, reo):
        grid = grid.merge(part, left_on=["period_id", "service"], right_index=True, how="left")
    for col in (
        "fte_count",
        "custody_count",
        "cautioned_sentenced_count",
        "cohort",
        "reoffenders",
        "reoffences",
    ):
        grid[col] = grid[col].fillna(0).astype(np.int64)
    popf = grid["population_10_17"].where(grid["population_10_17"] > 0)
    grid["fte_rate_per_100k"] = grid["fte_count"].astype(float) * 100000 / popf
    grid["custody_rate_per_1000"] = grid["custody_count"].astype(float) * 1000 / popf
    grid["cautioned_sentenced_rate_per_10k"] = (
        grid["cautioned_sentenced_count"].astype(float) * 10000 / popf
    )
    cohort_n = grid["cohort"].where(grid["cohort"] > 0)
    reoffenders_n = grid["reoffenders"].where(grid["reoffenders"] > 0)
    grid["binary_rate_pct"] = grid["reoffenders"].astype(float) * 100 / cohort_n
    grid["frequency_rate"] = grid["reoffences"].astype(float) / cohort_n
    grid["reoffences_per_reoffender"] = grid["reoffences"].astype(float) / reoffenders_n
    return grid.sort_values(["period_id", "service"]).reset_index(drop=True)
