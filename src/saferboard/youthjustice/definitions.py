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
    """A youth justice measure: the one registry entry every engine run, page, CLI
    document and export reads (its catalogue row is made from it by
    :func:`saferboard.youthjustice.observations.ensure_measures`)."""

    slug: str
    label: str
    unit: str  # a saferboard.measures.models.Unit value
    description: str
    display_order: int
    column: str  # the engine (kpi_table) column giving the value
    numerator: str | None = None  # … and the numerator and denominator columns
    denominator: str | None = None
    direction: str = "lower"  # a saferboard.measures.models.Direction value
    # Which published figures it is compared and ranked against (None: not benchmarked).
    benchmark: str | None = None
    # Reoffending measures depend on the cohort method; the others do not.
    cohort_kind: str | None = None
    axis: str = ""  # the unit in words, for a chart's axis

    @property
    def comparable(self) -> bool:
        """Published comparators exist: the measure is ranked and given a RAG rule."""
        return self.benchmark is not None

    @property
    def base(self) -> str:
        """The slug without its cohort method suffix: what the page and exports key by."""
        return self.slug.removesuffix("_12m")


def _reoffending(kind: str) -> tuple[MeasureSpec, ...]:
    """The four reoffending measures of one cohort method (3m: the MoJ's current
    method, refreshed on every import; 12m: one annual cohort, stored when asked for)."""
    suffix = "" if kind == "3m" else "_12m"
    method = "" if kind == "3m" else " (12-month cohort)"
    order = 20 if kind == "3m" else 24
    return (
        MeasureSpec(
            "binary_rate_pct" + suffix,
            "Reoffending: binary rate (% of the cohort who reoffended)" + method,
            "percent",
            "Reoffenders divided by the cohort, times 100: children with a proven reoffence "
            "within 12 months of their index event (proven within 18 months).",
            order,
            "binary_rate_pct",
            "reoffenders",
            "cohort",
            benchmark="binary_rate_pct",
            cohort_kind=kind,
            axis="% of the cohort who reoffended",
        ),
        MeasureSpec(
            "frequency_rate" + suffix,
            "Reoffending: reoffences per child in the cohort" + method,
            "ratio",
            "Proven reoffences divided by the number of children in the cohort.",
            order + 1,
            "frequency_rate",
            "reoffences",
            "cohort",
            benchmark="frequency_rate",
            cohort_kind=kind,
            axis="reoffences per child in the cohort",
        ),
        MeasureSpec(
            "reoffences_per_reoffender" + suffix,
            "Reoffending: reoffences per reoffender" + method,
            "ratio",
            "Proven reoffences divided by the number of reoffenders.",
            order + 2,
            "reoffences_per_reoffender",
            "reoffences",
            "reoffenders",
            cohort_kind=kind,
            axis="reoffences per reoffender",
        ),
        MeasureSpec(
            "reoffending_cohort" + suffix,
            "Reoffending cohort size" + method,
            "count",
            "Children in the reoffending cohort (a child can count once per quarter in the "
            "3m method, once in the 12m method).",
            order + 3,
            "cohort",
            direction="neutral",
            cohort_kind=kind,
            axis="children",
        ),
    )


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "fte_rate_per_100k",
        "First time entrants per 100,000 aged 10-17",
        "rate_per_100000",
        "Children whose first-ever substantive outcome (youth caution, youth conditional "
        "caution or conviction) falls in the period, aged 10-17 on its date, per 100,000 of "
        "the service's 10-17 population (mid-year estimate of the year the period ends).",
        10,
        "fte_rate_per_100k",
        "fte_count",
        "population_10_17",
        benchmark="fte_rate_per_100k",
        axis="rate per 100,000",
    ),
    MeasureSpec(
        "fte_count",
        "First time entrants",
        "count",
        "Children whose first-ever substantive outcome falls in the period, aged 10-17.",
        11,
        "fte_count",
        axis="children",
    ),
    *_reoffending("3m"),
    *_reoffending("12m"),
    MeasureSpec(
        "custody_rate_per_1000",
        "Use of custody per 1,000 aged 10-17",
        "rate_per_1000",
        "Custodial sentences dated in the period for children aged 10-17 at sentence, per "
        "1,000 of the 10-17 population.",
        30,
        "custody_rate_per_1000",
        "custody_count",
        "population_10_17",
        benchmark="custody_rate_per_1000",
        axis="rate per 1,000",
    ),
    MeasureSpec(
        "custody_count",
        "Custodial sentences",
        "count",
        "Custodial sentences dated in the period for children aged 10-17 at sentence.",
        31,
        "custody_count",
        axis="sentences",
    ),
    MeasureSpec(
        "cautioned_sentenced_rate_per_10k",
        "Children cautioned or sentenced per 10,000 aged 10-17",
        "ratio",
        "Children with at least one substantive outcome dated in the period, aged 10-17 on "
        "its date, per 10,000 of the 10-17 population (the YJB's 'children cautioned or "
        "sentenced' table).",
        40,
        "cautioned_sentenced_rate_per_10k",
        "cautioned_sentenced_count",
        "population_10_17",
        benchmark="cautioned_sentenced_rate_per_10k",
        axis="rate per 10,000",
    ),
)
MEASURES_BY_SLUG: dict[str, MeasureSpec] = {m.slug: m for m in MEASURES}

# Measures accepted in a benchmark (published comparator) file, and rankable.
BENCHMARK_MEASURES: tuple[str, ...] = tuple(
    dict.fromkeys(m.benchmark for m in MEASURES if m.benchmark is not None)
)


def measures_for(kind: str) -> tuple[MeasureSpec, ...]:
    """The measures one engine run of cohort method ``kind`` gives (the reoffending
    measures of that method and every measure that has no method)."""
    if kind not in COHORT_KINDS:
        raise ValueError(f"cohort kind must be 12m or 3m, not {kind!r}")
    return tuple(m for m in MEASURES if m.cohort_kind in (None, kind))


# The indicators of the performance page, charts and KPI export, by base slug, in order.
PAGE_KPIS: tuple[str, ...] = (
    "fte_rate_per_100k",
    "binary_rate_pct",
    "frequency_rate",
    "reoffences_per_reoffender",
    "custody_rate_per_1000",
)
# The counts behind them: (key, label, base slug of the measure, the stored field).
COUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("fte_count", "First time entrants", "fte_count", "value"),
    ("custody_count", "Custodial sentences", "custody_count", "value"),
    ("cohort", "Reoffending cohort", "reoffending_cohort", "value"),
    ("reoffenders", "Reoffenders", "binary_rate_pct", "numerator"),
    ("reoffences", "Reoffences", "frequency_rate", "numerator"),
)
POPULATION = ("fte_rate_per_100k", "denominator")  # the 10-17 population of the period
# The counts each page indicator is built on (a small count flags or suppresses it).
KPI_COUNTS: dict[str, tuple[str, ...]] = {
    "fte_rate_per_100k": ("fte_count",),
    "binary_rate_pct": ("reoffenders", "cohort"),
    "frequency_rate": ("reoffences", "cohort"),
    "reoffences_per_reoffender": ("reoffences", "reoffenders"),
    "custody_rate_per_1000": ("custody_count",),
}

# Peer groups by slug, in display order, with their usual names.
PEER_GROUPS: dict[str, str] = {
    "london": "London",
    "statistical-neighbours": "statistical neighbours",
    "surrounding": "surrounding areas",
    "england-wales": "England and Wales",
}
