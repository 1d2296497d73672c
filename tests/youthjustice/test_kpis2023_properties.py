"""Properties of the 2023 KPIs on random records: numerators within denominators,
chains of sub-measures nested, zero denominators without a percentage, and the same
figures whether a service is computed alone or with others."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from saferboard.youthjustice.kpis2023 import (
    END_REASONS,
    INTERVENTION_TYPES,
    NEED_STAGES,
    SUITABILITY,
    VICTIM_COLUMNS,
    WIDER_SERVICES,
    YES_NO,
    Interventions,
    KpiData,
    ProvenOffences,
    Victims,
    compute,
)

START, END = date(2024, 4, 1), date(2024, 6, 30)
BASE = date(2023, 10, 1)
ALL = frozenset({"interventions", "victims", "gravity"})


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


interventions = st.lists(
    st.fixed_dictionaries(
        {
            "service": st.integers(0, 1),
            "child": st.integers(0, 12),
            "intervention_type": st.sampled_from(INTERVENTION_TYPES),
            "start": st.integers(0, 250),
            "length": st.one_of(st.none(), st.integers(0, 200)),
            "end_reason": st.sampled_from(END_REASONS),
            "accommodation": st.sampled_from(SUITABILITY),
            "ete": st.sampled_from(SUITABILITY),
            "send_need": st.sampled_from(YES_NO),
            "send_plan": st.sampled_from(YES_NO),
            "mental_health": st.sampled_from(NEED_STAGES),
            "substance_misuse": st.sampled_from(NEED_STAGES),
            "wider_services": st.sampled_from(WIDER_SERVICES),
        }
    ),
    max_size=30,
)
offences = st.lists(
    st.fixed_dictionaries(
        {
            "service": st.integers(0, 1),
            "child": st.integers(0, 12),
            "outcome": st.integers(0, 300),
            "offence_type": st.sampled_from(
                ["Robbery", "Drugs", "Theft", "Violence against the person"]
            ),
            "gravity_score": st.one_of(st.none(), st.integers(1, 8)),
        }
    ),
    max_size=20,
)
victims = st.lists(
    st.fixed_dictionaries(
        {"service": st.integers(0, 1), "contact": st.integers(0, 300)}
        | {c: st.sampled_from(YES_NO) for c in VICTIM_COLUMNS}
    ),
    max_size=20,
)


def build(ivs: list[dict[str, Any]], offs: list[dict[str, Any]], vics: list[dict[str, Any]]):
    # A child belongs to one service: key children by service too.
    records = [
        r
        | {
            "child": r["child"] * 2 + r["service"],
            "start_date": day(r["start"]),
            "end_date": None if r["length"] is None else day(r["start"] + r["length"]),
        }
        for r in ivs
    ]
    proven = [
        r | {"child": r["child"] * 2 + r["service"], "outcome_date": day(r["outcome"])}
        for r in offs
    ]
    contacted = [r | {"contact_date": day(r["contact"])} for r in vics]
    return records, proven, contacted


def data_of(records, proven, contacted, services: tuple[str, ...], populations) -> KpiData:
    return KpiData(
        services=services,
        interventions=Interventions.from_records(records),
        offences=ProvenOffences.from_records(proven),
        victims=Victims.from_records(contacted),
        population=populations,
        held=tuple(ALL for _ in services),
    )


CHAINS = {
    4: ("need_identified", "intervention_offered", "intervention_attended"),
    5: ("need_identified", "intervention_offered", "intervention_attended"),
    10: ("consented", "rj_offered", "rj_participated"),
}


@settings(max_examples=60, deadline=None)
@given(interventions, offences, victims)
def test_numerators_within_denominators_and_chains_nested(ivs, offs, vics) -> None:
    records, proven, contacted = build(ivs, offs, vics)
    both = compute(data_of(records, proven, contacted, ("A", "B"), (1000, 50)), START, END)
    for service, kpis in both.items():
        for k in kpis:
            if k.denominator is not None and k.numerator is not None:
                assert 0 <= k.numerator <= k.denominator, (service, k.slug)
                if k.denominator == 0:
                    assert k.percentage is None and k.rate is None
            for s in k.sub_measures:
                if s.denominator is not None:
                    assert 0 <= s.count <= s.denominator, (service, k.slug, s.slug)
                    if s.denominator == 0:
                        assert s.percentage is None
                    else:
                        assert 0 <= s.percentage <= 100
            chain = CHAINS.get(k.number)
            if chain:
                steps = [k.sub(slug) for slug in chain]
                assert steps[0].count == k.numerator
                for before, after in pairwise(steps):
                    # Each step counts only children (victims) of the step before.
                    assert after.denominator <= before.count
                    assert after.count <= before.count
        # Alone or with another service: the same figures.
        index = ("A", "B").index(service)
        alone = compute(
            data_of(
                [r | {"service": 0} for r in records if r["service"] == index],
                [r | {"service": 0} for r in proven if r["service"] == index],
                [r | {"service": 0} for r in contacted if r["service"] == index],
                (service,),
                ((1000, 50)[index],),
            ),
            START,
            END,
        )[service]
        assert [k.as_json() for k in alone] == [k.as_json() for k in kpis]
