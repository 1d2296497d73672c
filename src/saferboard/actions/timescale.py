"""Reading an action's timescale text into dates and a review cadence (pure).

Improvement plans write timescales as free text in one cell, for example
``"Commence: September 2015 Completion: Ongoing Review: Quarterly"``. The parser
finds the three labelled parts, reads each date (a month and year, a day/month/year,
or an ISO date) and the cadence, and always keeps the original text: a person can
read what the plan said even where the parser could not.

A month without a day means the first of the month for a start and the last of the
month for a completion ("complete by March 2016" means by 31 March 2016).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# The date reader is shared by every app's forms, so it lives in core; re-exported here.
from saferboard.core.dates import MONTHS, parse_date

__all__ = [
    "MONTHS",
    "Cadence",
    "Timescale",
    "format_timescale",
    "parse_cadence",
    "parse_date",
    "parse_timescale",
]


class Cadence(StrEnum):
    """How often an action is reviewed."""

    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"
    ANNUALLY = "annually"

    @property
    def months(self) -> int:
        return _CADENCE_MONTHS[self]

    @property
    def label(self) -> str:
        return _CADENCE_LABELS[self]


_CADENCE_MONTHS = {
    Cadence.MONTHLY: 1,
    Cadence.BIMONTHLY: 2,
    Cadence.QUARTERLY: 3,
    Cadence.SIX_MONTHLY: 6,
    Cadence.ANNUALLY: 12,
}
_CADENCE_LABELS = {
    Cadence.MONTHLY: "Monthly",
    Cadence.BIMONTHLY: "Every two months",
    Cadence.QUARTERLY: "Quarterly",
    Cadence.SIX_MONTHLY: "Six-monthly",
    Cadence.ANNUALLY: "Annually",
}
# Words plans use for each cadence (matched whole, case-insensitively).
_CADENCE_WORDS = {
    Cadence.MONTHLY: ("monthly", "every month", "each month"),
    Cadence.BIMONTHLY: ("bimonthly", "bi-monthly", "every two months", "every 2 months"),
    Cadence.QUARTERLY: (
        "quarterly",
        "every quarter",
        "each quarter",
        "every three months",
        "every 3 months",
    ),
    Cadence.SIX_MONTHLY: (
        "six monthly",
        "six-monthly",
        "6 monthly",
        "6-monthly",
        "half yearly",
        "half-yearly",
        "every six months",
        "every 6 months",
        "biannually",
    ),
    Cadence.ANNUALLY: ("annually", "annual", "yearly", "every year", "each year"),
}
_LABELS = {
    "commence": "commence",
    "commencing": "commence",
    "commenced": "commence",
    "start": "commence",
    "starts": "commence",
    "started": "commence",
    "completion": "completion",
    "complete": "completion",
    "completed": "completion",
    "end": "completion",
    "due": "completion",
    "deadline": "completion",
    "review": "review",
    "reviewed": "review",
    "review date": "review",
}
_LABEL_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in _LABELS), key=len, reverse=True)) + r")\s*:",
    re.IGNORECASE,
)
_ONGOING = {"ongoing", "on-going", "on going", "continuous", "continuing", "throughout"}


@dataclass(frozen=True)
class Timescale:
    """What a timescale cell says, read into values, with the original text kept."""

    original: str
    commence: date | None = None
    completion: date | None = None
    ongoing: bool = False
    review: Cadence | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    # A dated review ("Review: June 2016") rather than a cadence.
    review_date: date | None = None


def parse_cadence(text: str) -> Cadence | None:
    """The review cadence named in ``text`` ('Quarterly', 'six monthly'…), if any."""
    lowered = " ".join(text.lower().replace("–", "-").split()).strip(" .,;")
    for cadence, words in _CADENCE_WORDS.items():
        if lowered in words:
            return cadence
    for cadence, words in sorted(
        _CADENCE_WORDS.items(), key=lambda kv: -max(len(w) for w in kv[1])
    ):
        if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words):
            return cadence
    return None


def parse_timescale(text: str) -> Timescale:
    """Read a timescale cell. Never raises: what it cannot read goes into ``problems``.

    Labelled parts ("Commence:", "Completion:", "Review:") may come in any order, on
    one line or several. A cell without labels is read as a single completion date,
    "Ongoing", or a cadence.
    """
    original = text if isinstance(text, str) else str(text)
    cleaned = original.replace("\r", "\n").strip()
    if not cleaned:
        return Timescale(original=original)
    parts = _split_labelled(cleaned)
    problems: list[str] = []
    commence = completion = None
    ongoing = False
    review: Cadence | None = None
    review_date: date | None = None
    if not parts:
        # One unlabelled value: a date is a completion date.
        value = " ".join(cleaned.split())
        if value.lower() in _ONGOING:
            return Timescale(original=original, ongoing=True)
        if (day := parse_date(value, end_of_month=True)) is not None:
            return Timescale(original=original, completion=day)
        if (cadence := parse_cadence(value)) is not None:
            return Timescale(original=original, ongoing=True, review=cadence)
        return Timescale(original=original, problems=(f"Cannot read the timescale {value!r}",))
    for label, value in parts:
        value = " ".join(value.split()).strip(" .,;")
        if label == "commence":
            if value.lower() in {"immediate", "immediately", "now", "in place", "underway"}:
                continue
            commence = parse_date(value)
            if commence is None and value:
                problems.append(f"Cannot read the commence date {value!r}")
        elif label == "completion":
            if value.lower() in _ONGOING or value.lower().startswith("ongoing"):
                ongoing = True
                continue
            completion = parse_date(value, end_of_month=True)
            if completion is None and value:
                problems.append(f"Cannot read the completion date {value!r}")
        else:
            review = parse_cadence(value)
            if review is None and value:
                # "Review: June 2016" names when, not how often: the first of the month.
                review_date = parse_date(value)
                if review_date is None:
                    problems.append(f"Cannot read the review cadence {value!r}")
    if commence and completion and completion < commence:
        problems.append("The completion date is before the commence date")
    return Timescale(
        original=original,
        commence=commence,
        completion=completion,
        ongoing=ongoing,
        review=review,
        problems=tuple(problems),
        review_date=review_date,
    )


def format_timescale(
    commence: date | None,
    completion: date | None,
    ongoing: bool,
    review: Cadence | None,
    review_date: date | None = None,
) -> str:
    """Write values back in the plans' own form (the inverse of :func:`parse_timescale`
    for month-precision dates)."""
    parts = []
    if commence:
        parts.append(f"Commence: {commence:%B %Y}")
    if ongoing:
        parts.append("Completion: Ongoing")
    elif completion:
        parts.append(f"Completion: {completion:%B %Y}")
    if review:
        parts.append(f"Review: {review.label}")
    elif review_date:
        parts.append(f"Review: {review_date:%B %Y}")
    return " ".join(parts)


def _split_labelled(text: str) -> list[tuple[str, str]]:
    matches = list(_LABEL_RE.finditer(text))
    parts = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.append((_LABELS[match[1].lower()], text[match.end() : end]))
    return parts
