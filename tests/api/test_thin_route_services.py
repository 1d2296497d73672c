"""The services the API's routes call (issue 23: routes stay thin), tested on small
known cases without a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from saferboard.api.observation_submissions import BatchInvalid, Problem, batch_values
from saferboard.crime.series import SeriesWindow, series_out
from saferboard.measures.models import Measure


@dataclass
class Sent:
    period: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    value: float | None = 1.0
    numerator: float | None = None
    denominator: float | None = None
    provisional: bool = False


def test_a_batch_becomes_values_for_its_area() -> None:
    values = batch_values(
        "E09000006",
        [
            Sent(period="2025-01", value=7),
            Sent(period_start=date(2025, 2, 1), period_end=date(2025, 2, 28)),
        ],
    )
    assert [(v.area_code, v.period_start, v.period_end, v.value) for v in values] == [
        ("E09000006", date(2025, 1, 1), date(2025, 1, 31), 7),
        ("E09000006", date(2025, 2, 1), date(2025, 2, 28), 1.0),
    ]


def test_every_problem_in_a_batch_is_located() -> None:
    with pytest.raises(BatchInvalid) as raised:
        batch_values(
            "E09000006",
            [
                Sent(period="2025-13"),
                Sent(period="2025-01", numerator=float("inf")),
                Sent(),
                Sent(period="2025-01"),
            ],
        )
    problems = raised.value.problems
    assert [p.location for p in problems] == [
        ("observations", "0"),
        ("observations", "1", "numerator"),
        ("observations", "2"),
        ("observations",),
    ]
    assert problems[1] == Problem(("observations", "1", "numerator"), "must be a finite number")
    assert problems[2].message == "Give a period, or a period_start and period_end"
    assert problems[3].message == "The same period appears twice"


def _window(measure: Measure) -> SeriesWindow:
    return SeriesWindow(
        source="police-uk",
        measure=measure,
        areas=[("E05000001", "Ward")],
        first="2025-01",
        last="2025-03",
        span=["2025-01", "2025-02", "2025-03"],
        categories={},
    )


def test_a_count_series_lists_a_month_without_data_as_missing_never_zero() -> None:
    measure = Measure(slug="burglary", unit="count", definition={"categories": ["burglary"]})
    out = series_out(
        _window(measure), "E05000001", "Ward", {"burglary": {"2025-01": 4, "2025-03": 0}}
    )
    assert [(m["month"], m["count"], m["value"]) for m in out["months"]] == [
        ("2025-01", 4, 4),
        ("2025-02", None, None),
        ("2025-03", 0, 0),
    ]
    assert out["missing"] == ["2025-02"]


def test_a_ratio_series_is_its_parts_ratio_with_no_count() -> None:
    measure = Measure(
        slug="solved", unit="percent", definition={"ratio": {"numerator": {}, "denominator": {}}}
    )
    monthly = {
        "solved": {"2025-01": 25, "2025-02": 10},  # the summed parts: never shown
        "solved:numerator": {"2025-01": 5, "2025-02": 0},
        "solved:denominator": {"2025-01": 20, "2025-02": 10},
    }
    out = series_out(_window(measure), "E05000001", "Ward", monthly)
    # 5 of 20 is 25 %; 0 of 10 is 0 %; March has no denominator.
    assert [(m["count"], m["value"]) for m in out["months"]] == [
        (None, 25.0),
        (None, 0.0),
        (None, None),
    ]
    assert out["missing"] == ["2025-03"]
    assert out["unit"] == "percent"
