"""Changing and removing an inspection's recommendations, audited before → after.

A recommendation holds the inspection's words, who it was addressed to and the plan's
response; its actions point to it. Removing a recommendation never removes the
actions that answer it: they are unlinked first (the database would otherwise delete
them with it) and stay in the plan under "Other actions".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferboard.actions.models import Action, Recommendation
from saferboard.core import audit
from saferboard.core.models import User

RECOMMENDATION_FIELDS = ("number", "area", "wording", "response", "response_reason", "addressees")


def _state(recommendation: Recommendation) -> dict[str, Any]:
    """What the audit records: the fields and the references of the linked actions."""
    return {
        **audit.snapshot(recommendation, RECOMMENDATION_FIELDS),
        "actions": linked_references(recommendation),
    }


def linked_references(recommendation: Recommendation) -> list[str]:
    """The references of the actions answering ``recommendation``, in plan order."""
    return list(
        recommendation.actions.order_by("position", "pk").values_list("reference", flat=True)
    )


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation,
    values: dict[str, Any],
    actions: Iterable[Action],
    *,
    user: User,
    request: HttpRequest | None = None,
) -> Recommendation:
    """Change the recommendation's text, addressees and response, and link exactly
    ``actions`` (of its plan) to it: an action no longer chosen is unlinked, not removed."""
    before = _state(recommendation)
    for name in RECOMMENDATION_FIELDS:
        if name in values:
            value = values[name]
            setattr(recommendation, name, value.strip() if isinstance(value, str) else value)
    recommendation.full_clean(exclude=["plan"])
    recommendation.save()
    chosen = [a.pk for a in actions if a.plan_id == recommendation.plan_id]
    recommendation.actions.exclude(pk__in=chosen).update(recommendation=None)
    Action.objects.filter(plan_id=recommendation.plan_id, pk__in=chosen).update(
        recommendation=recommendation
    )
    # Nothing changed: nothing is recorded (record_change writes only differences).
    audit.record_change(
        recommendation, before=before, after=_state(recommendation), actor=user, request=request
    )
    return recommendation


@transaction.atomic
def remove_recommendation(
    recommendation: Recommendation, *, user: User, request: HttpRequest | None = None
) -> list[str]:
    """Remove the recommendation, keeping its actions (unlinked); returns their
    references. Audited with what was removed."""
    before = _state(recommendation)
    kept: list[str] = before["actions"]
    recommendation.actions.update(recommendation=None)
    audit.record_change(
        recommendation,
        before=before,
        after=None,
        actor=user,
        request=request,
        removed=True,
        actions_kept=kept,
    )
    recommendation.delete()
    return kept
