"""Aggregates of a panel's list for the board: counts, make-up and small-number control.

Pure functions over plain values (no Django models, no requests), so every published
figure can be checked by hand in the tests.

Representation ratio
    share of the list in a group ÷ share of the local population in that group, where
    the list's shares are taken over people whose group is recorded ("not stated" and
    ages outside the population's range are counted and shown, but left out of the
    shares). 1.0 is proportionate; 2.0 means twice the group's population share.

Small-number suppression (for anything that leaves the panel)
    Primary: a count of 1 to 4 is shown as ``<5``. Secondary: in a table whose total is
    published, more cells are withheld (shown as ``[c]``) until no withheld cell can be
    worked out from the total and the cells still shown. Shares and ratios are withheld
    with their counts, and all of them are withheld when the "not stated" count is,
    because they would reveal it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from saferboard.core import formats

PRIMARY_MARK = "<5"
SECONDARY_MARK = "[c]"
SMALL = range(1, 5)  # counts 1–4 are never published
NOT_STATED = "not_stated"
NOT_KNOWN = "not_known"
OUTSIDE_RANGE = "outside_range"

Display = int | str


class AgeBand(TypedDict):
    """One age band of a population (``panels/data/population.json``): ages min to max."""

    key: str
    min: int
    max: int


@dataclass(frozen=True)
class CaseFacts:
    """What the aggregates need to know about one case: no identity."""

    status: str
    risk_level: str
    flags: tuple[str, ...]
    ethnicity: str
    sex: str
    age: int | None
    history: tuple[tuple[date, str], ...] = ()  # (effective date, status), oldest first


def count_by(values: Iterable[str], keys: Sequence[str]) -> dict[str, int]:
    """Counts of each key in ``keys`` order (zeros included), plus any unexpected keys."""
    counter = Counter(values)
    counts = {key: counter.pop(key, 0) for key in keys}
    counts.update(sorted(counter.items()))
    return counts


def flag_counts(cases: Iterable[CaseFacts], flags: Sequence[str]) -> dict[str, int]:
    """How many cases carry each flag (a case may carry several: not additive)."""
    return count_by((flag for case in cases for flag in set(case.flags)), flags)


def age_band(age: int | None, bands: Sequence[AgeBand]) -> str:
    """The key of the population band containing ``age``; OUTSIDE_RANGE if none does."""
    if age is not None:
        for band in bands:
            if band["min"] <= age <= band["max"]:
                return band["key"]
    return OUTSIDE_RANGE


# Suppression ---------------------------------------------------------------------------


def _achievable_sums(domains: list[list[int]], cap: int) -> int:
    """Every sum of one value per domain up to ``cap``, as a bit set (bit n = sum n)."""
    mask = (1 << (cap + 1)) - 1
    sums = 1
    for domain in domains:
        reached = 0
        for value in domain:
            reached |= sums << value
        sums = reached & mask
    return sums


def _recoverable(hidden: Mapping[str, tuple[int, str]]) -> bool:
    """True if someone who knows the hidden cells' sum could work out any one of them.

    A primary cell is known to lie in 1–4 (it shows ``<5``); a secondary one is known
    only not to (0, or 5 and over). A cell is recoverable when just one of its possible
    values fits the sum with some possible values of the others.
    """
    if not hidden:
        return False
    total = sum(value for value, _ in hidden.values())
    domains = {
        key: list(SMALL) if kind == "primary" else [0, *range(5, total + 1)]
        for key, (_, kind) in hidden.items()
    }
    for key in hidden:
        sums = _achievable_sums([domains[k] for k in hidden if k != key], total)
        fits = [v for v in domains[key] if total - v >= 0 and (sums >> (total - v)) & 1]
        if len(fits) <= 1:
            return True
    return False


def suppress_table(
    counts: Mapping[str, int], *, protect: Sequence[str] = ()
) -> tuple[dict[str, Display], Display]:
    """The cells and the total of an additive table, ready to publish.

    ``<5`` for counts of 1–4; then ``[c]`` for more cells, smallest first (non-zero
    before zero, the keys in ``protect`` last), until no ``<5`` cell can be worked out
    from the total and the cells still shown. If hiding every cell is not enough, the
    total is withheld too.
    """
    shown: dict[str, Display] = {k: PRIMARY_MARK if v in SMALL else v for k, v in counts.items()}
    total = sum(counts.values())
    if total in SMALL:
        return shown, PRIMARY_MARK
    hidden = {k: (v, "primary") for k, v in counts.items() if v in SMALL}
    while _recoverable(hidden):
        candidates = [k for k in counts if k not in hidden]
        if not candidates:  # nothing left to hide behind: withhold the total as well
            return shown, SECONDARY_MARK
        candidates.sort(key=lambda k: (k in protect, counts[k] == 0, counts[k]))
        choice = candidates[0]
        hidden[choice] = (counts[choice], "secondary")
        shown[choice] = SECONDARY_MARK
    return shown, total


def suppress(
    counts: Mapping[str, int], *, additive: bool = True, protect: Sequence[str] = ()
) -> dict[str, Display]:
    """Counts ready to publish (see :func:`suppress_table`).

    ``additive`` says the cells add up to a published total (status, risk, ethnicity…);
    flag counts overlap and get primary suppression only.
    """
    if not additive:
        return {k: PRIMARY_MARK if v in SMALL else v for k, v in counts.items()}
    return suppress_table(counts, protect=protect)[0]


def publish_total(total: int) -> Display:
    return PRIMARY_MARK if total in SMALL else total


# Representation -------------------------------------------------------------------------


@dataclass(frozen=True)
class MakeUpRow:
    """One group of a list's make-up, with its representation against the population."""

    key: str
    label: str
    count: Display
    list_share: float | None
    population_share: float | None
    ratio: float | None


