"""Rolling-year window arithmetic on months written ``YYYY-MM`` (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass

from saferboard.core.periods import month_key, parse_month

__all__ = ["Comparison", "Window", "month_key", "month_label", "month_range", "parse_month"]


def month_range(first: int, last: int) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as keys."""
    return [month_key(i) for i in range(first, last + 1)]


def month_label(key: str) -> str:
    """'2025-03' → 'Mar 2025'."""
    index = parse_month(key)
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[index % 12]} {index // 12}"


@dataclass(frozen=True)
class Window:
    """An inclusive run of whole months."""

    first: str
    last: str

    @property
    def months(self) -> list[str]:
        return month_range(parse_month(self.first), parse_month(self.last))

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first, "to": self.last}

    @property
    def label(self) -> str:
        return f"{month_label(self.first)} to {month_label(self.last)}"


@dataclass(frozen=True)
class Comparison:
    """The rolling year to a month and the year before it."""

    current: Window
    previous: Window

    @classmethod
    def to(cls, month: str, length: int = 12) -> Comparison:
        """The ``length`` months ending with ``month``, and the ``length`` before those."""
        if length < 1:
            raise ValueError("A window needs at least one month")
        end = parse_month(month)
        return cls(
            Window(month_key(end - length + 1), month_key(end)),
            Window(month_key(end - 2 * length + 1), month_key(end - length)),
        )

    @classmethod
    def financial_year_to_date(cls, month: str) -> Comparison:
        """April (the start of the UK financial year) to ``month``, against the same
        months a year earlier: "April to February" comparisons as boards read them."""
        end = parse_month(month)
        april = end - ((end % 12) - 3) % 12  # index % 12 is the month - 1 (April: 3)
        return cls(
            Window(month_key(april), month_key(end)),
            Window(month_key(april - 12), month_key(end - 12)),
        )

    def missing(self, available: set[str]) -> tuple[list[str], list[str]]:
        """Months of each window not in ``available`` (current, previous)."""
        return (
            [m for m in self.current.months if m not in available],
            [m for m in self.previous.months if m not in available],
        )
