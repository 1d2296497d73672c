"""Hand-computed cases for every rule of the KPI definitions (docs/methodology.md)."""

from __future__ import annotations

from datetime import date as d

import pytest

from saferboard.core.periods import add_months
from saferboard.youthjustice.engine import cohort_windows, kpis_for, tracker
from tests.youthjustice.builders import SERVICE, Cases

YEAR = (d(2022, 4, 1), d(2023, 3, 31))


def run(cases: Cases, kind: str = "12m", period: tuple[d, d] = YEAR, data_to: d | None = None):
    return kpis_for(cases.data(data_to), SERVICE, period[0], period[1], kind)


# First time entrants -----------------------------------------------------------------


def test_community_resolution_before_a_caution_the_caution_is_the_first_entry() -> None:
    c = Cases()
    c.populate(2023, 1000)  # 8,000 aged 10-17 in the year the period ends
    child = c.child(d(2008, 1, 1))
    c.outcome(child, d(2022, 1, 10), "community_resolution", offence=d(2021, 12, 1))
    c.outcome(child, d(2022, 6, 1), "youth_caution", offence=d(2022, 5, 1))
    result = run(c)
    assert result.fte_count == 1
    assert result.population_10_17 == 8000
    assert result.fte_rate_per_100k == 1 * 100000 / 8000  # 12.5
    # The year before holds only the community resolution: no entrant there.
    assert run(c, period=(d(2021, 4, 1), d(2022, 3, 31))).fte_count == 0


def test_only_the_first_ever_substantive_outcome_makes_an_entrant() -> None:
    c = Cases()
    child = c.child(d(2007, 1, 1))
    c.outcome(child, d(2022, 3, 31), "youth_caution")  # the day before the period
    c.outcome(child, d(2022, 7, 1), "referral_order")
    assert run(c).fte_count == 0


def test_entrants_must_be_10_to_17_on_the_date_of_the_outcome() -> None:
    c = Cases()
    seventeen = c.child(d(2005, 6, 1))  # 17 on 31 May 2023, 18 the next day
    c.outcome(seventeen, d(2023, 3, 31), "fine")
    eighteen = c.child(d(2004, 6, 1))
    c.outcome(eighteen, d(2022, 6, 1), "fine")  # 18 today
    assert run(c).fte_count == 1


def test_an_entrant_born_on_29_february_turns_ten_on_1_march() -> None:
    c = Cases()
    leap = c.child(d(2012, 2, 29))
    c.outcome(leap, d(2022, 2, 28), "youth_caution")  # still 9: never an entrant
    other = c.child(d(2012, 2, 29))
    c.outcome(other, d(2022, 4, 1), "youth_caution")  # 10
    assert run(c).fte_count == 1


def test_zero_population_gives_null_rates() -> None:
    c = Cases()
    c.populate(2023, 0)
    child = c.child(d(2008, 1, 1))
    c.outcome(child, d(2022, 6, 1), "detention_and_training_order")
    result = run(c)
    assert result.fte_count == 1 and result.custody_count == 1
    assert result.population_10_17 == 0
    assert result.fte_rate_per_100k is None
    assert result.custody_rate_per_1000 is None


def test_missing_population_year_gives_null_population_and_rates() -> None:
    c = Cases()
    c.populate(2022, 1000)  # the period ends in 2023: 2022's estimate is not used
    c.child(d(2008, 1, 1))
    result = run(c)
    assert result.population_10_17 is None
    assert result.fte_rate_per_100k is None


# Use of custody ------------------------------------------------------------------------


def test_custody_counts_custodial_sentences_of_children_10_to_17() -> None:
    c = Cases()
    c.populate(2023, 500)  # 4,000
    a = c.child(d(2006, 1, 1))
    c.outcome(a, d(2022, 5, 1), "detention_and_training_order")
    c.outcome(a, d(2022, 9, 1), "section_250_detention")
    b = c.child(d(2004, 1, 1))
    c.outcome(b, d(2022, 5, 1), "other_custody")  # 18 at sentence: not counted
    d_ = c.child(d(2007, 1, 1))
    c.outcome(d_, d(2022, 5, 1), "youth_rehabilitation_order")  # not custodial
    result = run(c)
    assert result.custody_count == 2
    assert result.custody_rate_per_1000 == 2 * 1000 / 4000


# Reoffending ---------------------------------------------------------------------------