@dataclass(frozen=True)
class MakeUp:
    """A list's make-up by one characteristic, published or for the panel's own eyes."""

    title: str
    rows: list[MakeUpRow]
    total: Display
    recorded: Display
    note: str = ""
    suppressed: bool = False
    withheld_ratios: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def representation_ratios(
    counts: Mapping[str, int], population_shares: Mapping[str, float]
) -> dict[str, tuple[float | None, float | None, float | None]]:
    """(list share, population share, ratio) for each key of ``counts``.

    Shares of the list are over the keys that have a population share (recorded
    groups); other keys ("not stated", out of range) get no shares. Population shares
    are renormalised over the groups present in ``population_shares``.
    """
    recorded = sum(v for k, v in counts.items() if k in population_shares)
    population_total = sum(population_shares.values())
    result: dict[str, tuple[float | None, float | None, float | None]] = {}
    for key, count in counts.items():
        if key not in population_shares or population_total <= 0:
            result[key] = (None, None, None)
            continue
        pop = population_shares[key] / population_total
        share = count / recorded if recorded else None
        ratio = share / pop if share is not None and pop > 0 else None
        result[key] = (share, pop, ratio)
    return result


def make_up(
    title: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    population_shares: Mapping[str, float],
    *,
    publish: bool,
    unrecorded: Sequence[str] = (NOT_STATED, NOT_KNOWN, OUTSIDE_RANGE),
) -> MakeUp:
    """The make-up of a list by one characteristic, with representation ratios.

    With ``publish`` the counts are suppressed (see :func:`suppress`) and shares and
    ratios are withheld wherever their count is, or everywhere if an unrecorded group
    ("not stated") is withheld, since the shares' denominator would then give it away.
    """
    ratios = representation_ratios(counts, population_shares)
    total = sum(counts.values())
    recorded = sum(v for k, v in counts.items() if k in population_shares)
    shown: Mapping[str, Display] = dict(counts)
    shown_total: Display = total
    if publish:
        shown, shown_total = suppress_table(counts, protect=unrecorded)
    hidden = {k for k, v in shown.items() if isinstance(v, str)}
    withhold_all = publish and (
        isinstance(shown_total, str) or any(k in hidden for k in unrecorded if k in counts)
    )
    rows = []
    for key in counts:
        share, pop, ratio = ratios[key]
        if publish and (key in hidden or withhold_all):
            share = ratio = None
        rows.append(MakeUpRow(key, labels.get(key, key), shown[key], share, pop, ratio))
    return MakeUp(
        title=title,
        rows=rows,
        total=shown_total,
        recorded=(SECONDARY_MARK if withhold_all else publish_total(recorded))
        if publish
        else recorded,
        suppressed=publish and bool(hidden),
        withheld_ratios=withhold_all and bool(population_shares),
        note="" if population_shares else "No population split is held for this group.",
    )


# Trend ----------------------------------------------------------------------------------


def status_on(history: Sequence[tuple[date, str]], day: date) -> str | None:
    """The status in force on ``day`` from a history sorted oldest first."""
    current = None
    for effective, status in history:
        if effective > day:
            break
        current = status
    return current


def list_size_trend(
    cases: Iterable[CaseFacts], days: Sequence[date], on_list: Sequence[str]
) -> list[tuple[date, int]]:
    """How many cases were on the list (a status in ``on_list``) on each of ``days``."""
    cases = list(cases)
    return [(day, sum(1 for c in cases if status_on(c.history, day) in on_list)) for day in days]


# Headline -------------------------------------------------------------------------------


def headline(
    on_list: int, flags: Mapping[str, int], labels: Mapping[str, str], *, noun: str
) -> str:
    """'9 young people on the list: 9 monitored for gang association, 6 for …' (published).

    Counts of 1–4 read 'fewer than 5'; flags with no one are left out.
    """

    def say(n: int) -> str:
        return "fewer than 5" if n in SMALL else formats.thousands(n)

    if on_list == 0:
        return f"No {noun} on the list."
    parts = [
        f"{say(n)} {'monitored ' if i == 0 else ''}for {labels.get(k, k).lower()}"
        for i, (k, n) in enumerate((k, n) for k, n in flags.items() if n)
    ]
    lead = f"{say(on_list)} {noun} on the list"
    return f"{lead}: {', '.join(parts)}." if parts else f"{lead}."
