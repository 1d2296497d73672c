"""Observations are rated when stored, keep their rating, and are re-rated only on request.

Worked by hand: the standard rule "lower-is-better" version 1 is Green up to 0% worse,
Amber up to 10% worse, Red beyond. 104 against 100 is 4% worse: Amber. Version 2 (added
below) is Green up to 5% worse: the same 104 is Green under it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from saferboard.core.models import AuditAction, AuditEvent, RagEntry
from saferboard.core.rag import rag_history
from saferboard.measures.models import Measure, Observation, RagRuleVersion, RuleKind
from saferboard.measures.rating import previous_value, rerate
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.measures.standard import ensure_standard_rules
from tests.factories import AreaFactory

START, END = date(2024, 2, 1), date(2025, 1, 31)


@pytest.fixture
def measure(db) -> Measure:  # type: ignore[no-untyped-def]
    rules = ensure_standard_rules()
    AreaFactory(code="E09000006", name="Bromley")
    return Measure.objects.create(
        slug="burglary",
        source_kind="police-uk",
        label="Burglary",
        rag_rule=rules["lower-is-better"],
    )


def _store(measure: Measure, value: float, previous: float | None = 100.0) -> Observation:
    comparators = {} if previous is None else {"previous_period": previous}
    store_observations(
        measure, [ObservationValue("E09000006", START, END, value, comparators=comparators)]
    )
    return Observation.objects.get(measure=measure)


def _entries(obs: Observation) -> list[RagEntry]:
    return list(
        RagEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Observation), object_id=obs.pk
        )
    )


def _version_two(measure: Measure) -> None:
    assert measure.rag_rule is not None
    RagRuleVersion.objects.create(
        rule=measure.rag_rule,
        version=2,
        kind=RuleKind.LOWER_IS_BETTER,
        green_max_pct=Decimal(5),
        amber_max_pct=Decimal(10),
    )


def test_a_new_figure_is_rated_by_the_rule_with_history_and_audit(measure: Measure) -> None:
    obs = _store(measure, 104)
    assert (obs.rag_status, obs.rag_rule) == ("amber", "lower-is-better@1")
    assert obs.rag is not None and obs.rag.reason.startswith("+4.0% on the previous period")
    [entry] = _entries(obs)
    assert (entry.status, entry.rule, entry.set_by) == ("amber", "lower-is-better@1", None)
    event = AuditEvent.objects.get(action=AuditAction.RAG_CHANGE, object_id=str(obs.pk))
    assert event.detail["new"] == "Amber" and event.detail["previous"] is None
    assert event.actor_label == "rule lower-is-better@1"


def test_storing_the_same_figure_again_keeps_its_rating(measure: Measure) -> None:
    first = _store(measure, 104)
    again = _store(measure, 104)
    assert again.pk == first.pk and again.rag_set_at == first.rag_set_at
    assert len(_entries(again)) == 1


def test_a_changed_figure_is_rated_again(measure: Measure) -> None:
    _store(measure, 104)
    obs = _store(measure, 120)  # 20% worse: Red
    assert obs.rag_status == "red"
    assert [e.status for e in rag_history(obs)] == ["amber", "red"]


def test_a_rule_change_keeps_old_ratings_until_an_explicit_rerate(
    measure: Measure, make_user
) -> None:  # type: ignore[no-untyped-def]
    _store(measure, 104)
    _version_two(measure)
    # Stored again after the rule changed, unchanged: still the rating version 1 gave.
    obs = _store(measure, 104)
    assert (obs.rag_status, obs.rag_rule) == ("amber", "lower-is-better@1")

    analyst = make_user(username="ana")
    done = rerate(measure, actor=analyst)  # type: ignore[arg-type]
    assert done.as_json() == {
        "measure": "police-uk/burglary",
        "rule": "lower-is-better@2",
        "considered": 1,
        "rated": 1,
        "changed": 1,
        "unchanged": 0,
    }
    obs.refresh_from_db()
    assert (obs.rag_status, obs.rag_rule) == ("green", "lower-is-better@2")
    assert [(e.status, e.rule) for e in rag_history(obs)] == [
        ("amber", "lower-is-better@1"),
        ("green", "lower-is-better@2"),
    ]
    summary = AuditEvent.objects.get(object_type="measures.Measure", detail__rerate=True)
    assert summary.actor == analyst and summary.detail["rated"] == 1
    per_figure = AuditEvent.objects.filter(object_id=str(obs.pk), action=AuditAction.RAG_CHANGE)
    assert per_figure.filter(actor=analyst, detail__previous="Amber", detail__new="Green").exists()

    # Asking again changes nothing: every figure is rated by the current version.
    again = rerate(measure, actor=analyst)  # type: ignore[arg-type]
    assert (again.rated, again.unchanged) == (0, 1)
    assert len(_entries(obs)) == 2


def test_a_new_figure_after_a_rule_change_gets_the_new_version(measure: Measure) -> None:
    _version_two(measure)
    obs = _store(measure, 104)
    assert (obs.rag_status, obs.rag_rule) == ("green", "lower-is-better@2")


def test_a_figure_that_can_no_longer_be_compared_shows_not_rated(measure: Measure) -> None:
    _store(measure, 104)
    obs = _store(measure, 104, previous=None)
    assert obs.rag is None and obs.rag_rule == ""
    assert len(_entries(obs)) == 1  # the old rating stays in the history


def test_no_rule_and_judgement_rules_rate_nothing(measure: Measure) -> None:
    rules = ensure_standard_rules()
    Measure.objects.filter(pk=measure.pk).update(rag_rule=rules["manual"])
    measure.refresh_from_db()
    assert _store(measure, 104).rag is None
    Measure.objects.filter(pk=measure.pk).update(rag_rule=None)
    measure.refresh_from_db()
    assert rerate(measure, actor=None).rated == 0


@pytest.mark.parametrize(
    ("comparators", "expected"),
    [
        ({"previous_period": 12}, 12.0),
        ({"previous": "7.5"}, 7.5),
        ({"previous_period": None, "previous": 3}, 3.0),
        ({"previous_period": "n/a"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_previous_value(comparators: dict | None, expected: float | None) -> None:  # type: ignore[type-arg]
    assert previous_value(comparators) == expected


def test_a_figure_names_the_definition_that_computed_it(measure: Measure) -> None:
    obs = _store(measure, 104)
    first = obs.definition_version
    assert len(first) == 12 and first == measure.definition_version
    measure.definition = {"categories": ["burglary"]}
    measure.save()
    again = _store(measure, 104)
    assert again.definition_version == measure.definition_version != first
