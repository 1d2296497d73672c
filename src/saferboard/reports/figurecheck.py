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

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

_NUMBER = r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w%])"
_PCT = r"(?P<sign>[+\-−–])?\s?(?P<pct>\d+(?:\.\d+)?)\s?(?:%|per ?cent)"
_DOWN = r"reduction|decrease|fall|fell|drop|dropped|decline|declined|lower|down|cut"
_UP = r"increase|rise|rose|growth|grew|higher|up"

# "from 14 to 7" (also "from 14 in 2019 to 7 in 2020"): the years are skipped below.
_FROM_TO = re.compile(
    rf"\bfrom\s+(?P<a>{_NUMBER})(?P<amid>[^.;:]{{0,40}}?)\s+to\s+(?P<b>{_NUMBER})",
    re.IGNORECASE,
)
_PERCENT = re.compile(_PCT, re.IGNORECASE)
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
# "of 88 actions: 2 Red, 31 Amber, 46 Green, 9 Blue"
_BREAKDOWN = re.compile(
    rf"\bof\s+(?P<total>{_NUMBER})\s+[a-z][\w\- ]{{0,30}}?:\s*"
    rf"(?P<parts>(?:{_NUMBER}\s+[A-Za-z][\w/\-]*(?:\s+[a-z][\w\-]*)?(?:,\s*|\s+and\s+|(?=[.;)]|$)))+)",
    re.IGNORECASE,
)
_PART = re.compile(rf"(?P<n>{_NUMBER})\s+[A-Za-z]")
_YEAR = re.compile(r"^(19|20)\d\d$")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+(?=\s|$)|$)")


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
