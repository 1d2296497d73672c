"""Storing observations: replace, never duplicate; provenance recorded."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.measures.demo import ensure_standard_rules
from saferboard.measures.models import DataImport, Measure, Observation
from saferboard.measures.services import (
    ObservationValue,
    code_version,
    current_rule_config,
    store_observations,
)
from tests.factories import AreaFactory


@pytest.fixture
def measure(db) -> Measure:  # type: ignore[no-untyped-def]
    rules = ensure_standard_rules()
    return Measure.objects.create(
        slug="burglary",
        source_kind="police-uk",
        label="Burglary",
        rag_rule=rules["lower-is-better"],
    )


def test_store_replaces_the_same_measure_area_period(measure: Measure) -> None:
    AreaFactory(code="E09000006", name="Bromley")
    source = DataImport.objects.create(source_kind="police-uk", format="police-uk", label="x")
    value = ObservationValue("E09000006", date(2024, 2, 1), date(2025, 1, 31), 1280, 1280)
    store_observations(measure, [value], source=source, data_as_at=date(2025, 3, 1))
    store_observations(
        measure, [ObservationValue("E09000006", date(2024, 2, 1), date(2025, 1, 31), 1281)]
    )
    obs = Observation.objects.get()
    assert obs.value == 1281
    assert obs.code_version == code_version()


def test_unknown_area_is_refused_and_nothing_stored(measure: Measure) -> None:
    with pytest.raises(ValueError, match="Unknown area codes: E09999999"):
        store_observations(
            measure, [ObservationValue("E09999999", date(2024, 1, 1), date(2024, 1, 31), 1)]
        )
    assert Observation.objects.count() == 0


def test_rule_versions_are_immutable(measure: Measure) -> None:
    config = current_rule_config(measure)
    assert config is not None and config.ref == "lower-is-better@1"
    version = measure.rag_rule.current_version()  # type: ignore[union-attr]
    version.amber_max_pct = 50
    with pytest.raises(PermissionError):
        version.save()
