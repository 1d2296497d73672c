"""Changing and removing an inspection's recommendations (issue 20): coordinators and
administrators only; audited; located errors; removing one with actions asks first
and keeps the actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saferboard.actions.models import Action, ActionPlan, PlanKind, Recommendation
from saferboard.actions.services import add_action
from saferboard.core.models import AuditEvent, Role
from tests.factories import OrganisationFactory, PartnershipFactory


@pytest.fixture
def plan_setting(db, make_user):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    yos = OrganisationFactory(partnership=partnership, name="YOS", slug="yos")
    plan = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.INSPECTION, title="YOS plan", owner=yos
    )
    one = Recommendation.objects.create(plan=plan, number=1, wording="Improve assessments")
    two = Recommendation.objects.create(plan=plan, number=2, wording="Train staff")
    audit_action = add_action(plan, description="Audit assessments", recommendation=one)
    training = add_action(plan, description="Run training", recommendation=two)
    return {
        "plan": plan,
        "one": one,
        "two": two,
        "audit": audit_action,
        "training": training,
        "coordinator": make_user(Role.COORDINATOR, organisation=yos, username="coord"),
        "lead": make_user(Role.PARTNER_LEAD, organisation=yos, username="lead"),
        "analyst": make_user(Role.ANALYST, organisation=yos, username="analyst"),
    }


def _edit(s, number: int = 1) -> str:  # type: ignore[no-untyped-def]
    return reverse("actions:recommendation-edit", args=[s["plan"].pk, number])


def _remove(s, number: int = 1) -> str:  # type: ignore[no-untyped-def]
    return reverse("actions:recommendation-remove", args=[s["plan"].pk, number])


def test_only_coordinators_and_administrators_change_recommendations(client, plan_setting) -> None:  # type: ignore[no-untyped-def]
    for who in ("lead", "analyst"):
        client.force_login(plan_setting[who])
        assert client.get(_edit(plan_setting)).status_code == 403
        assert client.post(_edit(plan_setting), {"number": 1, "wording": "X"}).status_code == 403
        assert client.post(_remove(plan_setting)).status_code == 403
    assert Recommendation.objects.get(pk=plan_setting["one"].pk).wording == "Improve assessments"
    client.force_login(plan_setting["coordinator"])
    assert client.get(_edit(plan_setting)).status_code == 200
    assert client.get(_edit(plan_setting, 9)).status_code == 404


def test_a_change_of_words_addressees_and_actions_is_audited(client, plan_setting) -> None:  # type: ignore[no-untyped-def]
    s = plan_setting
    client.force_login(s["coordinator"])
    response = client.post(
        _edit(s),
        {
            "number": 1,
            "area": "Quality",
            "wording": "Improve the quality of assessments",
            "addressees": "YOS Management Board; Police",
            "response": "agreed",
            # Both actions: "Run training" moves here from recommendation 2.
            "actions": [s["audit"].pk, s["training"].pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#recommendation-1")
    one = Recommendation.objects.get(pk=s["one"].pk)
    assert (one.wording, one.addressees, one.area) == (
        "Improve the quality of assessments",
        "YOS Management Board; Police",
        "Quality",
    )
    assert set(one.actions.values_list("description", flat=True)) == {
        "Audit assessments",
        "Run training",
    }
    event = AuditEvent.objects.filter(object_id=str(one.pk)).latest("at")
    assert event.actor == s["coordinator"]
    assert event.detail["before"]["wording"] == "Improve assessments"
    assert event.detail["after"]["addressees"] == "YOS Management Board; Police"
    assert event.detail["after"]["actions"] == [s["audit"].reference, s["training"].reference]

    # Clearing an action unlinks it; it stays in the plan.
    client.post(_edit(s), {"number": 1, "wording": "Improve assessments", "actions": []})
    assert Action.objects.filter(pk=s["audit"].pk, recommendation__isnull=True).exists()


def test_errors_are_located_on_their_fields(client, plan_setting) -> None:  # type: ignore[no-untyped-def]
    client.force_login(plan_setting["coordinator"])
    before = AuditEvent.objects.count()
    response = client.post(
        _edit(plan_setting), {"number": 2, "wording": "  ", "response": "not_agreed"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["number"] == ["Recommendation 2 already exists in this plan"]
    assert form.errors["wording"] == ["Enter the recommendation as the inspection worded it"]
    assert form.errors["response_reason"] == ["Enter why the recommendation is not fully agreed"]
    page = response.content.decode()
    assert "<title>Error:" in page and 'href="#id_number"' in page
    assert AuditEvent.objects.count() == before
    # Its own number is not "already taken".
    response = client.post(_edit(plan_setting), {"number": 1, "wording": "Improve assessments"})
    assert response.status_code == 302


def test_removing_a_recommendation_with_actions_asks_and_keeps_them(client, plan_setting) -> None:  # type: ignore[no-untyped-def]
    s = plan_setting
    client.force_login(s["coordinator"])
    page = client.get(_remove(s)).content.decode()
    assert "Remove recommendation 1?" in page
    assert "1 action answers this recommendation" in page and "Audit assessments" in page
    assert Recommendation.objects.filter(pk=s["one"].pk).exists()  # asking removes nothing

    response = client.post(_remove(s))
    assert response.status_code == 302
    assert not Recommendation.objects.filter(pk=s["one"].pk).exists()
    kept = Action.objects.get(pk=s["audit"].pk)
    assert kept.recommendation_id is None and kept.description == "Audit assessments"
    event = AuditEvent.objects.filter(object_id=str(s["one"].pk)).latest("at")
    assert event.detail["before"]["wording"] == "Improve assessments"
    assert event.detail["actions_kept"] == [s["audit"].reference]
    # Recommendation 2 and its action are untouched.
    assert Action.objects.get(pk=s["training"].pk).recommendation_id == s["two"].pk
