"""Issue 19 in the API: each observation carries the rating stored with it (never a rule
applied by the API), and an observation's RAG history and current rating are readable
under the subject "observation".

By hand: 105 against 100 is 5% worse; version 1 of the rule (Green up to 2%, Amber up to
10%) rates it Amber. After the rule changes (Amber up to 3%) the API still says Amber,
rule referrals-rule@1; after a re-rating, Red under referrals-rule@2, with both entries
in its history.
"""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Role
from saferboard.measures.editing import MeasureChange, save_measure
from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import rerate
from saferboard.measures.services import ObservationValue, store_observations
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def referrals() -> Measure:
    measure = save_measure(
        "manual", MeasureChange(slug="referrals", label="Referrals", green="2", amber="10")
    )
    AreaFactory(code="E09000006", name="Bromley")
    store_observations(
        measure,
        [
            ObservationValue("E09000006", date(2025, 1, 1), date(2025, 3, 31), 100),
            ObservationValue(
                "E09000006",
                date(2025, 4, 1),
                date(2025, 6, 30),
                105,
                comparators={"previous_period": 100},
            ),
        ],
    )
    save_measure("manual", MeasureChange(amber="3"), measure=measure)
    measure.refresh_from_db()
    return measure


def test_observations_carry_the_stored_rating(token_for) -> None:
    measure = referrals()
    client = token_for(Role.ANALYST)
    items = client.get("/api/observations", measure="referrals").json()["items"]
    first, second = items  # oldest period first
    assert first["rag"] is None  # no previous value: not rated
    rag = second["rag"]
    assert {k: rag[k] for k in ("status", "second_status", "label", "rule")} == {
        "status": "amber",
        "second_status": None,
        "label": "Amber",
        "rule": "referrals-rule@1",
    }
    assert rag["reason"].startswith("+5.0% on the previous period") and rag["set_at"]
    rerate(measure, actor=None)
    rag = client.get("/api/observations", measure="referrals").json()["items"][1]["rag"]
    assert (rag["status"], rag["label"], rag["rule"]) == ("red", "Red", "referrals-rule@2")


def test_observation_rag_history_and_list(token_for) -> None:
    measure = referrals()
    rerate(measure, actor=None)
    rated = Observation.objects.get(period_start=date(2025, 4, 1))
    client = token_for(Role.PARTNER_LEAD)
    history = client.get(f"/api/rag/observation/{rated.pk}/history")
    assert history.status_code == 200
    assert [(e["status"], e["rule"], e["set_by"]) for e in history.json()] == [
        ("amber", "referrals-rule@1", None),
        ("red", "referrals-rule@2", None),
    ]
    listed = client.get("/api/rag", subject="observation").json()
    assert listed["count"] == 2
    by_id = {row["id"]: row for row in listed["items"]}
    assert by_id[rated.pk]["status"] == "red"
    assert by_id[rated.pk]["title"] == "Referrals, Bromley, Apr 2025 to Jun 2025"
    unrated = Observation.objects.get(period_start=date(2025, 1, 1))
    assert by_id[unrated.pk]["status"] is None
    assert client.get("/api/rag/observation/999999/history").status_code == 404


def test_panel_observations_hidden_from_tokens_without_panel_aggregates(token_for) -> None:
    """The history of an observation of a panel measure is as hidden as the measure."""
    measure = referrals()
    Measure.objects.filter(pk=measure.pk).update(slug="panel-referrals")
    rated = Observation.objects.get(period_start=date(2025, 4, 1))
    client = token_for(Role.PARTNER_LEAD)
    assert client.get(f"/api/rag/observation/{rated.pk}/history").status_code == 404
    assert client.get("/api/rag", subject="observation").json()["count"] == 0
