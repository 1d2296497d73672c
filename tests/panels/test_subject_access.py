"""Subject access: one person's cases, reviews, actions and the audit events about them,
as JSON and PDF; found only by exact name and date of birth; every step audited."""

from __future__ import annotations

import io
import json
from datetime import date

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from saferboard.core.models import AuditAction, AuditEvent
from saferboard.panels import services
from tests.panels.conftest import refer

SAR = {"sar_reference": "SAR-2025-014", "full_name": "alex  EXAMPLE", "date_of_birth": "17/5/2010"}


def _history(world):  # type: ignore[no-untyped-def]
    """Alex on both panels; someone else with the same name but another birthday."""
    coord = world.users["member.coordinator"]
    case = world.case
    services.assess_risk(
        case,
        likelihood=3,
        impact=3,
        rationale="Seen with older boys",
        agency=world.yos,
        actor=coord,
    )
    review = services.record_review(
        case,
        meeting_date=date(2025, 2, 11),
        summary="Discussed at February panel",
        contributions=[(world.police, "Stopped in a car with older males")],
        actor=coord,
    )
    services.add_action(
        case,
        description="Mentor referral",
        owner_organisation=world.yos,
        due_date=date(2025, 3, 1),
        review=review,
        actor=coord,
    )
    asb = refer(
        world.other_panel, world.users["asb.member"], name="Alex Example", flags=["perpetrator"]
    )
    services.record_escalation(
        asb,
        kind="abc",
        issued_on=date(2025, 2, 1),
        issued_by=world.council,
        actor=world.users["asb.member"],
    )
    namesake = refer(world.panel, coord, name="Alex Example", dob=date(2011, 1, 1))
    member = Client()
    member.force_login(coord)
    member.get(reverse("panels:case", args=[case.reference]))
    member.post(
        reverse("panels:search", args=[world.panel.slug]),
        {"name": "Example", "reason": "Preparing the panel"},
    )
    return case, asb, namesake


def test_subject_access_export_is_complete(world) -> None:  # type: ignore[no-untyped-def]
    case, asb, namesake = _history(world)
    admin = Client()
    admin.force_login(world.users["administrator.council"])
    found = admin.post(reverse("panels:subject-access"), SAR)
    html = found.content.decode()
    assert "2 cases found" in html and namesake.reference not in html
    response = admin.post(reverse("panels:subject-access"), {**SAR, "format": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert "SAR-2025-014" in response["Content-Disposition"]
    answer = json.loads(response.content)
    assert answer["subject_access_request"] == "SAR-2025-014"
    by_ref = {c["reference"]: c for c in answer["cases"]}
    assert set(by_ref) == {case.reference, asb.reference}
    alex = by_ref[case.reference]
    assert alex["identity"] == {
        "full_name": "Alex Example",
        "date_of_birth": "2010-05-17",
        "address": "1 Test Road",
    }
    assert alex["flags"] == ["Gang association", "Missing episodes"]
    assert alex["risk_assessments"][0]["rationale"] == "Seen with older boys"
    assert alex["reviews"][0]["shared"] == [
        {"agency": "Police", "shared": "Stopped in a car with older males"}
    ]
    assert alex["actions"][0]["description"] == "Mentor referral"
    assert [s["status"] for s in alex["status_history"]] == ["Referred"]
    assert by_ref[asb.reference]["escalation"][0]["step"] == "Acceptable behaviour contract"
    whats = [e["detail"].get("what") for e in answer["audit_events"]]
    assert "case record" in whats  # the member's read
    assert "search by name" in whats  # found by the fingerprint of "Example"
    assert "subject access search" in whats
    assert "risk assessment" in whats and "referral" in whats
    assert all("term_fingerprint" not in e["detail"] for e in answer["audit_events"])
    assert namesake.reference not in json.dumps(answer)
    export = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert export.detail["sar_reference"] == "SAR-2025-014"
    assert set(export.detail["cases"]) == {case.reference, asb.reference}
    assert "Alex" not in str(export.detail)


def test_subject_access_pdf(world) -> None:  # type: ignore[no-untyped-def]
    case, asb, _ = _history(world)
    admin = Client()
    admin.force_login(world.users["administrator.council"])
    response = admin.post(reverse("panels:subject-access"), {**SAR, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "SAR-2025-014",
        "Alex Example",
        case.reference,
        asb.reference,
        "Mentor referral",
        "Stopped in a car",
        "Who accessed these records",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, detail__icontains="subject access export (PDF)"
    ).exists()


def test_subject_access_needs_an_exact_match_and_an_administrator(world) -> None:  # type: ignore[no-untyped-def]
    admin = Client()
    admin.force_login(world.users["administrator.council"])
    html = admin.post(reverse("panels:subject-access"), {**SAR, "full_name": "Alex"}).content
    assert b"0 cases found" in html
    html = admin.post(reverse("panels:subject-access"), {**SAR, "sar_reference": ""}).content
    assert b"Enter the subject access request reference" in html
    member = Client()
    member.force_login(world.users["member.coordinator"])
    response = member.post(reverse("panels:subject-access"), {**SAR, "format": "json"})
    assert response.status_code == 404


def test_audit_log_search_by_case_reference(world) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    admin = Client()
    admin.force_login(world.users["administrator.council"])
    response = admin.get(reverse("panels:audit-search"), {"reference": world.case.reference})
    html = response.content.decode()
    assert "case record" in html and "Preparing the panel" in html
    assert "Alex" not in html
    event = AuditEvent.objects.latest("pk")
    assert event.detail["what"] == "audit log search by case"
    assert event.detail["cases"] == [world.case.reference]
