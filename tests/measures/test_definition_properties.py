"""Properties of the definition builder: what it counts is exactly what was named (less
what was left out), anything else is refused naming the option and a valid nearest
category, and a built definition reads back as what it was made from."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.crime.categories import CATEGORY_ERAS
from saferboard.crime.measures import (
    MET_DASHBOARD,
    MET_RECORDED,
    POLICE_UK,
    categories_for,
    known_categories,
)
from saferboard.measures.definitions import (
    Parts,
    Refused,
    build_definition,
    dashboard_text,
    nearest,
    parts_of,
)

POLICE = known_categories(POLICE_UK, with_store=False)
RECORDED = known_categories(MET_RECORDED, with_store=False)
DASHBOARD = known_categories(MET_DASHBOARD, with_store=False)
MET = [*RECORDED, *DASHBOARD]
MAJORS = sorted({k.partition("|")[0] for k in RECORDED})
MINORS = sorted({k.partition("|")[2] for k in RECORDED})
LABELS = {era.key: era.label for era in CATEGORY_ERAS}


@given(st.sets(st.sampled_from(POLICE), min_size=1), st.data())
def test_police_uk_counts_exactly_what_is_named(chosen: set[str], data: st.DataObject) -> None:
    # Each named by its key or its label, in any case.
    names = [
        data.draw(st.sampled_from([key, LABELS[key], LABELS[key].upper()]))
        for key in sorted(chosen)
    ]
    definition = build_definition(POLICE_UK, Parts(include=tuple(names)), POLICE)
    assert categories_for(definition, POLICE) == sorted(chosen)
    assert parts_of(definition) == Parts(include=tuple(names))


@given(st.sets(st.sampled_from(POLICE), max_size=len(POLICE) - 1))
def test_police_uk_all_except(left_out: set[str]) -> None:
    definition = build_definition(
        POLICE_UK, Parts(include=("all",), exclude=tuple(sorted(left_out))), POLICE
    )
    assert categories_for(definition, POLICE) == sorted(set(POLICE) - left_out)


@given(st.sets(st.sampled_from(MAJORS), min_size=1), st.sets(st.sampled_from(MINORS)))
def test_recorded_crime_majors_less_minors(majors: set[str], minors: set[str]) -> None:
    included = set(categories_for({"major": sorted(majors)}, RECORDED))
    dropped = set(categories_for({"minor": sorted(minors)}, RECORDED))
    parts = Parts(include=tuple(sorted(majors)), exclude=tuple(sorted(minors)))
    if not minors:
        parts = Parts(include=tuple(sorted(majors)))
    if dropped - included or not included - dropped:
        with pytest.raises(Refused) as caught:
            build_definition(MET_RECORDED, parts, MET)
        assert caught.value.problems[0].field in {"exclude", "include"}
        return
    definition = build_definition(MET_RECORDED, parts, MET)
    assert categories_for(definition, MET) == sorted(included - dropped)


@given(st.sets(st.sampled_from(DASHBOARD), min_size=1))
def test_dashboard_rows(rows: set[str]) -> None:
    texts = tuple(dashboard_text(k.split("|")[1:]).lower() for k in sorted(rows))
    definition = build_definition(MET_DASHBOARD, Parts(include=texts), MET)
    assert categories_for(definition, MET) == sorted(rows)


@given(
    st.sampled_from([POLICE_UK, MET_RECORDED, MET_DASHBOARD]),
    st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=3),
    st.lists(st.text(min_size=1, max_size=40), max_size=2),
)
def test_anything_else_is_refused_naming_option_and_a_valid_nearest(
    vocabulary: str, include: list[str], exclude: list[str]
) -> None:
    known = POLICE if vocabulary == POLICE_UK else MET
    try:
        definition = build_definition(vocabulary, Parts(tuple(include), tuple(exclude)), known)
    except Refused as refused:
        for problem in refused.problems:
            assert problem.field in {"include", "exclude"}
            assert problem.as_option().startswith(f"--{problem.field}")
            if "the nearest is" in problem.message:
                suggested = problem.message.split("the nearest is ", 1)[1].strip("'\"")
                # The suggestion is itself accepted.
                build_definition(
                    vocabulary,
                    Parts(include=(suggested,)),
                    known,
                )
        return
    counted = categories_for(definition, known)
    assert counted and {c.lstrip("-") for c in counted} <= set(known)


@given(st.text(min_size=1, max_size=30))
def test_nearest_is_always_a_candidate(text: str) -> None:
    assert nearest(text, POLICE) in POLICE
    assert nearest(text, []) is None


def test_describe_in_plain_words() -> None:
    from saferboard.measures.definitions import describe

    assert describe({"all_except": ["anti-social-behaviour"]}) == (
        "Counts all, leaving out anti-social-behaviour"
    )
    ndvwi = {
        "minor": ["VIOLENCE WITH INJURY"],
        "minus": {
            "dashboard": [["Domestic Abuse", "Domestic Abuse violence with injury", "Offences"]]
        },
    }
    assert describe(ndvwi) == (
        "Counts VIOLENCE WITH INJURY, leaving out "
        "Domestic Abuse|Domestic Abuse violence with injury|Offences"
    )
    assert describe({}) == "Not defined by categories"
