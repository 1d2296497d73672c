"""Property tests of the KPI engine, and exact agreement with the pandas baseline."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from bench import yj_pandas
from hypothesis import given, settings
from hypothesis import strategies as st

from saferboard.youthjustice.definitions import OUTCOME_TYPES, SUBSTANTIVE
from saferboard.youthjustice.engine import kpi_table, kpis_for
from saferboard.youthjustice.synthetic import ServiceSpec, engine_tables, generate
from tests.youthjustice.builders import SERVICE, Cases

START, END = date(2022, 1, 1), date(2022, 12, 31)
NON_CUSTODIAL_SUBSTANTIVE = [t for t in SUBSTANTIVE if "custody" not in t and "detention" not in t]

days = st.integers(min_value=-400, max_value=1200)


@st.composite
def datasets(draw: st.DrawFn) -> Cases:
    """Random children with random outcomes and offences around 2022."""
    cases = Cases(data_to=date(2024, 12, 31))
    for _ in range(draw(st.integers(1, 6))):
        child = cases.child(date(2005, 1, 1) + timedelta(days=draw(st.integers(0, 2000))))
        outcomes = []
        for _ in range(draw(st.integers(0, 4))):
            day = START + timedelta(days=draw(days))
            kind = draw(st.sampled_from(OUTCOME_TYPES))
            release = None
            if "custody" in kind or "detention" in kind:
                release = day + timedelta(days=draw(st.integers(0, 400)))
            outcomes.append((cases.outcome(child, day, kind, release=release), day))
        for _ in range(draw(st.integers(0, 5))):
            if outcomes and draw(st.booleans()):
                key, proven = draw(st.sampled_from(outcomes))
                committed = proven - timedelta(days=draw(st.integers(0, 200)))
            else:
                key, committed = None, START + timedelta(days=draw(days))
            cases.offence(child, committed, key, breach=draw(st.booleans()))
    return cases


@given(datasets(), st.sampled_from(["12m", "3m"]))
def test_binary_rate_within_0_to_100_and_reoffences_at_least_reoffenders(
    cases: Cases, kind: str
) -> None:
    result = kpis_for(cases.data(), SERVICE, START, END, kind)
    assert result.reoffences >= result.reoffenders
    assert result.cohort >= result.reoffenders >= 0
    if result.cohort:
        assert 0 <= result.binary_rate_pct <= 100
    else:
        assert result.binary_rate_pct is None


@st.composite
def one_event_each(draw: st.DrawFn) -> Cases:
    """Children with exactly one index event in 2022; reoffences proven by outcomes that
    are not index events in 2022 (custody still being served, or after 2022)."""
    cases = Cases(data_to=date(2025, 12, 31))
    for _ in range(draw(st.integers(1, 8))):
        child = cases.child(date(2007, 1, 1))
        index = START + timedelta(days=draw(st.integers(0, 364)))
        cases.outcome(child, index, draw(st.sampled_from(NON_CUSTODIAL_SUBSTANTIVE)))
        for _ in range(draw(st.integers(0, 3))):
            committed = index + timedelta(days=draw(st.integers(-30, 500)))
            if draw(st.booleans()):
                proven = max(committed, index) + timedelta(days=draw(st.integers(0, 600)))
                kind = "fine" if proven > END else "detention_and_training_order"
                cases.reoffence(child, committed, proven, outcome_type=kind)
            else:
                cases.offence(child, committed)
    return cases


@settings(max_examples=60)
@given(one_event_each())
def test_3m_and_12m_agree_when_each_child_has_one_event(cases: Cases) -> None:
    data = cases.data()
    twelve = kpis_for(data, SERVICE, START, END, "12m")
    three = kpis_for(data, SERVICE, START, END, "3m")
    assert (twelve.cohort, twelve.reoffenders, twelve.reoffences) == (
        three.cohort,
        three.reoffenders,
        three.reoffences,
    )


@pytest.mark.parametrize("kind", ["12m", "3m"])
def test_engine_agrees_exactly_with_the_pandas_baseline(tmp_path, kind: str) -> None:
    import pyarrow.parquet as pq

    export = generate(
        [ServiceSpec(f"Service {i}", 150 + 40 * i, 900) for i in range(5)],
        date(2018, 1, 1),
        date(2022, 12, 31),
        seed=11,
    )
    paths = {}
    for name, table in engine_tables(export).items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
        paths[name] = str(tmp_path / f"{name}.parquet")
    periods = [(date(2020, 4, 1), date(2021, 3, 31)), (date(2021, 4, 1), date(2022, 3, 31))]
    from saferboard.youthjustice.engine import CaseData

    ours = kpi_table(CaseData.from_parquet_dir(tmp_path, date(2022, 12, 31)), periods, kind)
    frames = yj_pandas.load({k: v for k, v in paths.items() if k != "population_ethnicity"})
    theirs = yj_pandas.kpis(frames, periods, kind, date(2022, 12, 31))
    ours_df = ours.to_pandas().sort_values(["period_id", "service"]).reset_index(drop=True)
    columns = [c for c in ours_df.columns if c not in {"period_from", "period_to"}]
    pd.testing.assert_frame_equal(
        ours_df[columns], theirs[columns], check_dtype=False, check_exact=True
    )
    assert ours_df["cohort"].sum() > 100 and ours_df["reoffences"].sum() > 0
