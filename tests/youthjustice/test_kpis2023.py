"""The ten 2023 KPIs computed by hand on small known cases (pure functions, no database).

Period: the first quarter of 2024-25 (1 April to 30 June 2024). The children:

1. a prevention programme ending 10 April and a referral order ending 15 May: counted
   once, at the referral order (the later end);
2. a youth rehabilitation order ending 1 June in custody: left out of KPIs 1-5 and 8;
3. a youth caution completed 20 June, accommodation not recorded (not known);
4. a custodial sentence, released 30 April;
5. a community resolution not completed, ending 2 May;
6. a referral order still running (not ending: not counted);
7. a youth conditional caution ending 31 March (before the period: not counted);
8. a community resolution transferred to another service on 30 June.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from saferboard.youthjustice.kpis2023 import (
    BoardMeeting,
    BoardRecord,
    Interventions,
    KpiData,
    ProvenOffences,
    Victims,
    compute,
    compute_one,
    document,
    return_rows,
)

START, END = date(2024, 4, 1), date(2024, 6, 30)


def iv(child: int, kind: str, start: date, end: date | None, **status: Any) -> dict[str, Any]:
    return {
        "child": child,
        "intervention_type": kind,
        "start_date": start,
        "end_date": end,
        **status,
    }


INTERVENTIONS = [
    iv(1, "prevention", date(2024, 1, 1), date(2024, 4, 10), end_reason="completed",
       accommodation="unsuitable", ete="unsuitable", mental_health="no_need"),
    iv(1, "referral_order", date(2023, 10, 1), date(2024, 5, 15), end_reason="completed",
       accommodation="suitable", ete="suitable", send_need="yes", send_plan="yes",
       mental_health="intervention_attended", substance_misuse="no_need",
       wider_services="early_help"),
    iv(2, "youth_rehabilitation_order", date(2023, 6, 1), date(2024, 6, 1),
       end_reason="custody", accommodation="suitable", ete="suitable"),
    iv(3, "youth_caution", date(2024, 3, 1), date(2024, 6, 20), end_reason="completed",
       ete="unsuitable", send_need="no", mental_health="need_identified",
       substance_misuse="intervention_offered", wider_services="none"),
    iv(4, "custodial_sentence", date(2023, 9, 1), date(2024, 4, 30), end_reason="completed",
       accommodation="unsuitable", send_need="yes", mental_health="no_need",
       wider_services="child_protection"),
    iv(5, "community_resolution", date(2024, 4, 2), date(2024, 5, 2),
       end_reason="not_completed", accommodation="suitable", ete="suitable",
       mental_health="intervention_offered", substance_misuse="need_identified"),
    iv(6, "referral_order", date(2024, 1, 1), None, accommodation="suitable"),
    iv(7, "youth_conditional_caution", date(2024, 2, 1), date(2024, 3, 31),
       end_reason="completed", accommodation="suitable"),
    iv(8, "community_resolution", date(2024, 4, 1), date(2024, 6, 30),
       end_reason="transferred", accommodation="suitable"),
]  # fmt: skip

OFFENCES = [
    {"child": 1, "outcome_date": date(2024, 5, 1), "offence_type": "Robbery", "gravity_score": 6},
    {
        "child": 1,
        "outcome_date": date(2024, 6, 1),
        "offence_type": "Violence against the person",
        "gravity_score": 5,
    },
    {"child": 3, "outcome_date": date(2024, 5, 10), "offence_type": "Drugs", "gravity_score": 4},
    {
        "child": 4,
        "outcome_date": date(2024, 4, 20),
        "offence_type": "violence  against the PERSON",
        "gravity_score": None,
    },
    {
        "child": 5,
        "outcome_date": date(2024, 5, 5),
        "offence_type": "Theft and handling",
        "gravity_score": 7,
    },
    {"child": 9, "outcome_date": date(2024, 3, 31), "offence_type": "Robbery", "gravity_score": 5},
]


def victim(day: date, **answers: str) -> dict[str, Any]:
    return {"contact_date": day, **answers}


VICTIMS = [
    victim(date(2024, 4, 5), consented_to_contact="yes", views_sought="yes", rj_offered="yes",
           rj_participated="yes", progress_info_requested="yes", progress_info_given="yes",
           support_info_given="yes"),
    victim(date(2024, 5, 5), consented_to_contact="yes", views_sought="no", rj_offered="yes",
           rj_participated="no", progress_info_requested="no"),
    victim(date(2024, 5, 6), consented_to_contact="no"),
    victim(date(2024, 5, 7)),
    victim(date(2024, 6, 30), consented_to_contact="yes", rj_offered="no",
           progress_info_requested="yes", progress_info_given="no", support_info_given="yes"),
    victim(date(2024, 3, 1), consented_to_contact="yes"),
]  # fmt: skip

ALL = frozenset({"interventions", "victims", "gravity"})
EVERYONE = frozenset({"local_authority", "education", "police", "probation", "health"})
BOARD = BoardRecord(
    "Youth Justice Management Board",
    (
        BoardMeeting(
            date(2024, 4, 15),
            EVERYONE - {"probation"},
            frozenset({"local_authority", "police", "health", "education"}),
            frozenset({"local_authority", "police", "education"}),
        ),
        BoardMeeting(date(2024, 6, 10), EVERYONE, EVERYONE, EVERYONE - {"health"}),
        BoardMeeting(date(2024, 7, 10), EVERYONE, EVERYONE, EVERYONE),
    ),
)


def data(
    interventions: list[dict[str, Any]] = INTERVENTIONS,
    offences: list[dict[str, Any]] = OFFENCES,
    victims: list[dict[str, Any]] = VICTIMS,
    *,
    held: frozenset[str] = ALL,
    population: int | None = 20_000,
    board: BoardRecord | None = BOARD,
) -> KpiData:
    return KpiData(
        services=("Testborough",),
        interventions=Interventions.from_records(interventions),
        offences=ProvenOffences.from_records(offences),
        victims=Victims.from_records(victims),
        population=(population,),
        held=(held,),
        boards=(board,),
    )


@pytest.fixture(scope="module")
def kpis() -> dict[int, Any]:
    return {k.number: k for k in compute_one(data(), START, END)}


def figures(kpi: Any) -> tuple[Any, Any, Any]:
    return kpi.numerator, kpi.denominator, kpi.percentage


def sub(kpi: Any, slug: str) -> tuple[Any, Any, Any]:
    s = kpi.sub(slug)
    return s.count, s.denominator, s.percentage


def test_accommodation_counts_each_child_once_at_the_latest_ending(kpis) -> None:
    k = kpis[1]
    # Children 1 (suitable, the referral order, not the earlier prevention programme),
    # 4 (unsuitable), 5 and 8 (suitable); 3 is not known; 2 ended in custody.
    assert figures(k) == (3, 4, 75.0)
    assert sub(k, "not_known") == (1, 5, 20.0)
    assert sub(k, "out_of_court_suitable") == (2, 2, 100.0)
    assert sub(k, "community_sentence_suitable") == (1, 1, 100.0)
    assert sub(k, "released_from_custody_suitable") == (0, 1, 0.0)
    assert sub(k, "prevention_suitable") == (0, 0, None)  # a zero denominator: no %
    assert any("custody" in note for note in k.notes)
    assert any("not known" in note for note in k.notes)


def test_ete(kpis) -> None:
    # 1 and 5 suitable, 3 unsuitable; 4 and 8 not known.
    assert figures(kpis[2]) == (2, 3, pytest.approx(200 / 3))
    assert sub(kpis[2], "not_known") == (2, 5, 40.0)


def test_send_aln(kpis) -> None:
    k = kpis[3]
    # Need: 1 and 4 (yes), 3 (no); 5 and 8 not known. Plan: 1 yes, 4 not known.
    assert figures(k) == (1, 1, 100.0)
    assert sub(k, "need_identified") == (2, 3, pytest.approx(200 / 3))
    assert sub(k, "suitable_ete") == (1, 1, 100.0)  # 4's ETE is not known
    assert sub(k, "not_known") == (2, 5, 40.0)


def test_mental_health_chain(kpis) -> None:
    k = kpis[4]
    # Known: 1 attended, 3 need, 4 no need, 5 offered; 8 not known.
    assert figures(k) == (3, 4, 75.0)
    assert sub(k, "intervention_offered") == (2, 3, pytest.approx(200 / 3))
    assert sub(k, "intervention_attended") == (1, 2, 50.0)
    assert sub(k, "not_known") == (1, 5, 20.0)


def test_substance_misuse_chain(kpis) -> None:
    k = kpis[5]
    # Known: 1 no need, 3 offered, 5 need; 4 and 8 not known.
    assert figures(k) == (2, 3, pytest.approx(200 / 3))
    assert sub(k, "intervention_offered") == (1, 2, 50.0)
    assert sub(k, "intervention_attended") == (0, 1, 0.0)


def test_out_of_court_disposals(kpis) -> None:
    k = kpis[6]
    # 3 completed a youth caution; 5 did not complete a community resolution; 8 was
    # transferred (left out); 7 ended before the period.
    assert figures(k) == (1, 2, 50.0)
    assert sub(k, "youth_caution_completed") == (1, 1, 100.0)
    assert sub(k, "community_resolution_completed") == (0, 1, 0.0)
    assert sub(k, "youth_conditional_caution_completed") == (0, 0, None)
    assert any("transferred" in note for note in k.notes)


def test_board_attendance_at_the_right_seniority(kpis) -> None:
    k = kpis[7]
    # Two meetings in the period x five statutory partners = 10 places; at the right
    # seniority: 3 at the first (probation had no seat; health sent someone unnamed),
    # 4 at the second (all but health). The July meeting is after the period.
    assert figures(k) == (7, 10, 70.0)
    assert sub(k, "probation_senior") == (1, 2, 50.0)
    assert sub(k, "health_senior") == (0, 2, 0.0)
    assert sub(k, "health_any") == (2, 2, 100.0)
    assert any("Probation had no seat" in note for note in k.notes)


def test_wider_services(kpis) -> None:
    k = kpis[8]
    # Known: 1 early help, 3 none, 4 child protection; 5 and 8 not known.
    assert figures(k) == (2, 3, pytest.approx(200 / 3))
    assert sub(k, "early_help")[:2] == (1, 3)
    assert sub(k, "child_protection")[:2] == (1, 3)
    assert sub(k, "looked_after")[:2] == (0, 3)


def test_serious_violence_rate(kpis) -> None:
    k = kpis[9]
    # Child 1 (robbery 6, violence 5: one child); 3's drugs offence has gravity 4; 4's
    # violence has no gravity score (not known); 5's theft is not a serious violence
    # category; 9's was proven before the period.
    assert (k.numerator, k.denominator, k.percentage) == (1, 20_000, None)
    assert k.rate == pytest.approx(0.5)  # 1 / 20,000 x 10,000
    assert sub(k, "share_of_proven") == (1, 4, 25.0)
    assert k.sub("serious_violent_offences").count == 2
    assert k.sub("serious_violent_offences").percentage is None
    assert any("no gravity score" in note for note in k.notes)


def test_victims(kpis) -> None:
    k = kpis[10]
    # Consent known for 4 victims in the period (3 yes); one not known; one before it.
    assert figures(k) == (3, 4, 75.0)
    assert sub(k, "views_sought") == (1, 2, 50.0)
    assert sub(k, "rj_offered") == (2, 3, pytest.approx(200 / 3))
    assert sub(k, "rj_participated") == (1, 2, 50.0)
    assert sub(k, "progress_info_given") == (1, 2, 50.0)
    assert sub(k, "support_info_given") == (2, 2, 100.0)
    assert sub(k, "not_known") == (1, 5, 20.0)


def test_zero_denominators_give_no_percentage_never_zero() -> None:
    kpis = compute_one(data([], [], [], board=BoardRecord("Board", ())), START, END)
    for k in kpis:
        assert k.percentage is None and k.rate in (None, 0.0), k.slug
    by = {k.number: k for k in kpis}
    assert figures(by[1]) == (0, 0, None)
    assert any("no percentage" in note for note in by[1].notes)
    assert figures(by[7]) == (None, None, None)  # no meeting held in the period
    assert by[9].rate == 0.0  # no serious violence in a known population is a real 0


def test_missing_records_and_board_say_what_is_missing() -> None:
    kpis = {
        k.number: k
        for k in compute_one(
            data(held=frozenset(), board=BoardRecord(None), population=None), START, END
        )
    }
    for number in (1, 2, 3, 4, 5, 6, 8, 9, 10):
        assert kpis[number].numerator is None and kpis[number].denominator is None
        assert all(s.count is None for s in kpis[number].sub_measures)
    assert "interventions.csv" in kpis[1].notes[0]
    assert "victims.csv" in kpis[10].notes[0]
    assert "gravity_score" in kpis[9].notes[0]
    assert kpis[7].numerator is None
    assert "No youth justice management board" in kpis[7].notes[0]


def test_missing_population_gives_no_rate() -> None:
    k = compute_one(data(population=None), START, END)[8]
    assert k.numerator == 1 and k.denominator is None and k.rate is None
    assert any("population" in note for note in k.notes)


def test_services_are_computed_apart() -> None:
    other = [dict(r, service=1, child=r["child"] + 100) for r in INTERVENTIONS[:2]]
    both = KpiData(
        services=("Testborough", "Otherton"),
        interventions=Interventions.from_records(INTERVENTIONS + other),
        offences=ProvenOffences.from_records(OFFENCES),
        victims=Victims.from_records(VICTIMS),
        population=(20_000, None),
        held=(ALL, ALL),
        boards=(BOARD, None),
    )
    result = compute(both, START, END)
    assert figures(result["Testborough"][0]) == (3, 4, 75.0)
    assert figures(result["Otherton"][0]) == (1, 1, 100.0)  # the referral order only
    assert result["Otherton"][9].numerator == 0


def test_json_contract_and_return_rows(kpis) -> None:
    doc = document("Testborough", START, END, list(kpis.values()))
    assert set(doc) == {"service", "from", "to", "kpis"}
    assert doc["from"] == "2024-04-01" and len(doc["kpis"]) == 10
    first = doc["kpis"][0]
    assert set(first) == {
        "number",
        "slug",
        "title",
        "numerator",
        "denominator",
        "percentage",
        "rate",
        "sub_measures",
        "notes",
    }
    assert set(first["sub_measures"][0]) == {"slug", "label", "count", "denominator", "percentage"}
    assert doc["kpis"][1]["percentage"] == 66.7 and doc["kpis"][8]["rate"] == 0.5
    rows = return_rows("Testborough", START, END, list(kpis.values()))
    headline = [r for r in rows if r[3] == 1 and r[5] == "headline"]
    assert headline == [
        [
            "Testborough",
            "2024-04-01",
            "2024-06-30",
            1,
            kpis[1].title,
            "headline",
            kpis[1].title,
            3,
            4,
            75.0,
            "",
        ]
    ]
    assert len(rows) == 10 + sum(len(k.sub_measures) for k in kpis.values())