def test_binary_and_frequency_rates_hand_computed() -> None:
    c = Cases()
    # Child A: index 1 June 2022; two reoffences proven; one reoffender.
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2022, 8, 1), d(2022, 10, 1))
    c.reoffence(a, d(2022, 9, 1), d(2022, 10, 1))
    # Child B: index 1 July 2022; no reoffence.
    b = c.child(d(2007, 1, 1))
    c.outcome(b, d(2022, 7, 1), "referral_order")
    result = run(c)
    assert (result.cohort, result.reoffenders, result.reoffences) == (2, 1, 2)
    assert result.binary_rate_pct == 50.0
    assert result.frequency_rate == 1.0
    assert result.reoffences_per_reoffender == 2.0


def test_non_substantive_outcomes_are_not_index_events() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "community_resolution")
    c.outcome(a, d(2022, 7, 1), "no_further_action")
    assert run(c).cohort == 0


def test_a_child_who_turns_18_after_the_index_date_stays_in_the_cohort() -> None:
    c = Cases()
    a = c.child(d(2005, 1, 1))  # 17 at the index date, 18 from 1 January 2023
    c.outcome(a, d(2022, 12, 1), "youth_caution")
    c.reoffence(a, d(2023, 2, 1), d(2023, 3, 1))  # committed and proven at 18
    result = run(c)
    assert result.cohort == 1
    assert result.reoffenders == 1 and result.reoffences == 1


def test_an_offence_before_the_index_date_proven_after_it_is_not_a_reoffence() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2022, 5, 1), d(2023, 5, 1))  # committed before the index date
    c.reoffence(a, d(2022, 6, 1), d(2023, 5, 1))  # committed on the index date
    result = run(c)
    assert result.cohort == 1 and result.reoffences == 0


def test_proven_19_months_after_the_index_date_is_not_counted() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2022, 9, 1), d(2024, 1, 1))  # 19 months after 1 June 2022
    b = c.child(d(2007, 1, 1))
    c.outcome(b, d(2022, 6, 1), "youth_caution")
    c.reoffence(b, d(2022, 9, 1), d(2023, 12, 1))  # exactly 18 months: counted
    result = run(c)
    assert result.cohort == 2 and result.reoffenders == 1 and result.reoffences == 1


def test_the_follow_up_is_12_months_after_the_index_date() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2023, 6, 1), d(2023, 7, 1))  # exactly 12 months: counted
    c.reoffence(a, d(2023, 6, 2), d(2023, 7, 1))  # a day later: not
    assert run(c).reoffences == 1


def test_follow_up_months_clamp_to_the_end_of_the_month() -> None:
    assert add_months(d(2022, 8, 31), 18) == d(2024, 2, 29)
    assert add_months(d(2023, 8, 31), 18) == d(2025, 2, 28)
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 8, 31), "youth_caution")
    c.reoffence(a, d(2022, 10, 1), d(2024, 2, 29))  # proven on the last day allowed
    assert run(c).reoffences == 1


def test_a_breach_in_the_follow_up_is_not_counted() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "referral_order")
    proven = c.outcome(a, d(2022, 9, 1), "youth_rehabilitation_order")
    c.offence(a, d(2022, 8, 1), proven, breach=True, offence_type="Breach of statutory order")
    result = run(c)
    assert result.reoffences == 0 and result.reoffenders == 0


def test_an_offence_proven_by_a_non_substantive_outcome_is_not_counted() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2022, 7, 1), d(2022, 8, 1), outcome_type="community_resolution")
    c.offence(a, d(2022, 7, 2))  # never proven
    assert run(c).reoffences == 0


def test_a_custodial_release_is_an_index_event_and_the_sentence_is_not() -> None:
    c = Cases()
    a = c.child(d(2006, 1, 1))
    c.outcome(a, d(2022, 1, 10), "detention_and_training_order", release=d(2022, 7, 10))
    c.reoffence(a, d(2022, 8, 1), d(2022, 10, 1), outcome_type="fine")
    b = c.child(d(2006, 1, 1))
    # Sentenced in the period, still in custody at its end: not in the cohort.
    c.outcome(b, d(2022, 6, 1), "section_250_detention", release=d(2023, 6, 1))
    result = run(c)
    # Child A's index is the release (10 July); the fine in October is a later event.
    assert (result.cohort, result.reoffenders, result.reoffences) == (1, 1, 1)


