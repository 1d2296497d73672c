"""Services' errors carry the field they belong to (issue 23): views map them by field."""

from __future__ import annotations

import pytest

from saferboard.actions.models import Action, ActionPlan, ActionStatus, PlanKind
from saferboard.actions.services import close_action
from saferboard.core.errors import FieldError
from saferboard.core.models import User


def test_a_field_error_is_a_value_error_with_its_field_and_message() -> None:
    error = FieldError("reason", "Enter why the action is being closed")
    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == (
        "reason",
        "Enter why the action is being closed",
        "Enter why the action is being closed",
    )


@pytest.mark.django_db
def test_closing_twice_is_refused_on_the_reason_field(demo) -> None:  # type: ignore[no-untyped-def]
    action = (
        ActionPlan.objects.get(kind=PlanKind.INSPECTION)
        .actions.filter(status=ActionStatus.OPEN)
        .order_by("pk")
        .first()
    )
    user = User.objects.get(username="coordinator")
    with pytest.raises(FieldError) as blank:
        close_action(action, user=user, reason="  ")
    assert (blank.value.field, blank.value.message) == (
        "reason",
        "Enter why the action is being closed",
    )
    close_action(action, user=user, reason="Done")
    with pytest.raises(FieldError) as again:
        close_action(Action.objects.get(pk=action.pk), user=user, reason="Done again")
    assert again.value.field == "reason"
    assert again.value.message == f"Action {action.reference} is already closed"
