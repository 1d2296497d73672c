"""A lead's proposed Blue goes to the board: counted as its previous rating until
accepted (shown as "Blue proposed"); acceptance records Blue and closes the action;
rejection returns it with a reason (issue 20)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.actions.completion import (
    CompletionError,
    accept_blue,
    can_accept,
    pending_proposal,
    reject_blue,
)
from saferboard.actions.models import Action, ActionPlan, PlanKind, ProposalState, UpdateKind
from saferboard.actions.rollup import count_accepted, count_by_area
from saferboard.actions.services import add_action, plan_summary, record_update
from saferboard.core.models import AuditAction, AuditEvent, Organisation, Role, User
from saferboard.core.rag import RagAssessment, record_rag
from saferboard.meetings.models import BoardKind, BoardMember
from saferboard.meetings.services import create_board
from tests.factories import OrganisationFactory, PartnershipFactory, make_user

PDF = b"%PDF-1.4\n% evidence of completion\n"


def test_roll_up_counts_a_proposed_blue_as_its_accepted_rating_by_hand() -> None:
    # Five actions: Green with Blue proposed, Amber, Blue (accepted), not rated, Green.
    counts = count_accepted(
        [("green", True), ("amber", False), ("blue", False), (None, False), ("green", False)]
    )
    assert (counts.red, counts.amber, counts.green, counts.blue, counts.not_rated) == (
        0,
        1,
        2,
        1,
        1,
    )
    assert counts.total == 5 and counts.blue_proposed == 1
    assert counts.sentence() == (
        "of 5 actions: 0 Red, 1 Amber, 2 Green, 1 Blue, 1 not rated "
        "(1 Blue proposed, awaiting the board)"
    )
    by_area = count_by_area([("Quality", "green", True), ("Quality", "blue"), ("Staff", "red")])
    assert (by_area["Quality"].green, by_area["Quality"].blue) == (1, 1)
    assert by_area["Quality"].blue_proposed == 1 and by_area["Staff"].blue_proposed == 0


@dataclass
class World:
    plan: ActionPlan
    action: Action
    org: Organisation
    lead: User
    coordinator: User
    board_member: User


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    yos = OrganisationFactory(partnership=partnership, name="YOS", slug="yos")
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    coordinator = make_user(Role.COORDINATOR, organisation=council, username="coord")
    plan = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.INSPECTION, title="YOS plan", owner=yos
    )
    action = add_action(plan, description="Audit assessments", lead_organisations=[yos])
    record_rag(action, RagAssessment("green", reason="On track"), actor=coordinator)
    add_action(plan, description="Train staff", lead_organisations=[yos])
    return World(
        plan=plan,
        action=action,
        org=yos,
        lead=make_user(Role.PARTNER_LEAD, organisation=yos, username="lead"),
        coordinator=coordinator,
        board_member=make_user(Role.BOARD_MEMBER, organisation=council, username="member"),
    )


def _propose(world: World):  # type: ignore[no-untyped-def]
    return record_update(
        world.action,
        user=world.lead,
        text="All twenty audits done.",
        proposed=RagAssessment("blue", reason="Audits complete and reported"),
        evidence=[SimpleUploadedFile("audits.pdf", PDF, content_type="application/pdf")],
    )


def test_a_leads_blue_waits_for_the_board_and_counts_as_green(world: World) -> None:
    result = _propose(world)
    assert result.problems == [] and result.proposal is not None and result.rag_entry is None
    world.action.refresh_from_db()
    assert world.action.rag_status == "green" and world.action.is_open
    summary = plan_summary(world.plan)
    assert (summary.counts.green, summary.counts.blue, summary.counts.not_rated) == (1, 0, 1)
    assert summary.counts.blue_proposed == 1
    assert "(1 Blue proposed, awaiting the board)" in summary.counts.sentence()
    assert world.action.updates.filter(kind=UpdateKind.BLUE_PROPOSED).count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.RAG_CHANGE, detail__what="Blue proposed"
    ).exists()
    # A second proposal while one waits is refused.
    again = _propose(world)
    assert [p.message for p in again.problems] == ["Blue is already proposed to the board"]


def test_a_blue_needs_evidence_before_it_goes_to_the_board(world: World) -> None:
    result = record_update(
        world.action,
        user=world.lead,
        text="",
        proposed=RagAssessment("blue", reason="Done"),
    )
    assert [p.field for p in result.problems] == ["evidence"]
    assert pending_proposal(world.action) is None


def test_acceptance_records_blue_closes_the_action_and_is_audited(world: World) -> None:
    proposal = _propose(world).proposal
    action = accept_blue(proposal, user=world.coordinator, note="Seen by the board in March")
    assert action.rag_status == "blue" and not action.is_open
    assert action.closed_by == world.coordinator
    assert action.rag_reason.startswith("Accepted by the board: Audits complete")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and proposal.decided_by == world.coordinator
    summary = plan_summary(world.plan)
    assert (summary.counts.green, summary.counts.blue, summary.counts.blue_proposed) == (0, 1, 0)
    assert AuditEvent.objects.filter(detail__what="Blue accepted").count() == 1
    with pytest.raises(CompletionError, match="already been decided"):
        accept_blue(proposal, user=world.coordinator)


def test_rejection_returns_it_with_a_reason(world: World) -> None:
    proposal = _propose(world).proposal
    with pytest.raises(CompletionError, match="Enter why"):
        reject_blue(proposal, user=world.coordinator, reason=" ")
    reject_blue(proposal, user=world.coordinator, reason="Two audits are missing")
    world.action.refresh_from_db()
    assert world.action.rag_status == "green" and world.action.is_open
    assert pending_proposal(world.action) is None
    returned = world.action.updates.get(kind=UpdateKind.BLUE_REJECTED)
    assert returned.text == "Two audits are missing"
    assert plan_summary(world.plan).counts.blue_proposed == 0


def test_who_may_accept(world: World) -> None:
    proposal = _propose(world).proposal
    assert can_accept(world.coordinator) and not can_accept(world.lead)
    assert not can_accept(world.board_member)
    with pytest.raises(PermissionError):
        accept_blue(proposal, user=world.lead)
    board = create_board(
        world.plan.partnership,
        name="YOS Management Board",
        slug="yos-board",
        kind=BoardKind.PARTNERSHIP,
        owner=world.org,
        first_minute_number=1,
    )
    BoardMember.objects.create(
        board=board,
        person=world.board_member.person,
        organisation=world.org,
        role="Chair",
        start_date=date(2020, 1, 1),
    )
    assert can_accept(world.board_member)
    assert accept_blue(proposal, user=world.board_member).rag_status == "blue"


def test_a_coordinators_own_blue_is_recorded_at_once(world: World) -> None:
    result = record_update(
        world.action,
        user=world.coordinator,
        text="",
        proposed=RagAssessment("blue", reason="Board accepted at the meeting"),
        evidence=[SimpleUploadedFile("minute.pdf", PDF, content_type="application/pdf")],
    )
    assert result.problems == [] and result.proposal is None
    world.action.refresh_from_db()
    assert world.action.rag_status == "blue"


def test_the_decision_page(client, world: World) -> None:
    _propose(world)
    url = reverse("actions:blue-decision", args=[world.plan.pk, world.action.reference])
    client.force_login(world.lead)
    assert client.get(url).status_code == 403
    page = client.get(reverse("actions:action", args=[world.plan.pk, world.action.reference]))
    assert "Blue proposed" in page.content.decode()
    client.force_login(world.coordinator)
    plan_page = client.get(reverse("actions:plan", args=[world.plan.pk])).content.decode()
    assert "Blue proposed, awaiting the board" in plan_page
    assert client.get(url).status_code == 200
    missing = client.post(url, {"decision": "reject", "reason": ""})
    assert missing.status_code == 200
    assert "Enter why the Blue is not accepted" in missing.content.decode()
    done = client.post(url, {"decision": "accept", "reason": ""})
    assert done.status_code == 302
    world.action.refresh_from_db()
    assert world.action.rag_status == "blue" and not world.action.is_open
    assert client.get(url).status_code == 404  # nothing left to decide
