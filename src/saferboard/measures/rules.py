"""RAG rules as plain functions: configuration in, assessment out, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from saferboard.core import formats
from saferboard.core.rag import RagAssessment


@dataclass(frozen=True)
class RuleConfig:
    """The behaviour of one rule version, detached from the database."""

    ref: str  # "slug@version", recorded on every assessment it makes
    kind: str  # lower_is_better | higher_is_better | manual
    green_max_pct: Decimal = Decimal(0)
    amber_max_pct: Decimal = Decimal(10)


def change_pct(current: float, previous: float) -> float | None:
    """Percentage change from ``previous`` to ``current``; ``None`` when previous is 0."""
    if previous == 0:
        return None
    return (current - previous) / previous * 100


def apply_rule(
    config: RuleConfig, current: float | None, previous: float | None
) -> RagAssessment | None:
    """Rate ``current`` against ``previous`` by the rule; ``None`` if it cannot.

    Band rules measure the worsening (a rise for lower-is-better, a fall for
    higher-is-better) as a percentage of the previous value. Manual rules, and values
    that are missing, give no assessment: a person has to rate them.
    """
    if config.kind == "manual" or current is None or previous is None:
        return None
    sign = 1 if config.kind == "lower_is_better" else -1
    if config.kind not in {"lower_is_better", "higher_is_better"}:
        raise ValueError(f"Unknown rule kind {config.kind!r}")
    pct = change_pct(current, previous)
    if pct is None:
        worsening: float = float("inf") if sign * current > 0 else 0.0
        described = "from none" if current else "level at none"
    else:
        worsening = sign * pct
        described = formats.signed_pct(pct)
    if worsening <= float(config.green_max_pct):
        status = "green"
    elif worsening <= float(config.amber_max_pct):
        status = "amber"
    else:
        status = "red"
    direction = "lower" if sign == 1 else "higher"
    reason = (
        f"{described} on the previous period ({direction} is better; Green up to "
        f"{config.green_max_pct}% worse, Amber up to {config.amber_max_pct}% worse)"
    )
    return RagAssessment(status=status, reason=reason, rule=config.ref)
