"""The figure check (pure): numbers written in narratives, checked against each other
and against the computed observations.

The papers this replaces carried sentences such as "a 27% reduction (from 14 to 7)":
14 to 7 is a 50% reduction. Before a pack is published every narrative is read for
patterns that state a change or a share together with the figures it is built on:

- a percentage change with the figures it runs between: "a 27% reduction (from 14 to
  7)", "fell from 1,451 to 1,280, a 12% fall", "234 … four years ago, 105 now: a 55%
  reduction";
- the dashboard's form: a count, the % difference and the previous figure in brackets:
  "1,280 … -12% (1,451)";
- a share: "12 of 40 (30%)", "12 out of 40 young people (30%)";
- a breakdown with its total: "of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue";

and, where the narrative belongs to a measure and period with a computed observation,
the figures it quotes are compared with that observation.

Each finding is an :class:`Issue` with where it is, how serious, what was found and a
suggested fix. Percentages are accepted within rounding (a whole-number percentage may
differ from the exact change by less than one point).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

Severity = Literal["error", "warning"]
ClaimKind = Literal["value", "previous", "change", "points"]

_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w%])"
# "12%", "-3.5 per cent"; not "3% points" nor "3 percentage points" (see _POINTS).
_PCT = (
    r"(?P<sign>[+\-−–])?\s?(?P<pct>\d+(?:\.\d+)?)\s?"
    r"(?:%(?!\s?(?:pts?|points?)\b)|per ?cent(?!age))"
)
_DOWN = r"reduction|decrease|fall|fell|drop|dropped|decline|declined|lower|down|cut"
_UP = r"increase|rise|rose|growth|grew|higher|up"

# "from 14 to 7" (also "from 14 in 2019 to 7 in 2020"): the years are skipped below.
_FROM_TO = re.compile(
    rf"\bfrom\s+(?P<a>{_NUMBER})(?P<amid>[^.;:]{{0,40}}?)\s+to\s+(?P<b>{_NUMBER})",
    re.IGNORECASE,
)
_PERCENT = re.compile(_PCT, re.IGNORECASE)
# A change of a rate in percentage points: "3 percentage points", "2.5 points", "3pp",
# "3 % points", "1.5 pts".
_POINTS = re.compile(
    r"(?<![\w.])(?P<sign>[+\-−–])?\s?(?P<pts>\d+(?:\.\d+)?)\s?"
    r"(?:percentage[\s-]+points?|%\s?(?:points?|pts?)|pp|points?|pts?)\b",
    re.IGNORECASE,
)
# A percentage written as a level the rate moved to or from ("fell to 34%"), not as
# the size of the change.
_LEVEL_BEFORE = re.compile(r"\b(?P<word>to|from)\s*$", re.IGNORECASE)
_DIRECTION = re.compile(rf"\b(?P<down>{_DOWN})\b|\b(?P<up>{_UP})\b", re.IGNORECASE)
# "1,280 (… ) -12% (1,451)": a signed percentage followed by the previous figure.
_DASHBOARD = re.compile(
    rf"(?P<current>{_NUMBER})[^.;%\d]{{0,60}}?\s(?P<sign>[+\-−–])\s?(?P<pct>\d+(?:\.\d+)?)%"
    rf"\s*\(\s*(?P<previous>{_NUMBER})\s*\)",
)
# "12 of 40 (30%)", "12 out of 40 children (30%)"
_SHARE = re.compile(
    rf"(?P<part>{_NUMBER})\s+(?:out\s+)?of\s+(?:the\s+)?(?P<whole>{_NUMBER})"
    rf"(?:\s+[A-Za-z][\w\-]*){{0,4}}\s*\(\s*(?P<pct>\d+(?:\.\d+)?)\s?%\s*\)",
    re.IGNORECASE,
)
# "of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue", also followed by a bracket
# ("… 9 Blue (1 Blue proposed, awaiting the board)", as the plan roll-up writes it).
_BREAKDOWN = re.compile(
    rf"\bof\s+(?P<total>{_NUMBER})\s+[a-z][\w\- ]{{0,30}}?:\s*"
    rf"(?P<parts>(?:{_NUMBER}\s+[A-Za-z][\w/\-]*(?:\s+[a-z][\w\-]*)?"
    rf"(?:,\s*|\s+and\s+|(?=[.;)]|\s*\(|$)))+)",
    re.IGNORECASE,
)
_PART = re.compile(rf"(?P<n>{_NUMBER})\s+[A-Za-z]")
_YEAR = re.compile(r"^(19|20)\d\d$")
# A sentence ends at '.', '!' or '?' followed by a space or the end; the point of
# "2.5" or "e.g.x" does not end it.
_SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?![\s.!?]|$))+(?:[.!?]+(?=\s|$)|$)")


def parse_number(text: str) -> float:
    """'1,280' → 1280.0; '7.5' → 7.5."""
    return float(text.replace(",", ""))


def percent_change(before: float, after: float) -> float | None:
    """The change from ``before`` to ``after`` as a percentage of ``before``."""
    if before == 0:
        return None
    return (after - before) / before * 100


def _tolerance(claimed_text: str) -> float:
    """Rounding allowance: under a point for a whole percentage, else one unit of the
    last decimal place written."""
    if "." not in claimed_text:
        return 1.0
    decimals = len(claimed_text.split(".")[1])
    return 10.0**-decimals


def _fmt_pct(value: float) -> str:
    return f"{abs(value):.0f}%" if abs(value) >= 10 else f"{abs(value):.1f}%".replace(".0%", "%")


@dataclass(frozen=True)
class Narrative:
    """A piece of text in the pack to check, and where it is."""

    location: str  # 'Item 6: Crime performance dashboard – Burglary'
    text: str
    link: str = ""  # an anchor or URL where the coordinator can fix it
    measure: str = ""  # measure slug, if the text is about one measure…
    period: str = ""  # …and one period (Period.key)
    edit_url: str = ""  # the page where the text is written, to correct it at source


@dataclass(frozen=True)
class ObservedFigure:
    """A computed figure the narrative for the same measure and period should agree with."""

    measure: str
    period: str
    value: float
    previous: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Issue:
    """A contradiction or doubtful figure found in a narrative."""

    location: str
    severity: Severity
    message: str
    found: str
    suggestion: str
    link: str = ""
    edit_url: str = ""
    # For a comparison with the data: the text's figure and the stored one, its
    # period and source (shown side by side on the figure check page).
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        """Stable identity across rebuilds, so an acknowledgement sticks to the same
        finding (and a fixed text makes a new one)."""
        digest = hashlib.sha256(f"{self.location}\x1f{self.found}\x1f{self.message}".encode())
        return digest.hexdigest()[:16]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(" ".join(text.split())) if s.strip()]


def _direction(text: str) -> str:
    """'down', 'up' or '' from the first direction word in ``text``."""
    match = _DIRECTION.search(text)
    if not match:
        return ""
    return "down" if match.group("down") else "up"


def _check_change(
    location: str,
    link: str,
    found: str,
    before: float,
    after: float,
    claimed_text: str,
    sign: str,
    direction: str,
) -> Issue | None:
    """Does a stated percentage change agree with the two figures it runs between?"""
    actual = percent_change(before, after)
    claimed = parse_number(claimed_text)
    if actual is None:
        return None
    if (sign in "-−–" and sign) or direction == "down":
        claimed = -claimed
    elif not sign and direction != "up":
        # No sign and no direction word: compare magnitudes only.
        claimed = abs(claimed) if actual >= 0 else -abs(claimed)
    if abs(actual - claimed) < _tolerance(claimed_text):
        return None
    word = "a reduction" if actual < 0 else "an increase"
    said = "reduction" if claimed < 0 else "increase"
    b, a = _num(before), _num(after)
    if (actual < 0) != (claimed < 0) and actual != 0:
        said = f"a {claimed_text}% {said}"
    else:
        said = f"{claimed_text}%"
    message = f"The text says {said}, but {b} to {a} is {word} of {_fmt_pct(actual)}."
    return Issue(
        location=location,
        severity="error",
        message=message,
        found=found,
        suggestion=f"Write {word} of {_fmt_pct(actual)}, or correct the figures {b} and {a}.",
        link=link,
    )


def _num(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _check_sentence(
    sentence: str, location: str, link: str
) -> tuple[list[Issue], list[tuple[float, float, str]]]:
    """Issues in one sentence, and the (before, after) pairs it states (for the
    observation comparison)."""
    issues: list[Issue] = []
    pairs: list[tuple[float, float, str]] = []
    used: list[tuple[int, int]] = []

    for match in _DASHBOARD.finditer(sentence):
        current = parse_number(match["current"])
        previous = parse_number(match["previous"])
        if _YEAR.match(match["current"]) and not _YEAR.match(match["previous"]):
            continue
        pairs.append((previous, current, match.group(0)))
        used.append(match.span())
        issue = _check_change(
            location,
            link,
            match.group(0).strip(),
            previous,
            current,
            match["pct"],
            match["sign"],
            "",
        )
        if issue:
            issues.append(issue)

    for match in _FROM_TO.finditer(sentence):
        if any(s <= match.start() < e for s, e in used):
            continue
        a, b = match["a"], match["b"]
        if _YEAR.match(a) and _YEAR.match(b):
            continue  # "from 2019 to 2021" is a span of years, not a change
        before, after = parse_number(a), parse_number(b)
        pairs.append((before, after, match.group(0)))
        percents = [
            p for p in _PERCENT.finditer(sentence) if not (match.start() <= p.start() < match.end())
        ]
        if not percents:
            continue
        # The percentage nearest the "from … to …" is the one that describes it.
        pct = min(percents, key=lambda p: abs(p.start() - match.start()))
        window = sentence[
            max(0, min(pct.start(), match.start()) - 40) : max(pct.end(), match.end()) + 15
        ]
        issue = _check_change(
            location,
            link,
            sentence.strip(),
            before,
            after,
            pct["pct"],
            pct["sign"] or "",
            _direction(window),
        )
        if issue:
            issues.append(issue)

    for match in _SHARE.finditer(sentence):
        part, whole = parse_number(match["part"]), parse_number(match["whole"])
        if whole == 0:
            continue
        actual = part / whole * 100
        if abs(actual - parse_number(match["pct"])) >= _tolerance(match["pct"]):
            issues.append(
                Issue(
                    location=location,
                    severity="error",
                    message=f"The text says {match['pct']}%, but {match['part']} of "
                    f"{match['whole']} is {actual:.0f}%.",
                    found=match.group(0),
                    suggestion=f"Write {actual:.0f}%, or correct {match['part']} or "
                    f"{match['whole']}.",
                    link=link,
                )
            )

    for match in _BREAKDOWN.finditer(sentence):
        total = parse_number(match["total"])
        parts = [parse_number(p["n"]) for p in _PART.finditer(match["parts"])]
        if len(parts) >= 2 and abs(sum(parts) - total) > 1e-9:
            issues.append(
                Issue(
                    location=location,
                    severity="error",
                    message=f"The parts add up to {_num(sum(parts))}, not the "
                    f"{_num(total)} stated.",
                    found=match.group(0).strip(),
                    suggestion=f"Make the total {_num(sum(parts))}, or correct the parts.",
                    link=link,
                )
            )

    if not pairs and not issues:
        issues.extend(_loose_change(sentence, location, link))
    return issues, pairs


def _loose_change(sentence: str, location: str, link: str) -> list[Issue]:
    """'234 young people four years ago, 105 now: a 55% reduction' – two counts and one
    percentage with a direction word, no 'from … to'. Reported as a warning: the
    reading is a guess, so the coordinator confirms it."""
    percents = list(_PERCENT.finditer(sentence))
    if len(percents) != 1:
        return []
    pct = percents[0]
    direction = _direction(sentence[pct.end() : pct.end() + 30]) or _direction(
        sentence[max(0, pct.start() - 30) : pct.start()]
    )
    if not direction:
        return []
    numbers = [
        m for m in re.finditer(_NUMBER, sentence[: pct.start()]) if not _YEAR.match(m.group(0))
    ]
    # Exactly two figures before the percentage, or the reading is too uncertain.
    if len(numbers) != 2:
        return []
    before, after = parse_number(numbers[0].group(0)), parse_number(numbers[1].group(0))
    issue = _check_change(
        location, link, sentence, before, after, pct["pct"], pct["sign"] or "", direction
    )
    if issue is None:
        return []
    return [
        Issue(
            location=issue.location,
            severity="warning",
            message=issue.message + " (Read as a change from the first figure to the second.)",
            found=issue.found,
            suggestion=issue.suggestion,
            link=link,
        )
    ]


def check_text(narrative: Narrative, observed: Sequence[ObservedFigure] = ()) -> list[Issue]:
    """Every issue in one narrative; ``observed`` are the figures for its measure/period."""
    issues: list[Issue] = []
    pairs: list[tuple[float, float, str]] = []
    for sentence in _sentences(narrative.text):
        found, stated = _check_sentence(sentence, narrative.location, narrative.link)
        issues.extend(found)
        pairs.extend(stated)
    for figure in observed:
        if narrative.measure and figure.measure != narrative.measure:
            continue
        if narrative.period and figure.period != narrative.period:
            continue
        issues.extend(_against_observation(narrative, figure, pairs))
    if narrative.edit_url:
        issues = [dataclasses.replace(i, edit_url=narrative.edit_url) for i in issues]
    return issues


def _against_observation(
    narrative: Narrative, figure: ObservedFigure, pairs: list[tuple[float, float, str]]
) -> list[Issue]:
    issues = []
    what = figure.label or f"{figure.measure} {figure.period}"
    for before, after, found in pairs:
        wrong_now = abs(after - figure.value) > 1e-9
        wrong_before = figure.previous is not None and abs(before - figure.previous) > 1e-9
        if not (wrong_now or wrong_before):
            continue
        expected = (
            f"{_num(figure.previous)} to {_num(figure.value)}"
            if figure.previous is not None
            else _num(figure.value)
        )
        issues.append(
            Issue(
                location=narrative.location,
                severity="error",
                message=f"The text gives {_num(before)} to {_num(after)}, but the computed "
                f"figures for {what} are {expected}.",
                found=found.strip(),
                suggestion=f"Use the computed figures ({expected}), or explain the difference "
                "(for example a different extract).",
                link=narrative.link,
            )
        )
    return issues


def check_all(
    narratives: Iterable[Narrative], observed: Sequence[ObservedFigure] = ()
) -> list[Issue]:
    """Issues across the pack, in the order the narratives come, without duplicates."""
    by_key = {(f.measure, f.period): f for f in observed}
    issues: list[Issue] = []
    seen: set[str] = set()
    for narrative in narratives:
        relevant = (
            [by_key[(narrative.measure, narrative.period)]]
            if (narrative.measure, narrative.period) in by_key
            else []
        )
        for issue in check_text(narrative, relevant):
            if issue.key not in seen:
                seen.add(issue.key)
                issues.append(issue)
    return issues


# Narrative against the stored data ------------------------------------------------------
#
# A sentence such as "knife crime fell by 40% to 150 offences" names a measure (by its
# label or a synonym), perhaps an area and a period, and gives figures. It is read
# conservatively: only a sentence naming exactly one measure, at most one area and at
# most one period is compared, and only figures whose meaning is clear (a percentage
# with a direction word is a change on the previous period; "from A to B" gives the
# previous and current figures; a single remaining count is the figure itself).


@dataclass(frozen=True)
class MeasureTerms:
    """How a measure is named in text: its label and its synonyms (lower case)."""

    ident: str  # the measure's key (its primary key as text)
    label: str
    terms: tuple[str, ...]
    unit: str = "count"


@dataclass(frozen=True)
class TextPeriod:
    """A period named in a sentence ('Q3 2025/26'), as an inclusive date range."""

    start: date
    end: date
    text: str


@dataclass(frozen=True)
class Claim:
    """One figure a sentence states about a measure.

    ``kind`` is 'value' (the figure itself), 'previous' (the earlier figure of a
    'from A to B') or 'change' (a percentage change on the previous period)."""

    measure: str
    kind: ClaimKind
    value: float
    text: str  # the figure as written: '150', '-40%'
    tolerance: float
    sentence: str
    area: str = ""  # an area named in the sentence ('' for the default area)
    period: TextPeriod | None = None


@dataclass(frozen=True)
class StoredFigure:
    """An observation the text may be compared with, with what the reader needs to
    judge it: its period and source."""

    measure: str
    area: str  # the area's name
    start: date
    end: date
    value: float | None
    previous: float | None
    period_label: str
    source_label: str
    measure_label: str = ""
    unit: str = "count"

    @property
    def change(self) -> float | None:
        """The stored change on the previous period, as a percentage."""
        if self.value is None or self.previous is None:
            return None
        return percent_change(self.previous, self.value)

    @property
    def points_change(self) -> float | None:
        """For a rate: the difference of the two rates, in percentage points."""
        if self.unit != "percent" or self.value is None or self.previous is None:
            return None
        return self.value - self.previous


_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTH_NAME = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_FY = r"(?P<fy>(?:19|20)\d\d)\s?[/\-–]\s?(?P<fy2>\d\d(?:\d\d)?)"
_PERIODS = re.compile(
    "|".join(
        (
            rf"\b(?:q|quarter\s?)(?P<q>[1-4])(?:\s+of)?\s+(?:the\s+)?(?:financial\s+year\s+)?{_FY}",
            rf"\b(?:(?:rolling\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:to|ending)\s+)"
            rf"(?P<ymonth>{_MONTH_NAME.replace('?P<month>', '')})\s+(?P<yyear>(?:19|20)\d\d)",
            rf"\b(?:financial\s+year\s+)?{_FY.replace('fy', 'f')}",
            rf"\b{_MONTH_NAME}\s+(?P<myear>(?:19|20)\d\d)\b",
            r"\b(?:in|during|for)\s+(?P<cy>(?:19|20)\d\d)\b(?!\s?[/\-–]\s?\d)",
        )
    ),
    re.IGNORECASE,
)
# Words after which a number is not a figure of the measure.
_NOT_A_FIGURE_AFTER = re.compile(
    r"(?:\bper|\baged?|\bages|\bitem|\bminute|\bpriority|\bpage|\bward|\bno\.|#|£|\$|€)\s*$",
    re.IGNORECASE,
)
_NOT_A_FIGURE_BEFORE = re.compile(
    r"^\s*(?:days?|weeks?|months?|years?|quarters?|hours?|times|wards?|schools?|teams?|"
    r"staff|officers?|partners?|agencies|organisations?|sessions?|meetings?|st|nd|rd|th|"
    r"points?|percentage|per\s?cent)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|circa|c\.)\s*$|~\s*$",
    re.IGNORECASE,
)
_BOUND = re.compile(
    r"\b(?:over|more\s+than|fewer\s+than|less\s+than|under|at\s+least|up\s+to|above|below|"
    r"exceeding)\s*$",
    re.IGNORECASE,
)
# A count of the measure is followed by its unit, the measure's name (blanked), a
# punctuation mark or one of these words; any other word ('140 residents', '3 schools')
# says the number counts something else.
_FIGURE_NEXT_WORDS = frozenset(
    {
        *("offences", "offence", "crimes", "crime", "incidents", "incident", "reports"),
        *("recorded", "reported", "victims", "in", "on", "at", "and", "or", "to", "from"),
        *("for", "this", "last", "during", "over", "since", "compared", "against", "across"),
        *("by", "than", "which", "while", "but", "so", "were", "was", "are", "is", "has"),
        *("have", "had", "a", "an", "the", "with", "when", "where", "after", "before"),
        *("between", "that", "these", "those", "now"),
    }
)
# Words that bring another area's or a comparator's figure into the sentence.
_COMPARATOR_WORDS = re.compile(
    r"\b(?:national(?:ly)?|average|statistical\s+neighbou?rs?|england|wales|comparators?|"
    r"similar\s+areas?|peers?|target)\b",
    re.IGNORECASE,
)


def periods_in(sentence: str) -> list[tuple[TextPeriod, tuple[int, int]]]:
    """The periods a sentence names, with where they are (financial quarters and years,
    'year to December 2025', months and calendar years)."""
    found = []
    for match in _PERIODS.finditer(sentence):
        period = _period_of(match)
        if period is not None:
            found.append((period, match.span()))
    return found


def _period_of(match: re.Match[str]) -> TextPeriod | None:
    from saferboard.core.periods import add_months

    text = match.group(0)
    groups = match.groupdict()
    if groups.get("q"):
        first = _fy_start(groups["fy"], groups["fy2"])
        if first is None:
            return None
        start = add_months(date(first, 4, 1), 3 * (int(groups["q"]) - 1))
        return TextPeriod(start, add_months(start, 3) - timedelta(days=1), text)
    if groups.get("ymonth"):
        month = _MONTHS[groups["ymonth"].lower()]
        end = add_months(date(int(groups["yyear"]), month, 1), 1) - timedelta(days=1)
        return TextPeriod(add_months(date(end.year, end.month, 1), -11), end, text)
    if groups.get("f"):
        first = _fy_start(groups["f"], groups["f2"])
        if first is None:
            return None
        return TextPeriod(date(first, 4, 1), date(first + 1, 3, 31), text)
    if groups.get("month"):
        start = date(int(groups["myear"]), _MONTHS[groups["month"].lower()], 1)
        return TextPeriod(start, add_months(start, 1) - timedelta(days=1), text)
    if groups.get("cy"):
        year = int(groups["cy"])
        return TextPeriod(date(year, 1, 1), date(year, 12, 31), text)
    return None


def _fy_start(first: str, second: str) -> int | None:
    """2025 for '2025/26' or '2025-2026'; None when the years do not follow on."""
    year = int(first)
    follows = int(second) == (year + 1) % 100 if len(second) == 2 else int(second) == year + 1
    return year if follows else None


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    words = sorted({t.strip().lower() for t in terms if t.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w-])(?:{body})(?:e?s)?(?![\w-])", re.IGNORECASE)


def measures_named(
    sentence: str, names: Sequence[MeasureTerms]
) -> dict[str, list[tuple[int, int]]]:
    """The measures a sentence names, each with where: the longest name wins where two
    overlap ('knife crime with injury' is not also 'knife crime')."""
    spans: list[tuple[int, int, str]] = []
    for name in names:
        if not name.terms:
            continue
        for match in _term_pattern(name.terms).finditer(sentence):
            spans.append((match.start(), match.end(), name.ident))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    found: dict[str, list[tuple[int, int]]] = {}
    for start, end, ident in spans:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.setdefault(ident, []).append((start, end))
    return found


def _areas_named(sentence: str, areas: Sequence[str]) -> set[str]:
    named = set()
    for area in areas:
        if area and re.search(rf"(?<![\w-]){re.escape(area)}(?![\w-])", sentence, re.IGNORECASE):
            named.add(area)
    return named


def _rounding(written: str, hedged: bool) -> float:
    """How far a stored figure may be from one written as ``written``: half a unit of
    its last digit ('149.6' is '150'); for 'about 150', half a unit of its last
    non-zero digit (anything from 145 to 155)."""
    digits = written.replace(",", "")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".")[1])
    if hedged:
        zeros = len(digits) - len(digits.rstrip("0"))
        return max(0.5, 0.5 * 10.0**zeros)
    return 0.5


def claims_in(text: str, names: Sequence[MeasureTerms], areas: Sequence[str] = ()) -> list[Claim]:
    """The figures ``text`` states about the measures in ``names`` (see above)."""
    claims: list[Claim] = []
    units = {n.ident: n.unit for n in names}
    # Clauses joined by ';' are separate statements ("burglary has fallen; 140 residents
    # have call blockers").
    clauses = [c.strip() for s in _sentences(text) for c in s.split(";") if c.strip()]
    for sentence in clauses:
        named = measures_named(sentence, names)
        if len(named) != 1:
            continue  # none, or two measures: which figure belongs to which is a guess
        (ident,) = named
        area_names = _areas_named(sentence, areas)
        if len(area_names) > 1 or _COMPARATOR_WORDS.search(sentence):
            continue  # another area's or a comparator's figure may be in the sentence
        periods = periods_in(sentence)
        if len({(p.start, p.end) for p, _ in periods}) > 1:
            continue
        period = periods[0][0] if periods else None
        # Blank out what is not a figure: the periods, and the measure's own name
        # ('gun crime' has no digits, but 'aged 1 to 24' in a label has).
        blanked = sentence
        for span in [s for _, s in periods] + named[ident]:
            blanked = blanked[: span[0]] + " " * (span[1] - span[0]) + blanked[span[1] :]
        area = next(iter(area_names), "")
        claims.extend(_figures(blanked, sentence, ident, units.get(ident, "count"), area, period))
    return claims


def _point_changes(
    blanked: str,
    unit: str,
    used: list[tuple[int, int]],
    claim: Callable[[ClaimKind, float, str, float], None],
) -> None:
    """Claim each change written in percentage points ("fell by 3 percentage points",
    "-1.6pp") about a rate; mark every points figure as read (``used``), so the percent
    reader leaves it alone."""
    for pts in _POINTS.finditer(blanked):
        used.append(pts.span())
        after = blanked[pts.end() : pts.end() + 30]
        before = blanked[max(0, pts.start() - 30) : pts.start()]
        if unit != "percent" or _BOUND.search(before):
            continue  # points of a count, or a bound: no clear meaning to compare
        direction = pts["sign"] and ("down" if pts["sign"] in "-−–" else "up")
        direction = direction or _direction(before[-20:]) or _direction(after[:20])
        if not direction:
            continue  # "a gap of 3 points": not a change on the previous period
        number = parse_number(pts["pts"])
        signed = -number if direction == "down" else number
        tolerance = _rounding(pts["pts"], bool(_HEDGE.search(before)))
        claim("points", signed, f"{signed:+g} percentage points", tolerance)


def _figures(
    blanked: str, sentence: str, ident: str, unit: str, area: str, period: TextPeriod | None
) -> list[Claim]:
    found: list[Claim] = []
    used: list[tuple[int, int]] = []
    rates: list[tuple[float, str, float] | None] = []

    def claim(kind: ClaimKind, value: float, text: str, tol: float) -> None:
        found.append(Claim(ident, kind, value, text, tol, sentence, area, period))

    _point_changes(blanked, unit, used, claim)
    for pct in _PERCENT.finditer(blanked):
        if any(s <= pct.start() < e for s, e in used):
            continue
        used.append(pct.span())
        after = blanked[pct.end() : pct.end() + 30]
        before = blanked[max(0, pct.start() - 30) : pct.start()]
        direction = pct["sign"] and ("down" if pct["sign"] in "-−–" else "up")
        direction = direction or _direction(after[:20]) or _direction(before[-20:])
        hedged = bool(_HEDGE.search(before))
        if _BOUND.search(before):
            continue
        number = parse_number(pct["pct"])
        tolerance = _tolerance(pct["pct"]) * (2.5 if hedged else 1)
        if unit == "percent":
            # 'a reoffending rate of 34%', 'fell to 34%': the figure itself. 'Fell by
            # 10%' is a relative change of the rate (a change in points is written
            # as points, above); 'from 36%' is the earlier figure.
            level = _LEVEL_BEFORE.search(before)
            if level and level["word"].lower() == "from":
                rates.append(None)  # the earlier level: makes the value reading unsure
            elif level or not direction:
                rates.append((number, f"{pct['pct']}%", tolerance / 2))
            else:
                signed = -number if direction == "down" else number
                claim("change", signed, f"{signed:+g}%", tolerance)
            continue
        if direction:
            signed = -number if direction == "down" else number
            claim("change", signed, f"{signed:+g}%", tolerance)
    if unit == "percent":
        if len(rates) == 1 and rates[0] is not None:  # more than one: which is which?
            claim("value", *rates[0])
        return found
    for match in _FROM_TO.finditer(blanked):
        a, b = match["a"], match["b"]
        if _YEAR.match(a) or _YEAR.match(b):
            continue
        used.append(match.span())
        claim("previous", parse_number(a), a, _rounding(a, False))
        claim("value", parse_number(b), b, _rounding(b, False))
    bare: list[re.Match[str] | None] = []  # None: a number that makes the reading unsure
    for match in re.finditer(_NUMBER, blanked):
        if any(s <= match.start() < e for s, e in used) or _YEAR.match(match.group(0)):
            continue
        before = blanked[max(0, match.start() - 25) : match.start()]
        after = blanked[match.end() : match.end() + 25]
        if _NOT_A_FIGURE_AFTER.search(before) or _NOT_A_FIGURE_BEFORE.match(after):
            continue
        noun = re.match(r"\s*([A-Za-z][\w-]*)", after)
        if noun and noun.group(1).lower() not in _FIGURE_NEXT_WORDS:
            continue  # '140 residents': a count of something else
        if re.match(r"\s*(?:to|-|–|and)\s*\d", after) or re.search(r"\d\s*(?:to|-|–)\s*$", before):
            bare.append(None)  # a range such as '10 to 15': ambiguous
            continue
        bare.append(match)
    if len(bare) == 1 and bare[0] is not None:
        match = bare[0]
        before = blanked[max(0, match.start() - 25) : match.start()]
        if not _BOUND.search(before):
            written = match.group(0)
            hedged = bool(_HEDGE.search(before))
            claim("value", parse_number(written), written, _rounding(written, hedged))
    return found


def _stored_for(
    claim: Claim,
    figures: Sequence[StoredFigure],
    home_area: str,
    defaults: dict[str, tuple[date, date]],
) -> StoredFigure | None:
    """The stored figure a claim is about: its measure, the area it names (else the
    partnership's), and the period it names (else the pack's period for the measure)."""
    area = (claim.area or home_area).lower()
    if claim.period is not None:
        wanted: tuple[date, date] | None = (claim.period.start, claim.period.end)
    else:
        wanted = defaults.get(claim.measure)
    if wanted is None:
        return None
    for figure in figures:
        if (
            figure.measure == claim.measure
            and figure.area.lower() == area
            and (figure.start, figure.end) == wanted
        ):
            return figure
    return None


def _fmt_figure(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}" if unit == "count" else f"{value:,.2f}"


def check_against_data(
    narratives: Iterable[Narrative],
    names: Sequence[MeasureTerms],
    figures: Sequence[StoredFigure],
    *,
    home_area: str,
    defaults: dict[str, tuple[date, date]],
    areas: Sequence[str] = (),
) -> list[Issue]:
    """Findings where a narrative's figure differs from the stored observation for the
    measure, area and period it names (``defaults``: the period per measure when the
    text names none). Both figures are given, with the stored one's period and source."""
    issues: list[Issue] = []
    for narrative in narratives:
        for claim in claims_in(narrative.text, names, areas):
            figure = _stored_for(claim, figures, home_area, defaults)
            if figure is None:
                continue
            issue = _compare(narrative, claim, figure)
            if issue is not None:
                issues.append(issue)
    return issues


