"""Judgement ratings: a named person rates a measure's latest figure and says why.

A measure whose RAG rule is a judgement rule (kind ``manual``) gets no automatic
rating. The partnership rates it instead, e.g. Amber/Green for a rise in hate crime
reporting, because more reporting is the aim. Each rating is a
:class:`~saferboard.core.models.RagEntry` (through ``record_rag``) naming the person,
their reason and the rule version they applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest

from saferboard.core.models import Area, RagEntry, Role, User
from saferboard.core.partnerships import current_partnership
from saferboard.core.rag import RagAssessment, rag_history, record_rag
from saferboard.measures.models import Measure, MeasureRating, Observation, RuleKind

JUDGE_ROLES = (Role.COORDINATOR, Role.BOARD_MEMBER)
"""Besides administrators: who may set a judgement rating (the partnership's view, as the
board agrees it; an analyst defines measures but does not rate them)."""


def can_judge(user: User) -> bool:
    """Whether ``user`` may set a measure's judgement rating."""
    return bool(user.is_authenticated and (user.is_administrator or user.has_role(*JUDGE_ROLES)))


def is_judgement(measure: Measure) -> bool:
    """Whether the measure's current rule is a judgement rule."""
    if measure.rag_rule_id is None:
        return False
    version = measure.rag_rule.current_version()  # type: ignore[union-attr]
    return version is not None and version.kind == RuleKind.MANUAL


@dataclass(frozen=True)
class Period:
    """The figure a judgement rates: an area and period."""

    area: Area
    start: date
    end: date


def latest_period(measure: Measure) -> Period | None:
    """The measure's latest figure: for the partnership's local authority if it has one
    there, else for any area; None before the measure has any figure."""
    observations = measure.observations.select_related("area").order_by("-period_end", "pk")
    partnership = current_partnership()
    if partnership is not None and partnership.local_authority_id:
        mine = observations.filter(area_id=partnership.local_authority_id).first()
        if mine is not None:
            return Period(mine.area, mine.period_start, mine.period_end)
    latest: Observation | None = observations.first()
    if latest is None:
        return None
    return Period(latest.area, latest.period_start, latest.period_end)


class JudgementRefused(ValueError):
    """A judgement that cannot be recorded (the message says why)."""


def set_judgement(
    measure: Measure,
    assessment: RagAssessment,
    *,
    actor: User,
    period: Period | None = None,
    request: HttpRequest | None = None,
) -> RagEntry:
    """Record ``actor``'s judgement of the measure's figure (the latest by default)."""
    if not can_judge(actor):
        raise JudgementRefused("Only a coordinator, board member or administrator rates a measure")
    if not is_judgement(measure):
        raise JudgementRefused(f"{measure.label} is rated by its rule, not by judgement")
    if not assessment.reason.strip():
        raise JudgementRefused("Enter the reason for the rating")
    period = period or latest_period(measure)
    if period is None:
        raise JudgementRefused(f"{measure.label} has no figures to rate yet")
    rating, _ = MeasureRating.objects.get_or_create(
        measure=measure, area=period.area, period_start=period.start, period_end=period.end
    )
    ref = measure.rag_rule.current_version().ref  # type: ignore[union-attr]
    return record_rag(rating, assessment, actor=actor, request=request, under_rule=ref)


@dataclass(frozen=True)
class RatedPeriod:
    """One rated figure and its history, newest entry first."""

    rating: MeasureRating
    history: list[RagEntry]


def judgement_history(measure: Measure) -> list[RatedPeriod]:
    """Every rated figure of the measure, latest period first, each with its history."""
    return [
        RatedPeriod(rating, list(reversed(rag_history(rating))))
        for rating in measure.ratings.select_related("area").order_by("-period_end", "area__name")
    ]
