"""`saferboard measure rerate` and `saferboard measure observations` (issue 19): the
stored figures with the rating stored with each, and the explicit, audited re-rating
under the rule's current version.

By hand: 105 against 100 is 5% worse; version 1 (Green up to 2%, Amber up to 10%) rates
it Amber, version 2 (Amber up to 3%) Red. 90 against 100 is Green under both.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saferboard.core.code_version import code_version
from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.measures.editing import MeasureChange, save_measure
from saferboard.measures.models import DataImport, Measure
from saferboard.measures.services import ObservationValue, store_observations
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

OBSERVATION_KEYS = {
    "measure",
    "area_code",
    "area_name",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "rank",
    "peer_group_size",
    "provisional",
    "data_as_at",
    "rag",
    "rag_second_status",
    "rag_label",
    "rag_reason",
    "rule",
    "source_label",
    "code_version",
    "definition_version",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("measure", *args, stdout=out)
    return out.getvalue()


def referrals() -> Measure:
    measure = save_measure(
        "manual", MeasureChange(slug="referrals", label="Referrals", green="2", amber="10")
    )
    AreaFactory(code="E09000006", name="Bromley")
    AreaFactory(code="E09000007", name="Camden")
    source = DataImport.objects.create(
        source_kind="partner-return", format="api", label="Referrals Q1", rows=3
    )
    store_observations(
        measure,
        [
            ObservationValue("E09000006", date(2025, 1, 1), date(2025, 3, 31), 100),
            ObservationValue(
                "E09000006",
                date(2025, 4, 1),
                date(2025, 6, 30),
                105,
                numerator=21,
                denominator=200,
                comparators={"previous_period": 100},
                rank=3,
                peer_group_size=8,
            ),
            ObservationValue(
                "E09000007",
                date(2025, 4, 1),
                date(2025, 6, 30),
                90,
                comparators={"previous_period": 100},
                provisional=True,
            ),
        ],
        source=source,
        data_as_at=date(2025, 7, 15),
    )
    save_measure("manual", MeasureChange(amber="3"), measure=measure)
    return measure


def observations(*args: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(run("observations", "referrals", "--source", "manual", "--json", *args))


def test_observations_json_keys_values_newest_first() -> None:
    referrals()
    rows = observations()
    assert all(set(r) == OBSERVATION_KEYS for r in rows)
    assert [(r["area_code"], r["period_start"]) for r in rows] == [
        ("E09000006", "2025-04-01"),
        ("E09000007", "2025-04-01"),
        ("E09000006", "2025-01-01"),
    ]
    bromley = rows[0]
    assert bromley == {
        "measure": "manual/referrals",
        "area_code": "E09000006",
        "area_name": "Bromley",
        "period_start": "2025-04-01",
        "period_end": "2025-06-30",
        "value": 105,
        "numerator": 21,
        "denominator": 200,
        "rank": 3,
        "peer_group_size": 8,
        "provisional": False,
        "data_as_at": "2025-07-15",
        "rag": "amber",  # stored under version 1, though version 2 would say red
        "rag_second_status": None,
        "rag_label": "Amber",
        "rag_reason": bromley["rag_reason"],
        "rule": "referrals-rule@1",
        "source_label": "Referrals Q1",
        "code_version": code_version(),
        "definition_version": Measure.objects.get(slug="referrals").definition_version,
    }
    assert bromley["rag_reason"].startswith("+5.0% on the previous period")
    assert (rows[1]["rag"], rows[1]["provisional"]) == ("green", True)
    # No previous value: not rated.
    assert (rows[2]["rag"], rows[2]["rag_label"], rows[2]["rule"]) == (None, "Not rated", None)
    assert [r["period_start"] for r in observations("--area", "E09000007")] == ["2025-04-01"]
    text = run("observations", "referrals", "--source", "manual")
    assert "E09000006 Bromley 2025-04-01 to 2025-06-30: 105 — Amber by referrals-rule@1" in text


def test_rerate_json_then_observations_show_the_new_version(make_user) -> None:
    referrals()
    analyst = make_user(Role.ANALYST, username="ana")
    result = json.loads(run("rerate", "referrals", "--source", "manual", "--user", "ana", "--json"))
    # Three figures; the unrated one cannot be rated (no previous value).
    assert result == {
        "measure": "manual/referrals",
        "rule": "referrals-rule@2",
        "considered": 3,
        "rated": 2,
        "changed": 1,
        "unchanged": 1,
    }
    rows = observations()
    assert [(r["rag"], r["rule"]) for r in rows[:2]] == [
        ("red", "referrals-rule@2"),
        ("green", "referrals-rule@2"),
    ]
    event = AuditEvent.objects.filter(action=AuditAction.RAG_CHANGE, detail__rerate=True).get()
    assert event.actor == analyst
    again = run("rerate", "referrals", "--source", "manual", "--user", "ana")
    assert "that can be rated is rated under referrals-rule@2: nothing changed" in again


def test_rerate_sentence_and_refusals(make_user) -> None:
    referrals()
    make_user(Role.ANALYST, username="ana")
    text = run("rerate", "referrals", "--source", "manual", "--user", "ana")
    assert text.strip() == (
        "2 figures of ‘Referrals’ re-rated under referrals-rule@2; 1 changed status"
    )
    with pytest.raises(CommandError, match="--user 'nobody': there is no user"):
        run("rerate", "referrals", "--source", "manual", "--user", "nobody")
    with pytest.raises(CommandError, match="the nearest is 'referrals'"):
        run("rerate", "referals", "--source", "manual", "--user", "ana")
    with pytest.raises(CommandError):  # --user is required
        run("rerate", "referrals", "--source", "manual")
