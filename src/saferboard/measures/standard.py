"""The standard RAG rules every installation starts with (idempotent)."""

from __future__ import annotations

from decimal import Decimal

from saferboard.measures.models import RagRule, RagRuleVersion, RuleKind

# slug, name, description, kind, green_max_pct, amber_max_pct
STANDARD_RULES = [
    (
        "lower-is-better",
        "Lower is better (Amber up to 10% worse)",
        "Green if the figure fell or stayed level; Amber if it rose by up to 10%; "
        "Red if it rose by more than 10%.",
        RuleKind.LOWER_IS_BETTER,
        Decimal(0),
        Decimal(10),
    ),
    (
        "higher-is-better",
        "Higher is better (Amber up to 10% worse)",
        "Green if the figure rose or stayed level; Amber if it fell by up to 10%; "
        "Red if it fell by more than 10%.",
        RuleKind.HIGHER_IS_BETTER,
        Decimal(0),
        Decimal(10),
    ),
    (
        "manual",
        "Set by the board",
        "No automatic rating: a person sets the status and gives the reason.",
        RuleKind.MANUAL,
        Decimal(0),
        Decimal(0),
    ),
]


def ensure_standard_rules() -> dict[str, RagRule]:
    """Create the standard rules with a first version if they do not exist."""
    rules = {}
    for slug, name, description, kind, green, amber in STANDARD_RULES:
        rule, _ = RagRule.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        if not rule.versions.exists():
            RagRuleVersion.objects.create(
                rule=rule, version=1, kind=kind, green_max_pct=green, amber_max_pct=amber
            )
        rules[slug] = rule
    return rules
