"""Small counts of people in the public pack's prose (pure): flagged, never rewritten.

Tables are suppressed (:mod:`saferboard.reports.disclosure`): a count of 1 to 4 becomes
"<5". Prose cannot be: "2 children were remanded" rewritten as "<5 children were
remanded" changes what the sentence says, and a rewriting rule would get some
sentences wrong. So a public pack's narratives are read for a count of people of 1 to
4, and each sentence holding one becomes a warning on the figure check page, for a
coordinator to edit at source or accept with the reason it may be published.

What counts as "a count of people" is decided narrowly, so that warnings are worth
reading: a number 1 to 4 (in digits or words: "2", "two") followed within a few words
by a people noun (children, young people, victims, offenders, people, persons,
residents, girls, boys, women, men, and their singulars). Not counts of people:

- dates and times ("3 March", "March 3", "2pm"), years and longer numbers ("2024",
  "1,234"), decimals ("2.5"), percentages ("4%"), money ("£2 million");
- proportions: "1 in 4 young people", "3 out of 10 children";
- ordinals ("2nd", "the 3rd child") and labels ("Priority 2", "item 3", "aged 4",
  "Year 4 children", "Tier 2");
- a possessive ("4 children's centres" are centres), and a noun past a break (a
  comma, "and", a verb such as "were", another number: "2 schools and 40 children").

"2 of 40 children" and "one of the men" are counts (of 2, of 1) and are flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from saferboard.reports.figurecheck import Issue, Narrative, _sentences

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
PEOPLE_NOUNS = frozenset(
    {
        *("children", "child", "people", "person", "persons", "victims", "victim"),
        *("offenders", "offender", "residents", "resident", "girls", "girl", "boys"),
        *("boy", "women", "woman", "men", "man"),
    }
)
# Words after which the noun no longer belongs to the number.
_BREAKS = frozenset(
    {
        *("and", "or", "but", "nor", "per", "in", "with", "for", "to", "from", "by"),
        *("than", "at", "on", "over", "under", "across", "between", "after", "before"),
        *("since", "during", "were", "was", "are", "is", "be", "been", "have", "has"),
        *("had", "who", "which", "that", "this", "these", "those", "a", "an", "times"),
        *("days", "day", "weeks", "week", "months", "month", "years", "year", "hours"),
        *("hour", "minutes", "per", "cent", "percent", "million", "billion", "thousand"),
    }
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# The number itself: one digit 1 to 4, or the word; not part of a longer number, a
# decimal, a percentage, money, a time ("2:30"), an ordinal ("2nd") or a compound
# ("two-thirds", "3-year-old").
_SMALL = re.compile(
    r"(?<![\w.,£$€/:])(?P<n>[1-4]|one|two|three|four)"
    r"(?![\w%/:'’]|[.,]\d|\s?%|-|–\w|\s?per\s?cent)",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(
    r"\b(?:priority|priorities|item|minute|page|q|quarter|ward|tier|level|phase|year|"
    r"stage|version|option|section|paragraph|appendix|annex|table|figure|chart|"
    r"recommendation|action|no\.?|number|aged?|ages|step|round|cohort|key\s+stage|ks|"
    r"grade|band|category|type|class|room|floor|unit|part|line|row|column|"
    rf"{_MONTHS})\.?\s*$",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(r"[£$€]\s*$")
_RATIO_BEFORE = re.compile(r"(?:\d|\b(?:one|two|three|four))\s+(?:in|out\s+of)\s+$", re.I)
_RATIO_AFTER = re.compile(
    r"^\s+(?:in|out\s+of)\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)",
    re.IGNORECASE,
)
_DATE_AFTER = re.compile(rf"^\s+(?:{_MONTHS})\b", re.IGNORECASE)
_PRONOUN_ONE = re.compile(
    r"\b(?:no|any|every|some|each|the|this|that|which|a|another|only)\s+$", re.I
)
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*|[^\sA-Za-z\d]")
MAX_BETWEEN = 3  # words allowed between the number and the noun ("2 more young people")


@dataclass(frozen=True)
class ProseCount:
    """A sentence giving a count of people of 1 to 4."""

    sentence: str
    count: int
    written: str  # '2', 'two'
    noun: str  # 'children', 'young people'

    @property
    def phrase(self) -> str:
        return f"{self.written} {self.noun}"


def small_counts_in(text: str) -> list[ProseCount]:
    """Each sentence of ``text`` with a count of people of 1 to 4 (its first such
    count; one warning a sentence is enough to make someone read it)."""
    found = []
    for sentence in _sentences(text):
        for match in _SMALL.finditer(sentence):
            noun = _people_noun(sentence, match)
            if noun is not None:
                written = match["n"]
                count = int(written) if written.isdigit() else WORDS[written.lower()]
                found.append(ProseCount(sentence, count, written, noun))
                break
    return found


def _people_noun(sentence: str, match: re.Match[str]) -> str | None:
    """The people noun the number counts, or None when it is not a count of people."""
    before = sentence[max(0, match.start() - 30) : match.start()]
    after = sentence[match.end() :]
    if (
        _LABEL_BEFORE.search(before)
        or _MONEY_BEFORE.search(before)
        or _RATIO_BEFORE.search(before)
        or _RATIO_AFTER.match(after)
        or _DATE_AFTER.match(after)
    ):
        return None
    if match["n"].lower() == "one" and _PRONOUN_ONE.search(before):
        return None  # 'no one', 'the one', 'each one': a pronoun
    between = 0
    last = ""
    for token in _TOKEN.finditer(after):
        word = token.group(0)
        lower = word.lower()
        if word[0].isdigit():
            if last != "of":
                return None  # another number: the noun is its
            last = word
            continue
        if not word[0].isalpha():
            return None  # punctuation ends the phrase
        if lower.endswith(("'s", "’s", "s'", "s’")):
            return None  # a possessive: "4 children's centres"
        if lower in PEOPLE_NOUNS:
            if lower in {"people", "person"} and last.lower() == "young":
                return f"young {lower}"
            return lower
        if lower in _BREAKS:
            return None
        between += 1
        if between > MAX_BETWEEN:
            return None
        last = word
    return None


def prose_warnings(narratives: Iterable[Narrative]) -> list[Issue]:
    """The public pack's warnings: one per sentence with a small count of people, to
    edit at source or accept with a reason (never rewritten by Saferboard)."""
    issues: list[Issue] = []
    for narrative in narratives:
        for flagged in small_counts_in(narrative.text):
            issues.append(
                Issue(
                    location=narrative.location,
                    severity="warning",
                    message=(
                        f"The public pack would print a count of {flagged.count} "
                        f"({flagged.phrase}): a number this small may identify people."
                    ),
                    found=flagged.sentence,
                    suggestion=(
                        "Edit the text at its source (for example 'fewer than 5 "
                        f"{flagged.noun}'), or accept it with the reason it may be "
                        "published (for example, it is already public)."
                    ),
                    link=narrative.link,
                    edit_url=narrative.edit_url,
                    detail={"kind": DISCLOSURE, "count": flagged.count, "phrase": flagged.phrase},
                )
            )
    return issues


DISCLOSURE = "disclosure"  # FigureIssue.detail["kind"] of a small-count warning


def is_disclosure(issue: Any) -> bool:
    """True for a stored finding (or an :class:`Issue`) that is a small-count warning."""
    return bool((issue.detail or {}).get("kind") == DISCLOSURE)
