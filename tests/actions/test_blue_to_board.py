"""A lead's proposed Blue goes to the board (issue 20): the next meeting's pack lists
it, with the lead's evidence and the decision page, under matters arising (the
board's own action log) or the action-plan section (the partnership's other plans)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saferboard.actions.completion import accept_blue, awaiting_board
from saferboard.actions.models import Action, ActionPlan, BlueProposal, PlanKind
from saferboard.actions.services import add_action, record_update
from saferboard.core.models import Role
from saferboard.core.rag import RagAssessment, record_rag
from saferboard.meetings import services as meetings
from saferboard.reports.sections import PackContext, Table, provider_for
from tests.reports.conftest import build_pack_setting

PDF = b"%PDF-1.4\n% evidence of completion\n"
BEFORE_MEETING = timezone.make_aware(datetime(2026, 3, 2, 10, 0))


def _propose(action: Action, user, reason: str, rater) -> BlueProposal:  # type: ignore[no-untyped-def]
    """A lead's Blue with one evidence file, dated before the meeting of 20 March."""
    record_rag(action, RagAssessment("green", reason="On track"), actor=rater)
    result = record_update(
        action,
        user=user,
        text="Done.",
        proposed=RagAssessment("blue", reason=reason),
        evidence=[SimpleUploadedFile("done.pdf", PDF, content_type="application/pdf")],
    )
    assert result.problems == [] and result.proposal is not None
    BlueProposal.objects.filter(pk=result.proposal.pk).update(proposed_at=BEFORE_MEETING)
    return result.proposal


def _tables(section) -> list:  # type: ignore[no-untyped-def]
    return [b.table for b in section.blocks if isinstance(b, Table)]


@pytest.fixture
def setting(db, make_user):  # type: ignore[no-untyped-def]
    s = build_pack_setting(make_user)
    # The action raised at the last meeting (tests/reports/conftest.py) is led by the
    # board member, who proposes it complete.
    s["logged"] = Action.objects.get(plan=s["board"].action_log)
    return s


def test_a_proposed_blue_on_the_boards_log_is_in_its_matters_arising(setting) -> None:  # type: ignore[no-untyped-def]
    meeting, board = setting["meeting"], setting["board"]
    _propose(
        setting["logged"],
        setting["member"],
        "Ward analysis presented in February",
        setting["coordinator"],
    )
    item = meetings.add_agenda_item(meeting, title="Matters arising", kind="matters_arising")

    section = provider_for("matters_arising")(item, PackContext(meeting, public=True))
    proposed = _tables(section)[-1]
    assert proposed.caption == "Matters arising: proposed completions"
    (row,) = proposed.rows
    reference, matter, by, evidence, decision = row
    assert reference == f"{setting['logged'].reference} (minute 36)"
    assert matter == "Bring a ward analysis of knife crime"
    assert by.endswith(", 2 March 2026")
    assert evidence == "Ward analysis presented in February (1 evidence file attached)"
    assert decision.endswith(
        f"/actions/{board.action_log_id}/actions/{setting['logged'].reference}/blue/"
    )
    headings = [getattr(b, "text", "") for b in section.blocks]
    assert "Proposed completions for acceptance" in headings
    # The lead's evidence is prose the pack prints: the figure check reads it.
    (evidence_narrative,) = [n for n in section.narratives if "proposed completion" in n.location]
    assert evidence_narrative.text == evidence

    # Accepted: it no longer waits, and the section says nothing of it.
    accept_blue(BlueProposal.objects.get(action=setting["logged"]), user=setting["coordinator"])
    section = provider_for("matters_arising")(item, PackContext(meeting, public=True))
    assert "Proposed completions for acceptance" not in [
        getattr(b, "text", "") for b in section.blocks
    ]


def test_an_action_raised_only_in_an_exempt_minute_is_left_out_of_the_public_pack(setting) -> None:  # type: ignore[no-untyped-def]
    minute = setting["logged"].minute_items.get()
    minute.exempt = True
    minute.save(update_fields=["exempt"])
    _propose(setting["logged"], setting["member"], "Done", setting["coordinator"])
    plan = setting["board"].action_log
    assert awaiting_board([plan], public=True) == {}
    assert [p.reference for p in awaiting_board([plan])[plan.pk]] == [setting["logged"].reference]


def test_a_proposed_blue_on_another_plan_is_in_the_action_plan_section(setting, make_user) -> None:  # type: ignore[no-untyped-def]
    meeting = setting["meeting"]
    partnership = meeting.board.partnership
    owner = setting["board"].action_log.owner
    lead = make_user(Role.PARTNER_LEAD, organisation=owner, username="planlead")
    plans = {}
    for title, restricted in (("YOS improvement plan", False), ("DHR plan", True)):
        plan = ActionPlan.objects.create(
            partnership=partnership,
            kind=PlanKind.INSPECTION,
            title=title,
            owner=owner,
            restricted=restricted,
        )
        action = add_action(plan, description=f"{title}: audit", lead_organisations=[owner])
        _propose(action, lead, f"{title} audit reported", setting["coordinator"])
        plans[title] = plan
    item = meetings.add_agenda_item(meeting, title="Improvement plans", kind="action_plans")

    public = provider_for("action_plans")(item, PackContext(meeting, public=True))
    captions = [t.caption for t in _tables(public)]
    assert "YOS improvement plan: proposed completions" in captions
    assert not any("DHR" in c for c in captions)  # a restricted plan is not in the public pack
    (row,) = next(t for t in _tables(public) if t.caption.endswith("proposed completions")).rows
    assert row[3] == "YOS improvement plan audit reported (1 evidence file attached)"

    restricted = provider_for("action_plans")(item, PackContext(meeting, public=False))
    assert "DHR plan: proposed completions" in [t.caption for t in _tables(restricted)]
    # The roll-up still counts the action at its accepted rating (Green), not Blue.
    assert "(1 Blue proposed, awaiting the board)" in " ".join(
        getattr(b, "text", "") for b in public.blocks
    )
