"""Ranking peers on a measure: the one direction-aware function crime and youth justice use.

Rank 1 is the best: the lowest value when lower is better, the highest when higher is
better. Equal values share the best rank they tie for (1, 2, 2, 4: "competition"
ranking, as the published league tables do). A measure that is only monitored (neutral
direction) ranks lowest first, as a table sorted by value would. Missing values are
not ranked.
"""

from __future__ import annotations

from collections.abc import Mapping

HIGHER = "higher"


def competition_ranks(
    values: Mapping[str, float | None], direction: str = "lower"
) -> dict[str, int | None]:
    """Each key's rank among the ``values`` (``None`` for a missing value).

    ``direction`` is the measure's direction of good (``"lower"``, ``"higher"`` or
    ``"neutral"``, as :class:`saferboard.measures.models.Direction` stores it).
    """
    sign = -1 if direction == HIGHER else 1
    ordered = sorted(
        ((value, key) for key, value in values.items() if value is not None),
        key=lambda item: (sign * item[0], item[1]),
    )
    ranks: dict[str, int | None] = dict.fromkeys(values)
    position = 0
    previous: float | None = None
    for index, (value, key) in enumerate(ordered, start=1):
        if previous is None or value != previous:
            position = index
            previous = value
        ranks[key] = position
    return ranks
