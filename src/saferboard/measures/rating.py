"""Rating stored observations: once, when a figure is stored, and again only on request.

A figure is rated by its measure's rule as the rule stands when the figure is first
stored (or when its value changes), through :func:`saferboard.core.rag.record_rule_ratings`,
so every rating is a ``RagEntry`` naming the rule version, and the observation carries
it. Every rendering (web pages, CLI JSON, the API, the board pack) shows that stored
rating; none applies a rule itself.

A rule change adds a version (:mod:`saferboard.measures.editing`) and changes nothing
already rated: old ratings keep the version that set them. Re-rating under the new
version is an explicit, audited action (:func:`rerate`), which appends new entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from saferboard.core import audit
from saferboard.core.models import AuditAction, User
from saferboard.core.rag import RagAssessment, record_rule_ratings
from saferboard.measures.models import Measure, Observation, RagRuleVersion
from saferboard.measures.rules import RuleConfig, apply_rule

FIGURE_KEYS = ("value", "previous")
"""What a rating depends on: a figure whose value or previous value changes is rated
again; one stored again unchanged keeps its rating."""


def previous_value(comparators: Mapping[str, Any] | None) -> float | None:
    """The previous period's value an observation is rated against (its comparators'
    ``previous_period``, or ``previous`` as some imports name it)."""
    comparators = comparators or {}
    value = comparators.get("previous_period")
    if value is None:
        value = comparators.get("previous")
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def assess(config: RuleConfig | None, obs: Observation) -> RagAssessment | None:
    """The rating ``config`` gives ``obs`` (``None`` for no rule, a judgement rule, or a
    figure that cannot be compared)."""
    if config is None:
        return None
    return apply_rule(config, obs.value, previous_value(obs.comparators))


def figure_of(obs: Observation) -> tuple[float | None, float | None]:
    """The parts of an observation its rating depends on."""
    return obs.value, previous_value(obs.comparators)


def rule_config(version: RagRuleVersion) -> RuleConfig:
    """A stored rule version as the rating functions take it."""
    return RuleConfig(
        ref=version.ref,
        kind=version.kind,
        green_max_pct=version.green_max_pct,
        amber_max_pct=version.amber_max_pct,
    )


def current_rule_config(measure: Measure) -> RuleConfig | None:
    """The configuration of the measure's rule as it stands now, if it has one."""
    if measure.rag_rule is None:
        return None
    version = measure.rag_rule.current_version()
    return rule_config(version) if version else None


def current_config(measure: Measure) -> RuleConfig | None:
    """The measure's rule as it stands now (``None`` without one)."""
    return current_rule_config(measure)


def rate_new_figures(
    measure: Measure,
    stored: Iterable[Observation],
    before: Mapping[int, tuple[float | None, float | None]],
) -> int:
    """Rate what was just stored: observations never rated, and those whose figure
    changed from ``before`` (observation id → figure before the store). Observations
    stored again unchanged keep their rating, whatever the rule says now. Returns how
    many ratings were recorded."""
    config = current_config(measure)
    to_rate: list[tuple[Observation, RagAssessment]] = []
    cleared: list[Observation] = []
    for obs in stored:
        changed = obs.pk in before and before[obs.pk] != figure_of(obs)
        if obs.rag_status and not changed:
            continue
        assessment = assess(config, obs)
        if assessment is not None:
            to_rate.append((obs, assessment))
        elif obs.rag_status:
            # The figure changed and can no longer be rated (its previous value went,
            # or the rule is now a judgement): it shows as not rated; its old entries
            # stay in the history.
            cleared.append(obs)
    if cleared:
        for obs in cleared:
            obs.rag_status = obs.rag_second_status = obs.rag_reason = obs.rag_rule = ""
            obs.rag_set_at = None
        Observation.objects.bulk_update(
            cleared, ["rag_status", "rag_second_status", "rag_reason", "rag_rule", "rag_set_at"]
        )
    return _record(to_rate)


def _record(
    ratings: list[tuple[Observation, RagAssessment]],
    *,
    requested_by: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    if not ratings:
        return 0
    observations = [obs for obs, _ in ratings]
    assessments = [assessment for _, assessment in ratings]
    for obs, assessment in ratings:
        obs.rag_rule = assessment.rule
    record_rule_ratings(
        observations,
        assessments,
        requested_by=requested_by,
        request=request,
        extra_fields=["rag_rule"],
    )
    return len(ratings)


@dataclass(frozen=True)
class Rerating:
    """What :func:`rerate` did."""

    measure: Measure
    rule: str  # the version applied, "" when the measure has no automatic rule
    considered: int  # observations of the measure
    rated: int  # new entries recorded
    changed: int  # of those, how many changed status
    unchanged: int  # already rated by this version: left alone

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": f"{self.measure.source_kind}/{self.measure.slug}",
            "rule": self.rule or None,
            "considered": self.considered,
            "rated": self.rated,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


def rerate(measure: Measure, *, actor: User | None, request: HttpRequest | None = None) -> Rerating:
    """Re-rate every observation of ``measure`` under its rule's current version.

    The explicit step after a rule change: each observation not already rated by this
    version gets a new history entry (its old ones stay, naming their versions), and
    the re-rating is audited with who asked. Observations the rule cannot rate keep
    what they had.
    """
    config = current_config(measure)
    observations = list(
        Observation.objects.filter(measure=measure).select_related("measure", "area")
    )
    to_rate: list[tuple[Observation, RagAssessment]] = []
    changed = unchanged = 0
    for obs in observations:
        if config is None or obs.rag_rule == config.ref:
            unchanged += 1
            continue
        assessment = assess(config, obs)
        if assessment is None:
            unchanged += 1
            continue
        if (obs.rag_status, obs.rag_second_status or None) != (
            assessment.status,
            assessment.second_status,
        ):
            changed += 1
        to_rate.append((obs, assessment))
    rated = _record(to_rate, requested_by=actor, request=request)
    result = Rerating(
        measure=measure,
        rule=config.ref if config else "",
        considered=len(observations),
        rated=rated,
        changed=changed,
        unchanged=unchanged,
    )
    audit.record(
        AuditAction.RAG_CHANGE,
        actor=actor,
        obj=measure,
        request=request,
        rerate=True,
        **result.as_json(),
    )
    return result
