"""Section 5 of issue 16: updates entered on a partner's behalf, corrections of accepted
text (versioned), and partners rating individual sub-commitments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saferboard.core.models import AuditEvent
from saferboard.core.rag import rag_history
from saferboard.strategy.corrections import Correction, correct_update
from saferboard.strategy.models import (
    Commitment,
    Contribution,
    PartnerUpdate,
    UpdateCorrection,
)
from saferboard.strategy.report import build_priority_report, render_docx, render_html
from saferboard.strategy.services import (
    LineChange,
    StaleVersion,
    UpdateChanges,
    review_update,
    save_update,
)
from saferboard.strategy.workflow import Action, TransitionRefused


def police_update(round, world) -> PartnerUpdate:  # type: ignore[no-untyped-def]
    return round.updates.get(commitment=world.commitment, organisation=world.police)


def accepted_update(world) -> PartnerUpdate:  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    update = police_update(round, world)
    outcome = save_update(
        update,
        UpdateChanges(narrative="We made 121 referrals.", rag_status="amber", rag_reason="Amber"),
        version=update.version,
        actor=world.police_lead,
        submit=True,
    )
    return review_update(
        outcome.update,
        action=Action.ACCEPT,
        actor=world.coordinator,
        version=outcome.update.version,
    )


# Entered on behalf ---------------------------------------------------------------------------


def test_coordinator_enters_and_submits_on_behalf_shown_and_audited(client, world) -> None:  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    update = police_update(round, world)
    client.force_login(world.coordinator)
    url = reverse("strategy:update-on-behalf", args=[update.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"on behalf of Police" in page.content
    response = client.post(
        url,
        {
            "version": update.version,
            "narrative": "Sent by email by the police lead.",
            "rag_status": "amber",
            "rag_reason": "Amber: more to do",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == "submitted" and update.entered_by == world.coordinator
    event = update.events.get(action="submitted")
    assert event.comment.startswith("Entered by") and "on behalf of Police" in event.comment
    audit = AuditEvent.objects.filter(object_type="strategy.PartnerUpdate").get()
    assert audit.actor == world.coordinator and audit.detail["organisation"] == "Police"
    accepted = review_update(
        update, action=Action.ACCEPT, actor=world.coordinator, version=update.version
    )
    detail = client.get(reverse("strategy:update", args=[accepted.pk])).content.decode()
    assert "on behalf of Police" in detail
    report = build_priority_report(round, world.priority)
    entry = next(p for p in report.commitments[0].partners if p.organisation == "Police")
    assert entry.entered_by.endswith("on behalf of Police.")
    assert "on behalf of Police" in render_html(report)


def test_partner_leads_cannot_enter_on_behalf(client, world) -> None:  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    council = round.updates.get(organisation=world.council)
    client.force_login(world.police_lead)
    assert client.get(reverse("strategy:update-on-behalf", args=[council.pk])).status_code == 403


# Corrections -------------------------------------------------------------------------------------


def test_correction_keeps_the_earlier_text_and_the_report_prints_the_new(world) -> None:  # type: ignore[no-untyped-def]
    update = accepted_update(world)
    with pytest.raises(TransitionRefused, match="reason"):
        correct_update(
            update,
            Correction(reason=" ", narrative="x"),
            version=update.version,
            actor=world.coordinator,
        )
    with pytest.raises(TransitionRefused, match="nothing to correct"):
        correct_update(
            update,
            Correction(reason="Checked", narrative=update.narrative),
            version=update.version,
            actor=world.coordinator,
        )
    with pytest.raises(StaleVersion):
        correct_update(
            update,
            Correction(reason="Checked", narrative="New"),
            version=update.version - 1,
            actor=world.coordinator,
        )
    made = correct_update(
        update,
        Correction(reason="The figure check found 112", narrative="We made 112 referrals."),
        version=update.version,
        actor=world.coordinator,
    )
    assert len(made) == 1
    update.refresh_from_db()
    assert update.narrative == "We made 112 referrals." and "112" in update.narrative_html
    kept = UpdateCorrection.objects.get()
    assert kept.before_text == "We made 121 referrals." and kept.reason.startswith("The figure")
    with pytest.raises(PermissionError):
        kept.delete()
    assert update.events.filter(action="corrected").get().comment == "The figure check found 112"
    audit = AuditEvent.objects.filter(object_type="strategy.PartnerUpdate").last()
    assert audit.detail["before"] == {"narrative": "We made 121 referrals."}
    report = build_priority_report(update.round, world.priority)
    entry = next(p for p in report.commitments[0].partners if p.organisation == "Police")
    assert "112" in entry.narrative_html and "121" not in entry.narrative_html
    assert entry.corrections and "The figure check found 112" in entry.corrections[0]
    assert render_docx(report)[:2] == b"PK"


def test_correction_only_of_accepted_updates(world) -> None:  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    update = police_update(round, world)
    with pytest.raises(TransitionRefused, match="Only an accepted update"):
        correct_update(
            update,
            Correction(reason="r", narrative="x"),
            version=update.version,
            actor=world.coordinator,
        )


def test_correction_page_and_history(client, world) -> None:  # type: ignore[no-untyped-def]
    update = accepted_update(world)
    url = reverse("strategy:update-correct", args=[update.pk])
    client.force_login(world.police_lead)
    assert client.get(url).status_code == 403
    client.force_login(world.coordinator)
    missing = client.post(url, {"version": update.version, "narrative": "Fixed", "reason": ""})
    assert missing.status_code == 200 and b"Enter the reason for the correction" in missing.content
    done = client.post(
        url,
        {"version": update.version, "narrative": "Fixed text", "case_study": "", "reason": "Typo"},
    )
    assert done.status_code == 302
    detail = client.get(reverse("strategy:update", args=[update.pk])).content.decode()
    assert "Fixed text" in detail and "We made 121 referrals." in detail and "Typo" in detail


# Sub-commitment ratings ------------------------------------------------------------------


def test_partner_rates_sub_commitments_and_acceptance_records_them(client, world) -> None:  # type: ignore[no-untyped-def]
    line = Commitment.objects.create(
        priority=world.priority, parent=world.commitment, number=1, title="Monthly ASB panel"
    )
    line.contributors.set([world.police])
    not_ours = Commitment.objects.create(
        priority=world.priority, parent=world.commitment, number=2, title="Council only"
    )
    not_ours.contributors.set([world.council])
    round = world.open(notify=False)
    update = police_update(round, world)
    client.force_login(world.police_lead)
    page = client.get(reverse("strategy:update-edit", args=[update.pk])).content.decode()
    # Every line is listed; only the police's own can be rated by the police.
    assert "1.1.1 Monthly ASB panel" in page
    assert f'name="line-{line.pk}"' in page and f'name="line-{not_ours.pk}"' not in page
    response = client.post(
        reverse("strategy:update-edit", args=[update.pk]),
        {
            "version": update.version,
            "narrative": "Panels held monthly.",
            "rag_status": "amber",
            "rag_reason": "Amber",
            f"line-{line.pk}": "green",
            f"line-{line.pk}-reason": "Every month",
            f"line-{not_ours.pk}": "red",  # not the police's line: ignored
            "action": "submit",
        },
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert [(r.sub_commitment_id, r.rag_status) for r in update.lines.all()] == [(line.pk, "green")]
    review_update(update, action=Action.ACCEPT, actor=world.coordinator, version=update.version)
    contribution = Contribution.objects.get(commitment=line, organisation=world.police)
    assert contribution.rag_status == "green"
    assert [e.status for e in rag_history(contribution)] == ["green"]
    report = build_priority_report(round, world.priority)
    sub = report.commitments[0].sub_commitments[0]
    assert sub.number == "1.1.1" and [(r.organisation, r.rag.status) for r in sub.ratings] == [
        ("Police", "green")
    ]
    # The next round starts from the accepted line ratings.
    next_round = world.open(2021, 2, notify=False)
    carried = police_update(next_round, world)
    assert [(r.sub_commitment_id, r.rag_status) for r in carried.lines.all()] == [
        (line.pk, "green")
    ]


def test_line_changes_ignore_unknown_statuses(world) -> None:  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    update = police_update(round, world)
    line = Commitment.objects.create(
        priority=world.priority, parent=world.commitment, number=1, title="Line"
    )
    line.contributors.set([world.police])
    outcome = save_update(
        update,
        UpdateChanges(narrative="x"),
        version=update.version,
        actor=world.police_lead,
        lines=[LineChange(line.pk, "purple")],
    )
    assert not outcome.update.lines.exists()


def test_coordinator_attaches_and_removes_evidence_on_behalf(client, world) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.strategy.conftest import PDF

    round = world.open(notify=False)
    update = police_update(round, world)
    client.force_login(world.coordinator)
    url = reverse("strategy:update-on-behalf", args=[update.pk])
    response = client.post(
        url,
        {
            "version": update.version,
            "narrative": "Emailed in",
            "evidence_file": SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
            "action": "save",
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    update.refresh_from_db()
    evidence = update.evidence.get()
    assert b'name="on_behalf" value="1"' in client.get(url).content
    removed = client.post(
        reverse("strategy:evidence-remove", args=[update.pk, evidence.pk]),
        {"version": update.version, "on_behalf": "1"},
    )
    assert removed.status_code == 302 and removed["Location"] == url
    assert not update.evidence.exists()
    # A partner lead cannot use the on-behalf route to reach another organisation's update.
    client.force_login(world.council_lead)
    refused = client.post(
        reverse("strategy:evidence-remove", args=[update.pk, 1]),
        {"version": update.version, "on_behalf": "1"},
    )
    assert refused.status_code == 404
