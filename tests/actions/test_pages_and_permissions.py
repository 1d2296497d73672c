"""Action plan pages: who sees and changes what, the evidence gate, import and export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from saferboard.actions.export import safe_cell
from saferboard.actions.models import Action, ActionPlan, PlanKind
from saferboard.actions.services import add_action
from saferboard.core.models import AuditAction, AuditEvent, Organisation, RagEntry, Role, User

DATA = Path(__file__).resolve().parents[1] / "data" / "actions"


@pytest.fixture
def plan(demo) -> ActionPlan:  # type: ignore[no-untyped-def]
    return ActionPlan.objects.get(kind=PlanKind.INSPECTION)


def _login(client: Client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def test_plan_page_shows_the_roll_up_overdue_and_changes(client: Client, plan) -> None:
    _login(client, "board.member")
    response = client.get(f"/actions/{plan.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    counts = [a.rag_status for a in plan.actions.all()]
    expected = (
        f"Of {len(counts)} actions: {counts.count('red')} Red, {counts.count('amber')} "
        f"Amber, {counts.count('green')} Green, {counts.count('blue')} Blue"
        " (1 Blue proposed, awaiting the board)."  # the demo's lead proposed Blue for 3a
    )
    assert expected == (
        "Of 14 actions: 2 Red, 5 Amber, 5 Green, 2 Blue (1 Blue proposed, awaiting the board)."
    )
    assert expected in html
    assert "Changes since the last review" in html and "CAMHS practitioner post" in html
    assert "Looked after children" in html
    # A board member reads but is not offered changes.
    assert "Add an action" not in html and "Record a review" not in html


def test_board_member_cannot_edit_or_update(client: Client, plan) -> None:
    _login(client, "board.member")
    action = plan.actions.get(reference="2a")
    page = client.get(f"/actions/{plan.pk}/actions/2a/")
    assert page.status_code == 200 and "Record progress" not in page.content.decode()
    assert (
        client.post(f"/actions/{plan.pk}/actions/2a/", {"form": "update", "text": "x"}).status_code
        == 403
    )
    assert client.get(f"/actions/{plan.pk}/actions/2a/edit/").status_code == 403
    assert client.get("/actions/new/").status_code == 403
    assert client.get("/actions/import/").status_code == 403
    assert not action.updates.filter(text="x").exists()


def test_lead_updates_own_action_and_the_evidence_gate_holds(client: Client, plan) -> None:
    lead = _login(client, "yos.head")  # Sarah Lindqvist leads 3a
    url = f"/actions/{plan.pk}/actions/3c/"
    before = RagEntry.objects.count()
    response = client.post(
        url,
        {
            "form": "update",
            "text": "Oversight in 85% of cases",
            "rag_status": "green",
            "rag_reason": "Nearly all cases",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Attach evidence to support improving the RAG status from Amber to Green" in html
    assert "<title>Error: Action 3c" in html
    assert RagEntry.objects.count() == before
    evidence = SimpleUploadedFile("audit.csv", b"case,oversight\n1,yes\n", content_type="text/csv")
    response = client.post(
        url,
        {
            "form": "update",
            "text": "Oversight in 85% of cases",
            "rag_status": "green",
            "rag_reason": "Nearly all cases",
            "evidence": evidence,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(plan=plan, reference="3c")
    assert action.rag_status == "green" and action.last_reviewed is not None
    assert RagEntry.objects.filter(object_id=action.pk).last().set_by == lead
    assert AuditEvent.objects.filter(
        action=AuditAction.RAG_CHANGE, object_id=str(action.pk), actor=lead
    ).exists()
    # Not a lead of 2a (Dr Fiona Grant's): forbidden.
    assert (
        client.post(f"/actions/{plan.pk}/actions/2a/", {"form": "update", "text": "x"}).status_code
        == 403
    )


def test_lead_ticks_steps_and_closes(client: Client, plan) -> None:
    _login(client, "yos.head")
    action = plan.actions.get(reference="4a")
    steps = list(action.steps.all())
    url = f"/actions/{plan.pk}/actions/4a/"
    done = [str(s.pk) for s in steps[:2]]
    assert client.post(url, {"form": "steps", "done": done}).status_code == 302
    assert [s.done for s in action.steps.all()] == [True, True, False]
    assert client.post(url, {"form": "close", "reason": ""}).status_code == 200
    assert client.post(url, {"form": "close", "reason": "Protocol launched"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "closed" and action.closed_reason == "Protocol launched"
    assert action.closed_by.username == "yos.head"


def test_restricted_plan_is_404_for_other_organisations(client: Client, demo, make_user) -> None:
    probation = Organisation.objects.get(slug="probation")
    restricted = ActionPlan.objects.create(
        partnership=probation.partnership,
        kind=PlanKind.DHR,
        title="DHR Adult A action plan",
        owner=probation,
        restricted=True,
    )
    add_action(restricted, description="Review the risk assessment")
    for username, status in (
        ("partner.lead", 404),
        ("board.member", 404),
        ("probation.lead", 200),
        ("coordinator", 200),
    ):
        _login(client, username)
        assert client.get(f"/actions/{restricted.pk}/").status_code == status, username
        assert client.get(f"/actions/{restricted.pk}/actions/A1/").status_code == status
        assert client.get(f"/actions/{restricted.pk}/export.xlsx").status_code == status
        listed = "DHR Adult A" in client.get("/actions/").content.decode()
        assert listed == (status == 200), username
    outsider = make_user(Role.PARTNER_LEAD)
    client.force_login(outsider)
    assert client.get(f"/actions/{restricted.pk}/").status_code == 404


def test_exports_are_real_files_with_formula_text_escaped(client: Client, plan) -> None:
    user = _login(client, "coordinator")
    action = plan.actions.get(reference="1a")
    action.notes = "n"
    action.description = '=HYPERLINK("http://evil")'
    action.save()
    response = client.get(f"/actions/{plan.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://evil")' in values
    assert any("of 14 actions" in str(v) for v in values)
    response = client.get(f"/actions/{plan.pk}/export.docx")
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].style.name == "Heading 1"
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert len(document.tables) == 5
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=user).count() == 2
    assert [safe_cell(v) for v in ("+1", "-1", "@x", "ok", "\tx")] == [
        "'+1",
        "'-1",
        "'@x",
        "ok",
        "'\tx",
    ]


def test_import_journey_through_the_web(client: Client, demo) -> None:
    _login(client, "coordinator")
    yos = Organisation.objects.get(slug="yos")
    upload = SimpleUploadedFile(
        "improvement_plan.xlsx", (DATA / "improvement_plan.xlsx").read_bytes()
    )
    response = client.post(
        "/actions/import/",
        {
            "spreadsheet": upload,
            "title": "Imported plan",
            "kind": "inspection",
            "owner": yos.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/actions/import/columns/"
    page = client.get("/actions/import/columns/").content.decode()
    assert "Column A: Rec No." in page
    mapping = {
        f"column_{i}": v
        for i, v in enumerate(
            [
                "rec_number",
                "recommendation",
                "action_ref",
                "action",
                "outcome",
                "lead",
                "timescale",
                "rag",
                "",
            ]
        )
    }
    assert client.post("/actions/import/columns/", mapping).status_code == 302
    preview = client.get("/actions/import/check/").content.decode()
    assert "5 recommendations and 10 actions" in preview
    response = client.post("/actions/import/check/")
    plan = ActionPlan.objects.get(title="Imported plan")
    assert response["Location"] == f"/actions/{plan.pk}/"
    assert plan.actions.count() == 10 and plan.actions.filter(notes="").count() == 10


def test_broken_import_through_the_web_loads_nothing(client: Client, demo) -> None:
    _login(client, "coordinator")
    yos = Organisation.objects.get(slug="yos")
    bad = SimpleUploadedFile("plan.csv", b"Rec No.,Action,RAG\n1,Do it,Purple\nx,Other,Red\n")
    client.post(
        "/actions/import/",
        {"spreadsheet": bad, "title": "Bad plan", "kind": "other", "owner": yos.pk},
    )
    before = Action.objects.count()
    page = client.get("/actions/import/check/").content.decode()
    assert "There are 2 problems: nothing has been imported" in page
    assert "plan.csv, row 2, column C (RAG): RAG status must be Red, Amber, Green or Blue" in page
    assert "<title>Error: Check the plan" in page
    client.post("/actions/import/check/")
    assert Action.objects.count() == before
    assert not ActionPlan.objects.filter(title="Bad plan").exists()
    not_a_sheet = SimpleUploadedFile("plan.xlsx", b"hello")
    response = client.post(
        "/actions/import/",
        {"spreadsheet": not_a_sheet, "title": "X", "kind": "other", "owner": yos.pk},
    )
    assert "plan.xlsx: the file is not a real XLSX spreadsheet" in response.content.decode()
