"""Two people act on the same action at the same moment, in real concurrent PostgreSQL
transactions: nothing is silently overwritten."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from saferboard.actions.models import Action, ActionPlan, ActionStatus, PlanKind, UpdateKind
from saferboard.actions.services import close_action, record_update
from saferboard.core.models import RagEntry, User
from saferboard.core.rag import RagAssessment
from tests.concurrency import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def action(demo) -> Action:  # type: ignore[no-untyped-def]
    plan = ActionPlan.objects.get(kind=PlanKind.INSPECTION)
    return plan.actions.filter(status=ActionStatus.OPEN).order_by("pk").first()


def test_two_closes_one_closes_the_other_is_told(action: Action) -> None:
    users = list(User.objects.filter(username__in=["coordinator", "partner.lead"]))

    def closing(user: User, reason: str):  # type: ignore[no-untyped-def]
        def writer() -> str:
            try:
                close_action(Action.objects.get(pk=action.pk), user=user, reason=reason)
            except ValueError as error:
                assert "already closed" in str(error)
                return "told"
            return "closed"

        return writer

    outcomes = race(closing(users[0], "Done by A"), closing(users[1], "Done by B"))

    assert sorted(outcomes) == ["closed", "told"], outcomes
    closed = Action.objects.get(pk=action.pk)
    assert closed.status == ActionStatus.CLOSED
    winner = "Done by A" if outcomes[0] == "closed" else "Done by B"
    assert closed.closed_reason == winner
    assert list(closed.updates.filter(kind=UpdateKind.CLOSED).values_list("text", flat=True)) == [
        winner
    ]


def test_two_updates_at_once_both_are_kept(action: Action) -> None:
    """Updates and RAG changes are appended, never replaced: both people's words and
    both ratings are in the history, and the current RAG is the last one recorded."""
    user = User.objects.get(username="coordinator")
    before_updates = action.updates.count()
    ratings = RagEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=action.pk
    )
    before_entries = ratings.count()

    def updating(text: str, status: str):  # type: ignore[no-untyped-def]
        def writer() -> str:
            result = record_update(
                Action.objects.get(pk=action.pk),
                user=user,
                text=text,
                proposed=RagAssessment(status=status, reason=f"{text}: {status}"),
            )
            return "saved" if not result.problems else "; ".join(str(p) for p in result.problems)

        return writer

    # Red is never an improvement, so the evidence gate does not apply; the reasons
    # differ, so each is a new rating.
    outcomes = race(updating("Update A", "red"), updating("Update B", "red"))

    assert outcomes == ["saved", "saved"], outcomes
    texts = set(action.updates.filter(kind=UpdateKind.UPDATE).values_list("text", flat=True))
    assert {"Update A", "Update B"} <= texts
    assert action.updates.count() == before_updates + 2
    assert ratings.count() == before_entries + 2
    assert {"Update A: red", "Update B: red"} <= set(ratings.values_list("reason", flat=True))
    current = Action.objects.get(pk=action.pk)
    assert current.rag_reason == ratings.order_by("-pk").first().reason
