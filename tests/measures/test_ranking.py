"""The one ranking function: 1 is best, ties share the best rank, direction-aware."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saferboard.measures.ranking import competition_ranks


def test_lower_is_better_by_hand() -> None:
    values = {"A": 3.0, "B": 1.0, "C": 3.0, "D": 5.0, "E": None}
    assert competition_ranks(values, "lower") == {"A": 2, "B": 1, "C": 2, "D": 4, "E": None}


def test_higher_is_better_by_hand() -> None:
    values = {"A": 3.0, "B": 1.0, "C": 3.0, "D": 5.0}
    assert competition_ranks(values, "higher") == {"A": 2, "B": 4, "C": 2, "D": 1}


def test_neutral_ranks_lowest_first() -> None:
    assert competition_ranks({"A": 2.0, "B": 1.0}, "neutral") == {"A": 2, "B": 1}


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.one_of(st.none(), st.integers(-50, 50).map(float)),
        max_size=20,
    ),
    st.sampled_from(["lower", "higher", "neutral"]),
)
def test_ranks_are_competition_ranks(values: dict[str, float | None], direction: str) -> None:
    ranks = competition_ranks(values, direction)
    assert ranks.keys() == values.keys()
    sign = -1 if direction == "higher" else 1
    for key, value in values.items():
        if value is None:
            assert ranks[key] is None
            continue
        # 1 + how many are strictly better: the definition of competition ("1224") ranking.
        better = sum(1 for v in values.values() if v is not None and sign * v < sign * value)
        assert ranks[key] == better + 1
