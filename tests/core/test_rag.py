"""RAG assessments: the value object, the append-only history and its audit."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import DatabaseError

from saferboard.core.models import AuditAction, AuditEvent, RagEntry, Role
from saferboard.core.rag import RagAssessment, proposal_problems, rag_history, record_rag
from saferboard.strategy.models import Priority, Strategy
from tests.factories import PartnershipFactory


@pytest.fixture
def priority(db) -> Priority:  # type: ignore[no-untyped-def]
    strategy = Strategy.objects.create(
        partnership=PartnershipFactory(),
        title="Strategy",
        start_date="2020-04-01",
        end_date="2023-03-31",
    )
    return Priority.objects.create(strategy=strategy, number=1, title="Safer neighbourhoods")


def test_split_rating_label_and_rank() -> None:
    split = RagAssessment(status="amber", second_status="green", reason="two aspects")
    assert split.label == "Amber/Green"
    assert split.is_split
    assert (
        RagAssessment(status="amber").rank() < split.rank() < RagAssessment(status="green").rank()
    )


def test_invalid_assessments_are_refused() -> None:
    with pytest.raises(ValueError):
        RagAssessment(status="purple")
    with pytest.raises(ValueError):
        RagAssessment(status="green", second_status="green")


def test_evidence_gate() -> None:
    amber = RagAssessment(status="amber", reason="partly done")
    green = RagAssessment(status="green", reason="delivered")
    red = RagAssessment(status="red", reason="stalled")
    assert proposal_problems(amber, green, has_evidence=False) == [
        "Attach evidence to support improving the RAG status from Amber to Green"
    ]
    assert proposal_problems(amber, green, has_evidence=True) == []
    assert proposal_problems(amber, red, has_evidence=False) == []  # worsening: no evidence
    assert proposal_problems(None, green, has_evidence=False) == []  # first rating
    assert (
        "Enter the reason"
        in proposal_problems(None, RagAssessment(status="red"), has_evidence=False)[0]
    )
    blue = RagAssessment(status="blue", reason="complete")
    assert proposal_problems(green, blue, has_evidence=False)  # Blue needs evidence too


def test_record_rag_appends_history_updates_current_and_audits(priority, make_user) -> None:
    coordinator = make_user(Role.COORDINATOR)
    record_rag(priority, RagAssessment(status="amber", reason="first"), actor=coordinator)
    record_rag(
        priority,
        RagAssessment(status="amber", second_status="green", reason="better"),
        actor=coordinator,
    )
    priority.refresh_from_db()
    assert (priority.rag_status, priority.rag_second_status, priority.rag_reason) == (
        "amber",
        "green",
        "better",
    )
    history = rag_history(priority)
    assert [(e.status, e.second_status, e.reason) for e in history] == [
        ("amber", "", "first"),
        ("amber", "green", "better"),
    ]
    assert all(e.set_by == coordinator for e in history)
    events = AuditEvent.objects.filter(action=AuditAction.RAG_CHANGE).order_by("at", "pk")
    assert [e.detail["new"] for e in events] == ["Amber", "Amber/Green"]
    assert events[1].detail["previous"] == "Amber"
    assert events[0].object_type == "strategy.Priority"
    assert events[0].actor == coordinator


def test_rule_set_rag_names_the_rule(priority) -> None:
    entry = record_rag(priority, RagAssessment(status="red", reason="+12%"), rule="lower@1")
    assert entry.rule == "lower@1" and entry.set_by is None
    assert AuditEvent.objects.get(action=AuditAction.RAG_CHANGE).actor_label == "rule lower@1"


def test_rag_change_needs_exactly_one_author(priority, make_user) -> None:
    with pytest.raises(ValueError):
        record_rag(priority, RagAssessment(status="red"))
    with pytest.raises(ValueError):
        record_rag(priority, RagAssessment(status="red"), actor=make_user(), rule="x@1")


def test_rag_history_is_append_only(priority, make_user) -> None:
    entry = record_rag(priority, RagAssessment(status="green", reason="ok"), actor=make_user())
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        RagEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        RagEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert RagEntry.objects.get(pk=entry.pk).reason == "ok"


def test_postgresql_refuses_raw_updates_to_history(priority, make_user) -> None:
    record_rag(priority, RagAssessment(status="green", reason="ok"), actor=make_user())
    ct = ContentType.objects.get_for_model(Priority)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_ragentry SET reason = 'x' WHERE content_type_id = %s", [ct.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")


@pytest.mark.django_db
def test_sqlite_refuses_raw_sql_on_history_like_postgresql(priority, make_user) -> None:
    """Issue 18, finding 17: on SQLite (the default) an audit row could be changed by raw
    SQL. Both databases now refuse UPDATE and DELETE of audit and RAG history."""
    record_rag(priority, RagAssessment(status="green", reason="ok"), actor=make_user())
    event = AuditEvent.objects.create(at="2025-01-01T00:00Z", action=AuditAction.EXPORT)
    for statement in (
        "UPDATE core_auditevent SET actor_label = 'someone else'",
        "DELETE FROM core_auditevent",
        "UPDATE core_ragentry SET reason = 'rewritten'",
        "DELETE FROM core_ragentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).actor_label == ""
    assert RagEntry.objects.get().reason == "ok"


def test_sqlite_history_cannot_be_deleted_from_another_client(tmp_path) -> None:
    """The DELETE trigger asks a function only Saferboard's connections have: from the
    sqlite3 shell or a script the DELETE fails."""
    import sqlite3

    from saferboard.core.append_only import trigger_sql

    database = sqlite3.connect(tmp_path / "copy.sqlite3")
    database.execute("CREATE TABLE core_auditevent (id integer primary key, label text)")
    database.execute("INSERT INTO core_auditevent (label) VALUES ('kept')")
    for statement in trigger_sql("core_auditevent", refuse_delete=True):
        database.execute(statement)
    for statement in ("DELETE FROM core_auditevent", "UPDATE core_auditevent SET label = 'x'"):
        with pytest.raises(sqlite3.DatabaseError):
            database.execute(statement)
    assert database.execute("SELECT label FROM core_auditevent").fetchall() == [("kept",)]
