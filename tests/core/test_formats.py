"""The one set of number formatters (issue 23), each worked by hand on small cases."""

from __future__ import annotations

import pytest

from saferboard.core import formats


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234, 0, "1,234"), (1234567.891, 1, "1,234,567.9"), (999.5, 0, "1,000"), (0, 0, "0")],
)
def test_thousands(value: float, decimals: int, text: str) -> None:
    assert formats.thousands(value, decimals) == text


def test_signed_pct() -> None:
    assert formats.signed_pct(4.44) == "+4.4%"
    assert formats.signed_pct(-15.6, 0) == "-16%"
    assert formats.signed_pct(0.0) == "+0.0%"
    assert formats.signed_pct(None) == "n/a"
    assert formats.signed_pct(None, none="") == ""


def test_whole_pct_change() -> None:
    # (80 - 100) / 100 = -20%; (104.4 - 100) / 100 = +4.4% → +4%; 0.3 rounds to 0 → '0%'
    assert [formats.whole_pct_change(v) for v in (-20.0, 4.4, 0.3, -0.4, None)] == [
        "-20%",
        "+4%",
        "0%",
        "0%",
        "n/a",
    ]


def test_unit_figure() -> None:
    assert formats.unit_figure(1234.4) == "1,234"
    assert formats.unit_figure(34.56, "percent") == "34.6%"
    assert formats.unit_figure(None) == "No data"


def test_plain_figure() -> None:
    assert formats.plain_figure(1234.0) == "1,234"
    assert formats.plain_figure(12.54) == "12.5"
    assert formats.plain_figure(34.0, "percent") == "34%"
    assert formats.plain_figure(34.56, "percentage") == "34.6%"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (None, ""),
    ],
)
def test_ordinal(n: int | None, text: str) -> None:
    assert formats.ordinal(n) == text


def test_the_crime_filters_are_the_core_formatters() -> None:
    from saferboard.crime.templatetags import crime_format

    assert crime_format.whole_pct(-15.6) == "-16%"
    assert crime_format.ordinal(23) == "23rd"
    assert crime_format.figure(34.56, "percent") == "34.6%"
    assert crime_format.figure(None) == "No data"


def test_youth_justice_filters_use_the_shared_formatters() -> None:
    # Issue 23: the youth justice filters are the core formatters, worked by hand.
    from saferboard.youthjustice.templatetags.yj import number, signed_pct

    assert number(1234) == "1,234" and number(1234, 1) == "1,234"  # a whole number as is
    assert number(1234.56, 1) == "1,234.6" and number(2.5) == "2"  # half to even
    assert number(-0.4) == "0" and number(None) == "–"
    assert signed_pct(4.44) == "+4.4%" and signed_pct(-15.0) == "-15.0%"
    assert signed_pct(None) == "–"
