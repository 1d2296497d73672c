"""Issue 23 on the action page: no open redirect after closing an action, and the
update's problems name their field instead of being matched by their wording."""

from __future__ import annotations

from django.test import Client

from saferboard.actions.models import ActionPlan, PlanKind
from saferboard.actions.services import record_update
from saferboard.core.models import User
from saferboard.core.rag import RagAssessment


def test_closing_refuses_to_send_anyone_to_another_site(client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    plan = ActionPlan.objects.get(kind=PlanKind.INSPECTION)
    client.force_login(User.objects.get(username="yos.head"))
    url = f"/actions/{plan.pk}/actions/4a/"
    response = client.post(
        url, {"form": "close", "reason": "Protocol launched", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert plan.actions.get(reference="4a").status == "closed"
    # An address on this site is still honoured.
    other = f"/actions/{plan.pk}/actions/3a/"
    response = client.post(
        other, {"form": "close", "reason": "Done", "next": f"/actions/{plan.pk}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"/actions/{plan.pk}/"


def test_update_problems_carry_their_field(client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    plan = ActionPlan.objects.get(kind=PlanKind.INSPECTION)
    lead = User.objects.get(username="yos.head")
    action = plan.actions.get(reference="3c")  # Amber
    result = record_update(action, user=lead, text="", proposed=None)
    assert [(p.field, p.message) for p in result.problems] == [
        ("text", "Enter the progress update")
    ]
    result = record_update(
        action, user=lead, text="Better", proposed=RagAssessment(status="green", reason="")
    )
    assert [p.field for p in result.problems] == ["reason", "evidence"]
    # The page shows each message beside the field the problem names.
    client.force_login(lead)
    response = client.post(
        f"/actions/{plan.pk}/actions/3c/",
        {"form": "update", "text": "Better", "rag_status": "green", "rag_reason": ""},
    )
    assert response.status_code == 200
    errors = response.context["update_form"].errors
    assert errors["evidence"] == [
        "Attach evidence to support improving the RAG status from Amber to Green"
    ]
    assert "rag_reason" in errors and "text" not in errors
