"""Checking the values in a partner return, wherever they were typed.

The web form, the spreadsheet upload and the API all hand raw text (or numbers) to
:func:`validate_return`, which applies each measure's rules and the change-threshold
prompt, and returns clean values or a list of problems. Pure: no database, no request.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
MAX_VALUE = 1e12  # well beyond any count a partner returns; guards against typos like 1e308
MAX_COMMENT = 2000


@dataclass(frozen=True)
class MeasureRule:
    """How one measure on a template is checked."""

    slug: str
    label: str
    required: bool = True
    integer: bool = True
    allow_negative: bool = False
    change_threshold_pct: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@dataclass(frozen=True)
class RawEntry:
    """What was typed for one measure: the value as text or a number, and a comment."""

    value: str | float | int | None
    comment: str = ""


@dataclass(frozen=True)
class CleanEntry:
    value: float | None
    comment: str


@dataclass(frozen=True)
class ValueProblem:
    """One thing wrong with one measure's entry. ``field`` is 'value' or 'comment'."""

    slug: str
    field: str
    message: str
    value: str | None = None


def parse_value(raw: str | float | int | None) -> float | None | str:
    """A number, ``None`` for blank, or the error message (a string) if unreadable."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "must be a number"
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:  # an integer (from JSON or a cell) beyond any float
            return "is too large"
    else:
        text = raw.strip().replace(",", "")
        if text == "":
            return None
        if not _NUMBER.fullmatch(text):
            return "must be a number"
        number = float(text)
    if not math.isfinite(number) or abs(number) > MAX_VALUE:
        return "is too large"
    return number


def change_pct(previous: float, current: float) -> float:
    """Percentage change from ``previous`` to ``current``; infinite from zero to non-zero."""
    if previous == 0:
        return 0.0 if current == 0 else math.inf
    return (current - previous) / abs(previous) * 100


def validate_return(
    rules: Sequence[MeasureRule],
    entries: Mapping[str, RawEntry],
    previous: Mapping[str, float | None],
) -> tuple[dict[str, CleanEntry], list[ValueProblem]]:
    """Check every measure's entry; return the clean values and the problems, in order.

    ``previous`` holds last period's accepted values, for the change prompt: a value that
    moves more than the measure's threshold needs a comment saying why.
    """
    clean: dict[str, CleanEntry] = {}
    problems: list[ValueProblem] = []
    for rule in rules:
        entry = entries.get(rule.slug, RawEntry(None))
        shown = None if entry.value is None else str(entry.value)
        comment = (entry.comment or "").strip()
        parsed = parse_value(entry.value)
        if isinstance(parsed, str):
            problems.append(ValueProblem(rule.slug, "value", f"{rule.label} {parsed}", shown))
            continue
        if len(comment) > MAX_COMMENT:
            problems.append(
                ValueProblem(
                    rule.slug,
                    "comment",
                    f"The comment on {rule.label} must be {MAX_COMMENT} characters or fewer",
                )
            )
            continue
        if parsed is None:
            if rule.required:
                problems.append(ValueProblem(rule.slug, "value", f"Enter {rule.label}", shown))
                continue
            clean[rule.slug] = CleanEntry(None, comment)
            continue
        if rule.integer and not float(parsed).is_integer():
            problems.append(
                ValueProblem(rule.slug, "value", f"{rule.label} must be a whole number", shown)
            )
            continue
        if parsed < 0 and not rule.allow_negative:
            problems.append(
                ValueProblem(rule.slug, "value", f"{rule.label} must be 0 or more", shown)
            )
            continue
        bound = _out_of_bounds(rule, parsed)
        if bound:
            problems.append(ValueProblem(rule.slug, "value", bound, shown))
            continue
        last = previous.get(rule.slug)
        if rule.change_threshold_pct is not None and last is not None and not comment:
            change = change_pct(last, parsed)
            if abs(change) > float(rule.change_threshold_pct):
                moved = "rose" if parsed > last else "fell"
                problems.append(
                    ValueProblem(
                        rule.slug,
                        "comment",
                        f"Explain why {rule.label} {moved} by more than "
                        f"{rule.change_threshold_pct.normalize():f}% since last period "
                        f"(from {last:g} to {parsed:g})",
                        shown,
                    )
                )
                continue
        clean[rule.slug] = CleanEntry(parsed, comment)
    return clean, problems


def _out_of_bounds(rule: MeasureRule, value: float) -> str:
    """The message for a value outside the rule's minimum or maximum, else ''."""
    if rule.minimum is not None and value < float(rule.minimum):
        return f"{rule.label} must be {rule.minimum.normalize():f} or more"
    if rule.maximum is not None and value > float(rule.maximum):
        return f"{rule.label} must be {rule.maximum.normalize():f} or less"
    return ""