def test_two_events_in_one_quarter_give_one_index_the_first() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 4, 5), "youth_caution")
    c.reoffence(a, d(2022, 4, 20), d(2022, 5, 30), outcome_type="referral_order")
    for kind in ("12m", "3m"):
        result = run(c, kind)
        # One child, indexed on 5 April: the offence of 20 April is its reoffence.
        assert (result.cohort, result.reoffenders, result.reoffences) == (1, 1, 1), kind


def test_3m_and_12m_differ_for_the_same_child() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 5, 1), "youth_caution")  # Q1 index
    c.reoffence(a, d(2022, 9, 1), d(2022, 11, 1), outcome_type="referral_order")  # Q3 event
    twelve = run(c, "12m")
    three = run(c, "3m")
    assert (twelve.cohort, twelve.reoffenders, twelve.reoffences) == (1, 1, 1)
    # 3m: in Q1 (reoffends in September) and again in Q3 (no later offence).
    assert (three.cohort, three.reoffenders, three.reoffences) == (2, 1, 1)
    assert three.binary_rate_pct == 50.0


def test_3m_needs_whole_quarters() -> None:
    with pytest.raises(ValueError, match="whole quarters"):
        cohort_windows([(d(2022, 4, 1), d(2022, 8, 31))], "3m")
    windows = cohort_windows([YEAR], "3m")
    assert [(w.start, w.end) for w in windows] == [
        (d(2022, 4, 1), d(2022, 6, 30)),
        (d(2022, 7, 1), d(2022, 9, 30)),
        (d(2022, 10, 1), d(2022, 12, 31)),
        (d(2023, 1, 1), d(2023, 3, 31)),
    ]


def test_a_custodial_release_aged_18_is_not_an_index_event() -> None:
    c = Cases()
    a = c.child(d(2004, 9, 1))
    c.outcome(a, d(2022, 1, 1), "detention_and_training_order", release=d(2022, 10, 1))
    assert run(c).cohort == 0


# Provisional flags and the tracker -----------------------------------------------------


def test_provisional_until_18_months_after_the_period_end() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    assert run(c, data_to=d(2024, 9, 29)).provisional is True
    assert run(c, data_to=d(2024, 9, 30)).provisional is False
    result = run(c, data_to=d(2024, 1, 1))
    assert result.as_contract()["reoffending"]["data_to"] == "2024-01-01"


def test_tracker_follows_the_cohort_only_to_the_chosen_date() -> None:
    c = Cases()
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 6, 1), "youth_caution")
    c.reoffence(a, d(2022, 8, 1), d(2022, 10, 1))
    c.reoffence(a, d(2022, 12, 1), d(2023, 4, 1))
    data = c.data()
    early = tracker(data, SERVICE, *YEAR, follow_to=d(2022, 12, 31))
    assert (early.cohort, early.reoffenders, early.reoffences) == (1, 1, 1)
    assert early.provisional is True
    later = tracker(data, SERVICE, *YEAR, follow_to=d(2023, 6, 30))
    assert later.reoffences == 2


# Children cautioned or sentenced -------------------------------------------------------


def test_children_cautioned_or_sentenced_counts_children_once() -> None:
    c = Cases()
    c.populate(2023, 1250)  # 10,000
    a = c.child(d(2007, 1, 1))
    c.outcome(a, d(2022, 5, 1), "youth_caution")
    c.outcome(a, d(2022, 9, 1), "fine")
    b = c.child(d(2007, 1, 1))
    c.outcome(b, d(2022, 5, 1), "community_resolution")
    result = run(c)
    assert result.cautioned_sentenced_count == 1
    assert result.cautioned_sentenced_rate_per_10k == 1.0


def test_contract_keys_are_exactly_the_documented_ones() -> None:
    doc = run(Cases()).as_contract()
    assert list(doc) == ["service", "from", "to", "fte", "custody", "reoffending"]
    assert list(doc["fte"]) == ["count", "population_10_17", "rate_per_100k"]
    assert list(doc["custody"]) == ["count", "rate_per_1000"]
    assert list(doc["reoffending"]) == [
        "cohort_kind",
        "cohort",
        "reoffenders",
        "reoffences",
        "binary_rate_pct",
        "frequency_rate",
        "reoffences_per_reoffender",
        "provisional",
        "data_to",
    ]
    assert doc["reoffending"]["binary_rate_pct"] is None  # empty cohort: null
