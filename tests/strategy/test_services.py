"""The reporting cycle's services: rounds, carry forward, the evidence gate, acceptance
applying RAG with history and audit, roll-up, optimistic concurrency and reminders."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from saferboard.core.models import AuditAction, AuditEvent, EvidenceFile, RagEntry
from saferboard.core.rag import RagAssessment, rag_history
from saferboard.strategy.models import Contribution, Reminder, UpdateEvent
from saferboard.strategy.services import (
    ROLLUP_RULE,
    StaleVersion,
    UpdateChanges,
    close_round,
    ensure_updates,
    last_accepted_rating,
    partner_range,
    review_update,
    save_update,
)
from saferboard.strategy.workflow import Action, TransitionRefused
from tests.strategy.conftest import PDF


def changes(status="amber", second="", reason="Amber: partly done", text="We did things"):  # type: ignore[no-untyped-def]
    return UpdateChanges(
        narrative=text, rag_status=status, rag_second_status=second, rag_reason=reason
    )


def submit(update, user, status="amber", upload=None, **kwargs):  # type: ignore[no-untyped-def]
    return save_update(
        update,
        changes(status, reason=f"{status.title()}: reason", **kwargs),
        version=update.version,
        actor=user,
        submit=True,
        upload=upload,
    )


def accept(update, world):  # type: ignore[no-untyped-def]
    return review_update(
        update, action=Action.ACCEPT, actor=world.coordinator, version=update.version
    )


def police_update(round, world):  # type: ignore[no-untyped-def]
    return round.updates.get(commitment=world.commitment, organisation=world.police)


def test_opening_a_round_creates_each_expected_return_and_emails_leads(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        round = world.open()
    pairs = set(round.updates.values_list("commitment__number", "organisation__slug"))
    assert pairs == {(1, "police"), (1, "council"), (2, "police")}
    assert set(round.updates.values_list("state", flat=True)) == {"not_started"}
    assert len(mail.outbox) == 2  # one email per organisation
    police_mail = next(m for m in mail.outbox if "Police" in m.body)
    assert "commitment 1: Tackle ASB" in police_mail.body
    assert "commitment 2: Support victims" in police_mail.body
    assert Reminder.objects.filter(kind="opened").count() == 2
    assert ensure_updates(round) == []  # idempotent


def test_end_of_year_round_covers_every_priority_and_skips_former_partners(world) -> None:
    from saferboard.strategy.models import Commitment, Priority

    other = Priority.objects.create(strategy=world.strategy, number=2, title="Other")
    c = Commitment.objects.create(priority=other, number=1, title="Other work")
    c.contributors.set([world.police])
    world.council.end_date = date(2020, 12, 31)
    world.council.save()
    round = world.open(2021, 4, substantive=[], is_end_of_year=True)
    assert set(round.updates.values_list("commitment__priority__number", flat=True)) == {1, 2}
    assert not round.updates.filter(organisation=world.council).exists()


def test_first_rating_needs_no_evidence_and_acceptance_applies_it(world) -> None:
    round = world.open()
    update = police_update(round, world)
    outcome = submit(update, world.police_lead, "amber")
    assert outcome.submitted and outcome.problems == []
    assert outcome.update.state == "submitted"
    accepted = accept(outcome.update, world)
    assert accepted.state == "accepted"
    contribution = Contribution.objects.get(commitment=world.commitment, organisation=world.police)
    assert (contribution.rag_status, contribution.rag_reason) == ("amber", "Amber: reason")
    history = rag_history(contribution)
    assert [(e.status, e.set_by) for e in history] == [("amber", world.coordinator)]
    assert accepted.rag_entry == history[0]
    audit = AuditEvent.objects.filter(
        action=AuditAction.RAG_CHANGE, object_type="strategy.Contribution"
    ).get()
    assert audit.actor == world.coordinator and audit.detail["new"] == "Amber"
    # The commitment's roll-up is recorded by its rule.
    world.commitment.refresh_from_db()
    assert world.commitment.rag_status == "amber"
    assert rag_history(world.commitment)[-1].rule == ROLLUP_RULE


def _accepted_amber_then_next_round(world):  # type: ignore[no-untyped-def]
    first = world.open(2021, 1)
    accept(submit(police_update(first, world), world.police_lead, "amber").update, world)
    close_round(first, actor=world.coordinator)
    return world.open(2021, 2)


def test_carry_forward_starts_from_the_last_accepted_text_until_edited(world) -> None:
    second = _accepted_amber_then_next_round(world)
    update = police_update(second, world)
    assert update.carried_forward and update.narrative == "We did things"
    assert (update.rag_status, update.rag_reason) == ("amber", "Amber: reason")
    assert update.state == "not_started"
    # Saving the same text keeps the mark; editing it removes it.
    saved = save_update(update, changes(), version=update.version, actor=world.police_lead)
    assert saved.update.carried_forward
    edited = save_update(
        saved.update,
        changes(text="New this quarter"),
        version=saved.update.version,
        actor=world.police_lead,
    )
    assert not edited.update.carried_forward
    # Council never had an accepted update: nothing to carry.
    council = second.updates.get(commitment=world.commitment, organisation=world.council)
    assert not council.carried_forward and council.narrative == ""


def test_evidence_gate_refuses_an_improvement_without_evidence(world) -> None:
    second = _accepted_amber_then_next_round(world)
    update = police_update(second, world)
    assert last_accepted_rating(update).status == "amber"
    outcome = submit(update, world.police_lead, "green")
    assert not outcome.submitted
    assert outcome.problems == [
        ("evidence_file", "Attach evidence to support improving the RAG status from Amber to Green")
    ]
    # The draft is kept, not lost.
    assert outcome.update.state == "draft" and outcome.update.rag_status == "green"
    with_evidence = submit(
        outcome.update, world.police_lead, "green", upload=SimpleUploadedFile("e.pdf", PDF)
    )
    assert with_evidence.submitted
    assert with_evidence.update.evidence.count() == 1
    evidence = EvidenceFile.objects.get()
    assert evidence.organisation == world.police and evidence.attached_to == with_evidence.update
    accept(with_evidence.update, world)
    contribution = Contribution.objects.get(commitment=world.commitment, organisation=world.police)
    assert [e.status for e in rag_history(contribution)] == ["amber", "green"]


def test_a_worsening_needs_no_evidence_and_takes_effect_on_acceptance(world) -> None:
    second = _accepted_amber_then_next_round(world)
    outcome = submit(police_update(second, world), world.police_lead, "red")
    assert outcome.submitted
    contribution = Contribution.objects.get(commitment=world.commitment, organisation=world.police)
    assert contribution.rag_status == "amber"  # not until accepted
    accept(outcome.update, world)
    contribution.refresh_from_db()
    assert contribution.rag_status == "red"


def test_split_improvement_needs_evidence_too(world) -> None:
    second = _accepted_amber_then_next_round(world)
    outcome = submit(police_update(second, world), world.police_lead, "amber", second="green")
    assert [p for p, _ in outcome.problems] == ["evidence_file"]


def test_submission_needs_narrative_status_and_reason(world) -> None:
    round = world.open()
    update = police_update(round, world)
    outcome = save_update(
        update, UpdateChanges(), version=update.version, actor=world.police_lead, submit=True
    )
    assert outcome.problems == [
        ("narrative", "Enter your update on this commitment"),
        ("rag_status", "Choose the RAG status you propose"),
    ]
    outcome = save_update(
        outcome.update,
        UpdateChanges(narrative="x", rag_status="red"),
        version=outcome.update.version,
        actor=world.police_lead,
        submit=True,
    )
    assert outcome.problems == [("rag_reason", "Enter the reason for the RAG status")]


def test_return_and_resubmit(world) -> None:
    round = world.open()
    update = submit(police_update(round, world), world.police_lead).update
    with pytest.raises(TransitionRefused, match="Enter a comment"):
        review_update(
            update,
            action=Action.RETURN,
            actor=world.coordinator,
            version=update.version,
            comment=" ",
        )
    returned = review_update(
        update,
        action=Action.RETURN,
        actor=world.coordinator,
        version=update.version,
        comment="Add the figures",
    )
    assert returned.state == "returned" and returned.return_comment == "Add the figures"
    resubmitted = submit(returned, world.police_lead)
    assert resubmitted.update.state == "resubmitted"
    accepted = accept(resubmitted.update, world)
    assert accepted.state == "accepted" and accepted.return_comment == ""
    assert list(accepted.events.exclude(action="saved").values_list("to_state", flat=True)) == [
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
    ]
    assert accepted.events.get(action="return").comment == "Add the figures"
    with pytest.raises(PermissionError):
        UpdateEvent.objects.all().delete()


def test_partner_and_coordinator_roles_are_enforced(world) -> None:
    round = world.open()
    update = submit(police_update(round, world), world.police_lead).update
    with pytest.raises(TransitionRefused, match="waiting for review"):
        save_update(update, changes(), version=update.version, actor=world.police_lead)
    with pytest.raises(TransitionRefused, match="Only a coordinator"):
        review_update(update, action=Action.ACCEPT, actor=world.police_lead, version=update.version)
    with pytest.raises(TransitionRefused, match="Only a coordinator"):
        review_update(
            update, action=Action.ACCEPT, actor=world.board_member, version=update.version
        )


def test_board_accepts_improvements_when_the_strategy_says_so(world) -> None:
    world.strategy.improvements_accepted_by = "board"
    world.strategy.save()
    second = _accepted_amber_then_next_round(world)
    update = submit(
        police_update(second, world),
        world.police_lead,
        "green",
        upload=SimpleUploadedFile("e.pdf", PDF),
    ).update
    with pytest.raises(TransitionRefused, match="board member must accept"):
        accept(update, world)
    accepted = review_update(
        update, action=Action.ACCEPT, actor=world.board_member, version=update.version
    )
    assert (
        rag_history(
            Contribution.objects.get(commitment=world.commitment, organisation=world.police)
        )[-1].set_by
        == world.board_member
    )
    assert accepted.state == "accepted"


def test_stale_version_is_refused_and_nothing_changes(world) -> None:
    round = world.open()
    update = police_update(round, world)
    opened_at = update.version
    first = save_update(
        update, changes(text="First person's text"), version=opened_at, actor=world.police_lead
    )
    with pytest.raises(StaleVersion) as stale:
        save_update(
            update, changes(text="Second person's text"), version=opened_at, actor=world.police_lead
        )
    assert stale.value.current.narrative == "First person's text"
    update.refresh_from_db()
    assert update.narrative == "First person's text" and update.version == first.update.version
    with pytest.raises(StaleVersion):
        review_update(update, action=Action.ACCEPT, actor=world.coordinator, version=opened_at)


def test_bad_evidence_rolls_back_the_whole_save(world) -> None:
    round = world.open()
    update = police_update(round, world)
    with pytest.raises(ValidationError):
        save_update(
            update,
            changes(text="Unsaved"),
            version=update.version,
            actor=world.police_lead,
            upload=SimpleUploadedFile("x.pdf", b"<html>"),
        )
    update.refresh_from_db()
    assert update.narrative == "" and update.state == "not_started"


def test_closed_round_refuses_changes(world) -> None:
    round = world.open()
    update = police_update(round, world)
    close_round(round, actor=world.coordinator)
    with pytest.raises(TransitionRefused, match="closed"):
        save_update(update, changes(), version=update.version, actor=world.police_lead)
    with pytest.raises(TransitionRefused, match="already closed"):
        close_round(round, actor=world.coordinator)


def test_a_late_acceptance_of_an_older_round_does_not_overwrite_a_newer_rating(world) -> None:
    first = world.open(2021, 1)
    old = submit(police_update(first, world), world.police_lead, "red").update
    second = world.open(2021, 2)
    accept(submit(police_update(second, world), world.police_lead, "amber").update, world)
    accept(old, world)  # the Q1 update, accepted after Q2's
    contribution = Contribution.objects.get(commitment=world.commitment, organisation=world.police)
    assert contribution.rag_status == "amber"


def test_partner_range_rollup() -> None:
    def r(s, t=None):  # type: ignore[no-untyped-def]
        return RagAssessment(status=s, second_status=t)

    assert partner_range([]) is None and partner_range([None]) is None
    assert partner_range([r("green"), r("green")]).label == "Green"
    assert partner_range([r("amber"), r("green"), None]).label == "Amber/Green"
    assert partner_range([r("red"), r("amber", "green")]).label == "Red/Green"
    assert partner_range([r("green"), r("blue")]).label == "Green/Blue"
    assert "range from Amber to Green" in partner_range([r("green"), r("amber")]).reason


def test_rollup_is_recorded_only_when_it_changes(world) -> None:
    round = world.open()
    accept(submit(police_update(round, world), world.police_lead, "green").update, world)
    council = round.updates.get(commitment=world.commitment, organisation=world.council)
    accept(submit(council, world.council_lead, "green").update, world)
    rollups = RagEntry.objects.filter(rule=ROLLUP_RULE)
    assert [e.status for e in rollups] == ["green"]


def test_reminders_email_outstanding_partners_and_are_logged(world) -> None:
    round = world.open(notify=False)
    submit(round.updates.get(organisation=world.council), world.council_lead)
    out = StringIO()
    call_command("strategy", "remind", "--round", str(round.pk), stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.police_lead.person.email]
    assert "2 are not yet submitted" in message.body
    reminder = Reminder.objects.get(kind="reminder")
    assert (reminder.organisation, reminder.outstanding, reminder.via) == (
        world.police,
        2,
        "command",
    )
    assert "Police: 2 outstanding" in out.getvalue() and "Sent 1 reminder" in out.getvalue()
    listing = StringIO()
    call_command("strategy", "rounds", stdout=listing)
    assert "Q1 2021-22" in listing.getvalue() and "2 outstanding" in listing.getvalue()


def test_remind_command_errors(world) -> None:
    with pytest.raises(CommandError, match="no reporting round 999"):
        call_command("strategy", "remind", "--round", "999")
    round = world.open(notify=False)
    close_round(round, actor=world.coordinator)
    with pytest.raises(CommandError, match="closed"):
        call_command("strategy", "remind", "--round", str(round.pk))
