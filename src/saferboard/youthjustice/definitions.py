"""The vocabulary of youth justice case records and the KPIs built on them.

Every constant here is cited in docs/methodology.md with the source of the choice.
"""

from __future__ import annotations

from dataclasses import dataclass

# Outcome types accepted in outcomes.csv, in the order of the input schema.
COMMUNITY_RESOLUTION = "community_resolution"
NO_FURTHER_ACTION = "no_further_action"
YOUTH_CAUTION = "youth_caution"
YOUTH_CONDITIONAL_CAUTION = "youth_conditional_caution"
ABSOLUTE_DISCHARGE = "absolute_discharge"
CONDITIONAL_DISCHARGE = "conditional_discharge"
FINE = "fine"
REFERRAL_ORDER = "referral_order"
YOUTH_REHABILITATION_ORDER = "youth_rehabilitation_order"
DETENTION_AND_TRAINING_ORDER = "detention_and_training_order"
SECTION_250_DETENTION = "section_250_detention"
OTHER_CUSTODY = "other_custody"

OUTCOME_TYPES: tuple[str, ...] = (
    COMMUNITY_RESOLUTION,
    NO_FURTHER_ACTION,
    YOUTH_CAUTION,
    YOUTH_CONDITIONAL_CAUTION,
    ABSOLUTE_DISCHARGE,
    CONDITIONAL_DISCHARGE,
    FINE,
    REFERRAL_ORDER,
    YOUTH_REHABILITATION_ORDER,
    DETENTION_AND_TRAINING_ORDER,
    SECTION_250_DETENTION,
    OTHER_CUSTODY,
)

# Not substantive: diversion outside the formal system.
NON_SUBSTANTIVE: frozenset[str] = frozenset({COMMUNITY_RESOLUTION, NO_FURTHER_ACTION})
# Substantive: a youth caution, a youth conditional caution or any court conviction.
SUBSTANTIVE: tuple[str, ...] = tuple(t for t in OUTCOME_TYPES if t not in NON_SUBSTANTIVE)
CUSTODIAL: tuple[str, ...] = (DETENTION_AND_TRAINING_ORDER, SECTION_250_DETENTION, OTHER_CUSTODY)

OUTCOME_LABELS: dict[str, str] = {
    COMMUNITY_RESOLUTION: "Community resolution",
    NO_FURTHER_ACTION: "No further action",
    YOUTH_CAUTION: "Youth caution",
    YOUTH_CONDITIONAL_CAUTION: "Youth conditional caution",
    ABSOLUTE_DISCHARGE: "Absolute discharge",
    CONDITIONAL_DISCHARGE: "Conditional discharge",
    FINE: "Fine",
    REFERRAL_ORDER: "Referral order",
    YOUTH_REHABILITATION_ORDER: "Youth rehabilitation order",
    DETENTION_AND_TRAINING_ORDER: "Detention and training order",
    SECTION_250_DETENTION: "Section 250 detention",
    OTHER_CUSTODY: "Other custody",
}

# The five ONS high-level ethnic groups, plus Unknown (not stated / not recorded).
ETHNICITIES: tuple[str, ...] = ("White", "Black", "Asian", "Mixed", "Other", "Unknown")
KNOWN_ETHNICITIES: tuple[str, ...] = ETHNICITIES[:-1]
REFERENCE_ETHNICITY = "White"

SEXES: tuple[str, ...] = ("Male", "Female", "Unknown")

AGE_BANDS: tuple[str, ...] = ("10-14", "15-17")
MIN_AGE, MAX_AGE = 10, 17

FOLLOW_UP_MONTHS = 12  # an offence must be committed within 12 months of the index date
WAITING_MONTHS = 6  # … and proven within a further 6 months
PROVEN_BY_MONTHS = FOLLOW_UP_MONTHS + WAITING_MONTHS

COHORT_KINDS: tuple[str, ...] = ("12m", "3m")

# Counts from 1 to 4 are "small numbers": flagged, and suppressed in publication mode.
SMALL_MIN, SMALL_MAX = 1, 4

NOT_RECORDED = "Not recorded"


def is_small(count: int | float | None) -> bool:
    """True for a count of 1 to 4 (zero is not disclosive and is never suppressed)."""
    return count is not None and SMALL_MIN <= count <= SMALL_MAX


@dataclass(frozen=True)
class MeasureSpec:
    """A youth justice measure as stored in the measures catalogue."""

    slug: str
    label: str
    unit: str  # a saferboard.measures.models.Unit value
    description: str
    display_order: int
    comparable: bool = True  # published comparators exist (rankable)


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "fte_rate_per_100k",
        "First time entrants per 100,000 aged 10-17",
        "rate_per_100000",
        "Children whose first-ever substantive outcome (youth caution, youth conditional "
        "caution or conviction) falls in the period, aged 10-17 on its date, per 100,000 of "
        "the service's 10-17 population (mid-year estimate of the year the period ends).",
        10,
    ),
    MeasureSpec(
        "fte_count",
        "First time entrants",
        "count",
        "Children whose first-ever substantive outcome falls in the period, aged 10-17.",
        11,
        comparable=False,
    ),
    MeasureSpec(
        "binary_rate_pct",
        "Reoffending: binary rate (% of the cohort who reoffended)",
        "percent",
        "Reoffenders divided by the cohort, times 100: children with a proven reoffence "
        "within 12 months of their index event (proven within 18 months).",
        20,
    ),
    MeasureSpec(
        "frequency_rate",
        "Reoffending: reoffences per child in the cohort",
        "ratio",
        "Proven reoffences divided by the number of children in the cohort.",
        21,
    ),
    MeasureSpec(
        "reoffences_per_reoffender",
        "Reoffending: reoffences per reoffender",
        "ratio",
        "Proven reoffences divided by the number of reoffenders.",
        22,
        comparable=False,
    ),
    MeasureSpec(
        "reoffending_cohort",
        "Reoffending cohort size",
        "count",
        "Children in the reoffending cohort (a child can count once per quarter in the 3m method).",
        23,
        comparable=False,
    ),
    MeasureSpec(
        "custody_rate_per_1000",
        "Use of custody per 1,000 aged 10-17",
        "rate_per_1000",
        "Custodial sentences dated in the period for children aged 10-17 at sentence, per "
        "1,000 of the 10-17 population.",
        30,
    ),
    MeasureSpec(
        "custody_count",
        "Custodial sentences",
        "count",
        "Custodial sentences dated in the period for children aged 10-17 at sentence.",
        31,
        comparable=False,
    ),
    MeasureSpec(
        "cautioned_sentenced_rate_per_10k",
        "Children cautioned or sentenced per 10,000 aged 10-17",
        "ratio",
        "Children with at least one substantive outcome dated in the period, aged 10-17 on "
        "its date, per 10,000 of the 10-17 population (the YJB's 'children cautioned or "
        "sentenced' table).",
        40,
    ),
)
MEASURES_BY_SLUG: dict[str, MeasureSpec] = {m.slug: m for m in MEASURES}

# Measures accepted in a benchmark (published comparator) file, and rankable.
BENCHMARK_MEASURES: tuple[str, ...] = (
    "fte_rate_per_100k",
    "binary_rate_pct",
    "frequency_rate",
    "custody_rate_per_1000",
    "cautioned_sentenced_rate_per_10k",
)

# Peer groups by slug, in display order, with their usual names.
PEER_GROUPS: dict[str, str] = {
    "london": "London",
    "statistical-neighbours": "statistical neighbours",
    "surrounding": "surrounding areas",
    "england-wales": "England and Wales",
}
