"""Storing observations: replace, never duplicate; provenance recorded."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.code_version import code_version
from saferboard.measures.models import DataImport, Measure, Observation
from saferboard.measures.rating import current_rule_config
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.measures.standard import ensure_standard_rules
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


def test_one_upsert_keeps_identity_stores_every_batch_and_the_last_of_a_repeat(
    measure: Measure,
) -> None:
    """Stored in batches of 500: 1,201 values (three batches) all land; storing again
    updates each row in place (same id); a key given twice in one call keeps the last."""
    AreaFactory(code="E09000006", name="Bromley")
    months = [date(1900 + m // 12, m % 12 + 1, 1) for m in range(1201)]
    values = [ObservationValue("E09000006", d, d, float(i)) for i, d in enumerate(months)]
    assert store_observations(measure, values) == 1201
    ids = dict(Observation.objects.values_list("period_start", "pk"))
    assert len(ids) == 1201
    again = [ObservationValue("E09000006", d, d, -1.0, comparators={"previous_period": 2.5})
             for d in months]  # fmt: skip
    repeat = ObservationValue("E09000006", months[0], months[0], 99.0, rank=3)
    store_observations(measure, [*again, repeat])
    assert dict(Observation.objects.values_list("period_start", "pk")) == ids
    first = Observation.objects.get(period_start=months[0])
    assert (first.value, first.rank, first.comparators) == (99.0, 3, {})
    last = Observation.objects.get(period_start=months[-1])
    assert (last.value, last.comparators) == (-1.0, {"previous_period": 2.5})


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
