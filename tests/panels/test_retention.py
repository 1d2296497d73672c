"""Retention: closed cases past their panel's period are listed, and deleted with --apply;
nothing closed less than the 6-month floor is ever deleted, whatever the configuration."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from saferboard.core.models import AuditEvent, RagEntry
from saferboard.core.periods import add_months
from saferboard.panels import retention, services
from saferboard.panels.models import (
    Case,
    CaseIdentity,
    CaseStatusChange,
    PanelAction,
    Review,
    RiskAssessment,
)
from tests.panels.conftest import refer

TODAY = date(2026, 3, 15)


def _closed(world, name: str, closed_on: date) -> Case:  # type: ignore[no-untyped-def]
    actor = world.users["member.coordinator"]
    case = refer(world.panel, actor, name=name, referral_date=date(2024, 1, 8))
    services.assess_risk(
        case,
        likelihood=2,
        impact=2,
        rationale=f"{name} is doing better",
        agency=world.yos,
        actor=actor,
        assessed_on=date(2024, 1, 8),
    )
    review = services.record_review(
        case,
        meeting_date=date(2024, 2, 1),
        summary=f"{name} discussed",
        contributions=[(world.police, "Shared intelligence")],
        actor=actor,
    )
    services.add_action(
        case,
        description="Visit",
        owner_organisation=world.yos,
        due_date=date(2024, 3, 1),
        review=review,
        actor=actor,
    )
    services.change_status(
        case, "closed", reason="Risk reduced", actor=actor, effective_on=closed_on
    )
    return case


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 9, 15), 6) == date(2026, 3, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_the_floor_holds_whatever_the_panel_says(world) -> None:  # type: ignore[no-untyped-def]
    world.panel.retention_months = 0  # misconfigured: "delete at once"
    world.panel.save()
    # Closed exactly 6 months before TODAY: deletable today. One day later: not yet.
    on_floor = _closed(world, "Floor Example", date(2025, 9, 15))
    day_inside = _closed(world, "Inside Example", date(2025, 9, 16))
    recent = _closed(world, "Recent Example", date(2026, 3, 1))
    due = [item.reference for _, item in retention.due_for_deletion(TODAY)]
    assert due == [on_floor.reference]
    assert retention.delete_after(date(2025, 9, 16), 0) == date(2026, 3, 16)
    deleted = retention.apply(TODAY)
    assert [d.reference for d in deleted] == [on_floor.reference]
    remaining = set(Case.objects.values_list("reference", flat=True))
    assert {day_inside.reference, recent.reference, world.case.reference} <= remaining
    assert on_floor.reference not in remaining


def test_the_configured_period_applies_above_the_floor(world) -> None:  # type: ignore[no-untyped-def]
    world.panel.retention_months = 24
    world.panel.save()
    old = _closed(world, "Old Example", date(2024, 3, 15))  # 24 months to the day
    younger = _closed(world, "Younger Example", date(2024, 3, 16))
    assert [i.reference for _, i in retention.due_for_deletion(TODAY)] == [old.reference]
    assert [i.reference for _, i in retention.due_for_deletion(date(2026, 3, 16))] == [
        old.reference,
        younger.reference,
    ]


def test_open_cases_are_never_due(world) -> None:  # type: ignore[no-untyped-def]
    assert retention.due_for_deletion(date(2099, 1, 1)) == []


def test_apply_refuses_anything_inside_the_floor(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    recent = _closed(world, "Recent Example", date(2026, 3, 1))
    # Even if the listing were wrong, the deletion checks the floor itself.
    monkeypatch.setattr(retention, "delete_after", lambda closed_on, months: date(2000, 1, 1))
    with pytest.raises(retention.FloorError):
        retention.apply(TODAY)
    assert Case.objects.filter(pk=recent.pk).exists()


def test_deletion_removes_identity_and_detail_and_audits_without_personal_data(world) -> None:  # type: ignore[no-untyped-def]
    world.panel.retention_months = 6
    world.panel.save()
    case = _closed(world, "Gone Example", date(2025, 1, 10))
    pk, reference = case.pk, case.reference
    rag_before = RagEntry.objects.filter(object_id=pk).count()
    retention.apply(TODAY)
    assert not Case.objects.filter(pk=pk).exists()
    assert not CaseIdentity.objects.filter(case_id=pk).exists()
    for model in (CaseStatusChange, RiskAssessment, Review, PanelAction):
        assert not model.objects.filter(case_id=pk).exists(), model
    event = AuditEvent.objects.get(action="delete_personal_data")
    assert event.detail["count"] == 1 and event.detail["cases"] == [reference]
    assert event.detail["floor_months"] == 6
    text = f"{event.object_repr} {event.detail}"
    assert "Gone" not in text and "Example" not in text and "Test Road" not in text
    # The append-only RAG history stays, but holds only the generated label.
    for entry in RagEntry.objects.filter(object_id=pk):
        assert "Gone" not in entry.reason and "better" not in entry.reason
    assert RagEntry.objects.filter(object_id=pk).count() == rag_before


def test_command_lists_then_applies(world, capsys) -> None:  # type: ignore[no-untyped-def]
    world.panel.retention_months = 6
    world.panel.save()
    case = _closed(world, "Listed Example", date(2025, 1, 10))
    call_command("panels", "retention", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert f"{case.reference}  exp  closed 2025-01-10  deletable from 2025-07-10" in out
    assert "Nothing deleted" in out and "Listed Example" not in out
    assert Case.objects.filter(pk=case.pk).exists()
    call_command("panels", "retention", "--apply", "--today", TODAY.isoformat())
    assert "Deleted 1 case(s)" in capsys.readouterr().out
    assert not Case.objects.filter(pk=case.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_status_history_survives_postgres_cascade(world) -> None:  # type: ignore[no-untyped-def]
    world.panel.retention_months = 6
    world.panel.save()
    case = _closed(world, "Cascade Example", date(2025, 1, 10))
    retention.apply(TODAY)
    assert not CaseStatusChange.objects.filter(case_id=case.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_refuses_raw_updates_to_status_history(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE panels_casestatuschange SET reason = 'rewritten'")
