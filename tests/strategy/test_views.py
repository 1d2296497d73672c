"""Strategy pages: permissions, the update form (gate, concurrency), review, chasing,
the priority progress report and its DOCX and PDF exports, and the demo."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, User
from saferboard.strategy.models import Contribution, PartnerUpdate, ReportingRound
from saferboard.strategy.services import UpdateChanges, review_update, save_update
from saferboard.strategy.workflow import Action
from tests.strategy.conftest import PDF


def form_data(update: PartnerUpdate, **overrides) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "version": update.version,
        "narrative": "We held **three** impact days.",
        "case_study": "",
        "figures_caption": "",
        "figures": "",
        "rag_status": "amber",
        "rag_second_status": "",
        "rag_reason": "Amber: more to do",
        "evidence_description": "",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def round(world):  # type: ignore[no-untyped-def]
    return world.open(notify=False)


@pytest.fixture
def police_update(world, round) -> PartnerUpdate:  # type: ignore[no-untyped-def]
    return round.updates.get(commitment=world.commitment, organisation=world.police)


def edit_url(update: PartnerUpdate) -> str:
    return reverse("strategy:update-edit", args=[update.pk])


def test_partner_lead_cannot_see_or_edit_another_organisations_update(client, world, round) -> None:
    council_update = round.updates.get(organisation=world.council)
    client.force_login(world.police_lead)
    assert client.get(edit_url(council_update)).status_code == 404
    response = client.post(edit_url(council_update), form_data(council_update))
    assert response.status_code == 404
    council_update.refresh_from_db()
    assert council_update.narrative == "" and council_update.state == "not_started"
    # Not accepted, so not readable either.
    assert client.get(reverse("strategy:update", args=[council_update.pk])).status_code == 404
    assert (
        client.get(reverse("strategy:update-review", args=[council_update.pk])).status_code == 404
    )


def test_board_member_reads_accepted_content_but_cannot_edit(
    client, world, round, police_update
) -> None:
    submitted = save_update(
        police_update,
        UpdateChanges(narrative="Accepted text", rag_status="amber", rag_reason="Amber: x"),
        version=police_update.version,
        actor=world.police_lead,
        submit=True,
    ).update
    client.force_login(world.board_member)
    detail = reverse("strategy:update", args=[submitted.pk])
    assert client.get(detail).status_code == 404  # submitted, not yet accepted
    review_update(
        submitted, action=Action.ACCEPT, actor=world.coordinator, version=submitted.version
    )
    response = client.get(detail)
    assert response.status_code == 200 and "Accepted text" in response.content.decode()
    assert "Edit this update" not in response.content.decode()
    other = round.updates.get(commitment=world.other_commitment)
    for url in (edit_url(submitted), edit_url(other)):
        assert client.get(url).status_code == 404
        assert client.post(url, form_data(other)).status_code == 404
    assert client.get(reverse("strategy:my-returns")).status_code == 403
    assert client.get(reverse("strategy:round-new")).status_code == 403
    assert client.get(reverse("strategy:round-returns", args=[round.pk])).status_code == 403
    assert client.post(reverse("strategy:round-remind", args=[round.pk])).status_code == 403
    report = client.get(reverse("strategy:priority-report", args=[round.pk, 1]))
    assert report.status_code == 200 and "Accepted text" in report.content.decode()


def test_partner_saves_draft_then_submits_with_evidence(client, world, police_update) -> None:
    client.force_login(world.police_lead)
    page = client.get(reverse("strategy:my-returns")).content.decode()
    assert "Tackle ASB" in page and "Support victims" in page and "Not started" in page
    response = client.post(edit_url(police_update), form_data(police_update))
    assert response.status_code == 302
    police_update.refresh_from_db()
    assert police_update.state == "draft"
    assert police_update.narrative_html == "<p>We held <strong>three</strong> impact days.</p>"
    response = client.post(
        edit_url(police_update),
        form_data(
            police_update,
            action="submit",
            figures_caption="Impact days",
            figures="Ward | Days\nPenge | 2\nMottingham | 1",
            evidence_file=SimpleUploadedFile("days.pdf", PDF),
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("strategy:my-returns")
    police_update.refresh_from_db()
    assert police_update.state == "submitted" and police_update.evidence.count() == 1
    assert police_update.figures["rows"] == [["Penge", "2"], ["Mottingham", "1"]]
    # Once submitted the form is closed to the partner.
    assert client.get(edit_url(police_update)).status_code == 302


def test_form_errors_are_shown_in_the_error_summary(client, world, police_update) -> None:
    client.force_login(world.police_lead)
    response = client.post(
        edit_url(police_update),
        form_data(
            police_update,
            rag_status="amber",
            rag_second_status="amber",
            figures="only one column\nx",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Your update" in html and "There is a problem" in html
    assert 'href="#id_rag_second_status"' in html and 'href="#id_figures"' in html
    assert "The second status must be different from the first" in html
    police_update.refresh_from_db()
    assert police_update.version == 1 and police_update.state == "not_started"


def test_gate_refusal_keeps_the_draft_and_names_the_evidence_field(client, world) -> None:
    first = world.open(2021, 1, notify=False)
    update = first.updates.get(commitment=world.commitment, organisation=world.police)
    done = save_update(
        update,
        UpdateChanges(narrative="x", rag_status="amber", rag_reason="r"),
        version=1,
        actor=world.police_lead,
        submit=True,
    ).update
    review_update(done, action=Action.ACCEPT, actor=world.coordinator, version=done.version)
    second = world.open(2021, 2, notify=False)
    update = second.updates.get(commitment=world.commitment, organisation=world.police)
    client.force_login(world.police_lead)
    response = client.post(edit_url(update), form_data(update, action="submit", rag_status="green"))
    html = response.content.decode()
    assert 'href="#id_evidence_file"' in html
    assert "Attach evidence to support improving the RAG status from Amber to Green" in html
    assert "saved as a draft, but not submitted" in html  # a banner, not an error
    update.refresh_from_db()
    assert update.state == "draft" and update.rag_status == "green"
    assert f'name="version" value="{update.version}"' in html


def test_second_save_of_a_stale_version_is_refused_and_the_text_is_kept(
    client, world, police_update
) -> None:
    client.force_login(world.police_lead)
    stale_version = police_update.version
    # Someone else saves first.
    save_update(
        police_update,
        UpdateChanges(narrative="Colleague's update"),
        version=stale_version,
        actor=world.police_lead,
    )
    response = client.post(
        edit_url(police_update),
        form_data(police_update, version=stale_version, narrative="My careful words"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this update after you opened it" in html
    assert "My careful words</textarea>" in html  # the user's text is kept in the form
    assert "Colleague&#x27;s update" in html or "Colleague's update" in html
    police_update.refresh_from_db()
    assert police_update.narrative == "Colleague's update"
    # Saving again from the refreshed form works: it is a conscious overwrite.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    client.post(
        edit_url(police_update),
        form_data(police_update, version=version, narrative="My careful words"),
    )
    police_update.refresh_from_db()
    assert police_update.narrative == "My careful words"


def test_hostile_narrative_is_stored_and_shown_sanitised(client, world, police_update) -> None:
    client.force_login(world.police_lead)
    client.post(
        edit_url(police_update),
        form_data(
            police_update,
            narrative='<script>alert(1)</script><p onclick="x()">Hi</p>[x](javascript:alert(2))',
        ),
    )
    police_update.refresh_from_db()
    assert "<script" not in police_update.narrative_html
    html = client.get(reverse("strategy:update", args=[police_update.pk])).content.decode()
    assert "<script>alert(1)" not in html and "onclick" not in html
    assert 'href="javascript' not in html


def test_coordinator_returns_then_accepts(client, world, police_update) -> None:
    update = save_update(
        police_update,
        UpdateChanges(narrative="x", rag_status="red", rag_reason="Red: y"),
        version=1,
        actor=world.police_lead,
        submit=True,
    ).update
    client.force_login(world.coordinator)
    url = reverse("strategy:update-review", args=[update.pk])
    page = client.get(url).content.decode()
    assert "This quarter" in page and "Last quarter" in page
    response = client.post(url, {"version": update.version, "decision": "return", "comment": ""})
    assert "Enter a comment saying what needs to change" in response.content.decode()
    response = client.post(
        url, {"version": update.version, "decision": "return", "comment": "Add figures"}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == "returned"
    client.force_login(world.police_lead)
    assert "Add figures" in client.get(edit_url(update)).content.decode()
    client.post(
        edit_url(update), form_data(update, action="submit", rag_status="red", rag_reason="Red: y")
    )
    update.refresh_from_db()
    assert update.state == "resubmitted"
    client.force_login(world.coordinator)
    client.post(url, {"version": update.version, "decision": "accept", "comment": ""})
    update.refresh_from_db()
    assert update.state == "accepted"
    contribution = Contribution.objects.get(commitment=world.commitment, organisation=world.police)
    assert contribution.rag_status == "red"


def test_partner_lead_cannot_review(client, world, police_update) -> None:
    update = save_update(
        police_update,
        UpdateChanges(narrative="x", rag_status="red", rag_reason="r"),
        version=1,
        actor=world.police_lead,
        submit=True,
    ).update
    client.force_login(world.police_lead)
    url = reverse("strategy:update-review", args=[update.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": update.version, "decision": "accept"}).status_code == 404
    update.refresh_from_db()
    assert update.state == "submitted"


def test_coordinator_opens_a_round_and_partner_leads_are_emailed(
    client, world, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.coordinator)
    url = reverse("strategy:round-new")
    response = client.post(url, {"quarter": "2021-3"})
    html = response.content.decode()
    assert "Enter the deadline" in html and "Select at least one substantive priority" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "quarter": "2021-3",
                "deadline_day": "10",
                "deadline_month": "12",
                "deadline_year": "2021",
                "substantive": [world.priority.pk],
            },
        )
    round = ReportingRound.objects.get()
    assert response.status_code == 302 and round.label == "Q3 2021-22"
    assert round.updates.count() == 3
    assert len(mail.outbox) == 2
    # The quarter cannot be opened twice.
    assert "2021-3" not in client.get(url).content.decode().split('name="quarter"')[1][:4000]


def test_returns_page_and_send_reminders_button(client, world, round) -> None:
    client.force_login(world.coordinator)
    html = client.get(reverse("strategy:round-returns", args=[round.pk])).content.decode()
    assert "Returns by partner" in html and "Police" in html and "Council" in html
    response = client.post(reverse("strategy:round-remind", args=[round.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    html = client.get(reverse("strategy:round-returns", args=[round.pk])).content.decode()
    assert "Reminders sent to 2 partner organisations" in html
    assert "Emails sent" in html


def _accepted_report(world):  # type: ignore[no-untyped-def]
    round = world.open(notify=False)
    update = round.updates.get(commitment=world.commitment, organisation=world.police)
    update = save_update(
        update,
        UpdateChanges(
            narrative="Para one.\n\n- a bullet\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            case_study="A case study.",
            rag_status="amber",
            rag_second_status="green",
            rag_reason="Amber/Green: split",
            figures={"caption": "Figures", "columns": ["Ward", "Days"], "rows": [["Penge", "2"]]},
        ),
        version=update.version,
        actor=world.police_lead,
        submit=True,
    ).update
    review_update(update, action=Action.ACCEPT, actor=world.coordinator, version=update.version)
    return round


def test_report_page_shows_accepted_narrative_rag_rollup_and_history(client, world) -> None:
    from saferboard.strategy.report import build_priority_report

    round = _accepted_report(world)
    report = build_priority_report(round, world.priority)
    section = report.commitments[0]
    police = next(p for p in section.partners if p.organisation == "Police")
    council = next(p for p in section.partners if p.organisation == "Council")
    assert police.has_update and police.rag.label == "Amber/Green"
    assert not council.has_update and council.rag is None and "not started" in council.note
    assert [(c.label, c.count) for c in report.priority_counts] == [
        ("Red", 0),
        ("Amber", 0),
        ("Amber/Green", 1),
        ("Green", 0),
        ("Blue", 0),
        ("Not rated", 2),
    ]
    assert report.strategy_total == 3
    assert section.timeline_rounds == ("Q1 2021-22",)
    assert section.timeline[0].cells[0] is None  # Council
    assert section.timeline[1].cells[0].label == "Amber/Green"
    client.force_login(world.board_member)
    html = client.get(reverse("strategy:priority-report", args=[round.pk, 1])).content.decode()
    assert "Q1 2021-22: progress against Priority 1 – Safer places" in html
    assert "<li>a bullet</li>" in html and "A case study." in html and "Penge" in html


def test_docx_export_has_real_headings_and_tables(client, world) -> None:
    from docx import Document

    round = _accepted_report(world)
    client.force_login(world.board_member)
    response = client.get(reverse("strategy:priority-report-docx", args=[round.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(response.content))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Q1 2021-22: progress against Priority 1 – Safer places") in headings
    assert ("Heading 3", "1. Tackle ASB") in headings
    assert len(document.tables) >= 6  # 2 counts + per commitment: partners + history
    partners = document.tables[2]
    assert partners.rows[0].cells[0].text == "Partner and update"
    cell_text = "\n".join(c.text for row in partners.rows for c in row.cells)
    assert "Para one." in cell_text and "a bullet" in cell_text and "Amber/Green" in cell_text
    # The narrative's table and the figures became real tables inside the cell.
    nested = [t for row in partners.rows for c in row.cells for t in c.tables]
    assert len(nested) == 2 and nested[1].rows[1].cells[0].text == "Penge"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, detail__what="priority report DOCX"
    ).exists()


def test_pdf_export_is_an_a4_pdf(client, world) -> None:
    from pypdf import PdfReader

    round = _accepted_report(world)
    client.force_login(world.board_member)
    response = client.get(reverse("strategy:priority-report-pdf", args=[round.pk, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round_(box.width), round_(box.height)) == (595, 842)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Tackle ASB" in text and "Amber" in text and "Page 1 of" in text


def round_(value) -> int:  # type: ignore[no-untyped-def]
    return int(float(value) + 0.5)


def test_report_for_a_priority_outside_the_round_is_not_found(client, world, round) -> None:
    client.force_login(world.board_member)
    assert client.get(reverse("strategy:priority-report", args=[round.pk, 9])).status_code == 404


def test_demo_rounds_load_idempotently_with_a_realistic_mix(client, demo) -> None:
    from collections import Counter

    from saferboard.core.management.commands.demo import load_demo
    from saferboard.core.models import RagEntry

    before = (PartnerUpdate.objects.count(), RagEntry.objects.count())
    load_demo()
    assert (PartnerUpdate.objects.count(), RagEntry.objects.count()) == before
    rounds = list(ReportingRound.objects.order_by("financial_year", "quarter"))
    assert [(r.label, r.status) for r in rounds] == [
        ("Q3 2020-21", "closed"),
        ("Q4 2020-21", "closed"),
        ("Q1 2021-22", "open"),
    ]
    states = Counter(rounds[2].updates.values_list("state", flat=True))
    assert set(states) == {"not_started", "draft", "submitted", "returned", "accepted"}
    assert PartnerUpdate.objects.filter(rag_second_status__gt="", state="accepted").count() == 1
    assert any(u.is_late() for u in rounds[0].updates.all())
    police = rounds[2].updates.get(organisation__slug="police", commitment__number=2)
    assert police.state == "not_started" and police.carried_forward
    assert police.rag_status == "amber"  # the journey proposes Green over this
    client.force_login(User.objects.get(username="coordinator"))
    for r in rounds:
        for p in r.priorities_in_scope():
            url = reverse("strategy:priority-report", args=[r.pk, p.number])
            assert client.get(url).status_code == 200
    assert (
        "Green for achievements in 2020-21"
        in client.get(reverse("strategy:priority-report", args=[rounds[1].pk, 4])).content.decode()
    )
