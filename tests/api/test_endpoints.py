"""Reading through the API: pagination, filters, errors, strategy and RAG, rate limits,
and the schema checked into docs/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from saferboard.core.models import Area, AreaKind, Partnership, Role
from saferboard.core.rag import RagAssessment, record_rag
from saferboard.measures.models import DataImport, Measure, SourceKind
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.strategy.models import Commitment, Priority, Strategy, SubPriority

DOCS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def months(db):
    """Burglary for 2024-01 to 2024-12 in two areas: 24 observations."""
    measure = Measure.objects.create(
        source_kind=SourceKind.POLICE_UK, slug="burglary", label="Burglary"
    )
    for code, name in (("E09000006", "Bromley"), ("E09000008", "Croydon")):
        Area.objects.create(code=code, name=name, kind=AreaKind.LOCAL_AUTHORITY)
        store_observations(
            measure,
            [
                ObservationValue(code, date(2024, m, 1), date(2024, m, 28), m * 10)
                for m in range(1, 13)
            ],
        )
    return measure


def test_pagination_envelope(token_for, months) -> None:
    client = token_for(Role.ANALYST)
    first = client.get("/api/observations", page_size=10).json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (24, 1, 10, 3)
    assert len(first["items"]) == 10
    last = client.get("/api/observations", page_size=10, page=3).json()
    assert len(last["items"]) == 4
    beyond = client.get("/api/observations", page_size=10, page=4)
    assert beyond.status_code == 404
    assert beyond.json()["error"]["details"] == {"pages": 3}
    too_big = client.get("/api/observations", page_size=501)
    assert too_big.status_code == 422
    error = too_big.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"][0]["location"][-1] == "page_size"


def test_observation_filters(token_for, months) -> None:
    client = token_for(Role.ANALYST)
    body = client.get(
        "/api/observations", measure="burglary", area="E09000008", period="2024-03"
    ).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["measure"] == "police-uk/burglary"
    assert (item["area_code"], item["period_start"], item["value"]) == (
        "E09000008",
        "2024-03-01",
        30.0,
    )
    quarter = client.get("/api/observations", area="E09000006", period="FY2024-25 Q1").json()
    assert [i["period_start"] for i in quarter["items"]] == [
        "2024-04-01",
        "2024-05-01",
        "2024-06-01",
    ]
    since = client.get("/api/observations", area="E09000006", since="2024-11-01").json()
    assert since["count"] == 2
    bad = client.get("/api/observations", period="last month")
    assert bad.status_code == 422
    assert bad.json()["error"]["message"] == "Cannot read 'last month' as a period"


def test_measures(token_for, months) -> None:
    client = token_for(Role.ANALYST)
    body = client.get("/api/measures", source="police-uk").json()
    assert body["items"] == [
        {
            "source_kind": "police-uk",
            "slug": "burglary",
            "label": "Burglary",
            "description": "",
            "unit": "count",
            "direction": "lower",
            "rag_rule": None,
        }
    ]
    assert client.get("/api/measures/police-uk/nope").status_code == 404


@pytest.fixture
def strategy(db, make_user):
    partnership = Partnership.objects.create(name="P", slug="p")
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Safer Borough 2021-24",
        start_date=date(2021, 4, 1),
        end_date=date(2024, 3, 31),
    )
    priority = Priority.objects.create(strategy=strategy, number=1, title="Safer neighbourhoods")
    SubPriority.objects.create(priority=priority, title="Residential burglary")
    commitment = Commitment.objects.create(priority=priority, number=1, title="Provide support")
    # A sub-commitment is a child row; the API still lists its text under the parent.
    Commitment.objects.create(priority=priority, parent=commitment, number=1, title="Visit victims")
    user = make_user(Role.COORDINATOR)
    record_rag(commitment, RagAssessment("amber", reason="Started late"), actor=user)
    record_rag(commitment, RagAssessment("green", reason="On track"), actor=user)
    return strategy, commitment


def test_strategy_structure_and_rag(token_for, strategy) -> None:
    the_strategy, commitment = strategy
    client = token_for(Role.BOARD_MEMBER)
    assert client.get("/api/strategies").json()[0]["title"] == "Safer Borough 2021-24"
    body = client.get(f"/api/strategies/{the_strategy.pk}").json()
    priority = body["priorities"][0]
    assert priority["sub_priorities"] == ["Residential burglary"]
    assert priority["commitments"][0]["rag_status"] == "green"
    assert priority["commitments"][0]["sub_commitments"] == ["Visit victims"]
    rag = client.get("/api/rag", subject="commitment").json()
    assert rag["items"][0]["status"] == "green"
    history = client.get(f"/api/rag/commitment/{commitment.pk}/history").json()
    assert [(h["status"], h["reason"]) for h in history] == [
        ("amber", "Started late"),
        ("green", "On track"),
    ]
    assert client.get("/api/rag/action/1/history").status_code == 404
    assert client.get("/api/strategies/999999").status_code == 404


def test_rate_limit_answers_429_with_retry_after(token_for, db, monkeypatch) -> None:
    from saferboard.api.routes import THROTTLE

    monkeypatch.setattr(THROTTLE, "num_requests", 3)
    client = token_for(Role.ANALYST)
    codes = [client.get("/api/whoami").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/whoami")
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited["Retry-After"]) >= 1


def test_served_schema_matches_the_checked_in_copy(token_for, db) -> None:
    from saferboard.api.routes import schema_json

    served = token_for(Role.ANALYST).get("/api/openapi.json")
    assert served.status_code == 200
    assert json.loads(schema_json()) == served.json()
    assert DOCS_SCHEMA.read_text(encoding="utf-8") == schema_json(), (
        "docs/openapi.json is out of date: run `saferboard api schema --output docs/openapi.json`"
    )


def test_schema_for_a_signed_in_person(client, make_user) -> None:
    client.force_login(make_user(Role.ANALYST))
    assert client.get("/api/openapi.json").status_code == 200


def test_write_is_audited_with_provenance(token_for, months) -> None:
    from saferboard.core.models import AuditEvent

    client = token_for(Role.PARTNER_LEAD, scope="write")
    response = client.post(
        "/api/measures/police-uk/burglary/observations",
        {
            "area_code": "E09000006",
            "label": "Extract 2025-01",
            "data_as_at": "2025-02-03",
            "observations": [{"period": "2025-01", "value": 17}],
        },
    )
    assert response.status_code == 201
    data_import = DataImport.objects.get(pk=response.json()["data_import_id"])
    assert data_import.label == "Extract 2025-01"
    assert data_import.imported_by == client.user
    assert data_import.files[0]["sha256"] == response.json()["sha256"]
    event = AuditEvent.objects.get(object_type="measures.DataImport")
    assert event.detail["token_id"] == client.token.pk
    assert event.actor == client.user


def test_bad_observation_batches_store_nothing(token_for, months) -> None:
    client = token_for(Role.PARTNER_LEAD, scope="write")
    before = DataImport.objects.count()
    twice = client.post(
        "/api/measures/police-uk/burglary/observations",
        {
            "area_code": "E09000006",
            "observations": [
                {"period": "2025-01", "value": 1},
                {"period": "2025-01", "value": 2},
                {"value": 3},
            ],
        },
    )
    assert twice.status_code == 422
    messages = [d["message"] for d in twice.json()["error"]["details"]]
    assert messages == [
        "Give a period, or a period_start and period_end",
        "The same period appears twice",
    ]
    unknown = client.post(
        "/api/measures/police-uk/burglary/observations",
        {"area_code": "X1", "observations": [{"period": "2025-01", "value": 1}]},
    )
    assert unknown.status_code == 422
    malformed = client.client.post(
        "/api/measures/police-uk/burglary/observations",
        "{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {client.key}",
    )
    assert malformed.status_code in (400, 422)
    assert "error" in malformed.json()
    assert DataImport.objects.count() == before


def test_rate_limit_is_shared_by_every_process(token_for, db, monkeypatch) -> None:
    """Issue 18, finding 9: each worker process counted in its own memory. The count is
    in the database: clearing a process's cache (as another process would have its
    own) does not reset it."""
    from django.core.cache import cache

    from saferboard.api.models import RateCount
    from saferboard.api.routes import THROTTLE

    monkeypatch.setattr(THROTTLE, "num_requests", 3)
    client = token_for(Role.ANALYST)
    codes = []
    for _ in range(4):
        codes.append(client.get("/api/whoami").status_code)
        cache.clear()
    assert codes == [200, 200, 200, 429]
    assert list(RateCount.objects.values_list("count", flat=True)) == [4]