def _compare(narrative: Narrative, claim: Claim, figure: StoredFigure) -> Issue | None:
    if claim.kind == "points":
        stored = figure.points_change
        if stored is None or abs(stored - claim.value) <= claim.tolerance + 1e-9:
            return None
        said = (
            f"a {'fall' if claim.value < 0 else 'rise'} of {abs(claim.value):g} percentage points"
        )
        shown = f"{'a fall' if stored < 0 else 'a rise'} of {abs(stored):.1f} percentage points"
        what = (
            f"{shown} (from {_fmt_figure(figure.previous or 0, figure.unit)} to "
            f"{_fmt_figure(figure.value or 0, figure.unit)})"
        )
    elif claim.kind == "change":
        stored = figure.change
        if stored is None or abs(stored - claim.value) < claim.tolerance:
            return None
        said = f"a {'fall' if claim.value < 0 else 'rise'} of {abs(claim.value):g}%"
        shown = f"{'a fall' if stored < 0 else 'a rise'} of {_fmt_pct(stored)}"
        what = (
            f"{shown} (from {_fmt_figure(figure.previous or 0, figure.unit)} to "
            f"{_fmt_figure(figure.value or 0, figure.unit)})"
        )
        points = figure.points_change
        if figure.unit == "percent" and points is not None:
            # A rate's "%" is read as a relative change; say what it is in points,
            # in case points were meant (then write "percentage points").
            what += (
                f", a relative change; in percentage points it is "
                f"{'a fall' if points < 0 else 'a rise'} of {abs(points):.1f}"
            )
    else:
        stored = figure.previous if claim.kind == "previous" else figure.value
        if stored is None or abs(stored - claim.value) <= claim.tolerance + 1e-9:
            return None
        said = claim.text + (" (the earlier figure)" if claim.kind == "previous" else "")
        shown = what = _fmt_figure(stored, figure.unit)
        if claim.kind == "previous":
            what = f"{shown} for the previous period"
    measure = figure.measure_label or claim.measure
    where = f"{figure.area}, {figure.period_label}"
    return Issue(
        location=narrative.location,
        severity="error",
        message=(
            f"The text says {said} for {measure}; the stored figure for {where} is {what} "
            f"(source: {figure.source_label})."
        ),
        found=claim.sentence,
        suggestion=(
            f"Correct the text at its source to the stored figure ({shown}), or accept it "
            "with the reason it differs (for example a different period or extract)."
        ),
        link=narrative.link,
        edit_url=narrative.edit_url,
        detail={
            "measure": measure,
            "text_figure": claim.text,
            "stored_figure": shown,
            "area": figure.area,
            "period": figure.period_label,
            "source": figure.source_label,
        },
    )
