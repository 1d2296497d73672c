"""The demo: real London figures for Bromley, loaded idempotently."""

from __future__ import annotations

import pytest

from saferboard.measures.models import DataImport, Observation

pytestmark = pytest.mark.django_db


def test_demo_loads_real_data_once(demo) -> None:
    from saferboard.core.management.commands.demo import load_demo

    imports = DataImport.objects.count()
    stored = Observation.objects.filter(area__code="E09000006", measure__source_kind="mps")
    total = stored.get(measure__slug="total-notifiable-offences")
    assert (total.value, total.comparators["previous_period"]) == (23_796, 24_269)
    # Rated when stored: the rating lives on the observation, not in its comparators.
    assert total.rag is not None and total.rag.status == "green"
    assert total.rag_rule == "lower-is-better@1"
    assert not {"rag", "rag_rule", "rag_reason"} & set(total.comparators)
    assert total.rank == 12 and total.peer_group_size == 32
    assert str(total.period_start) == "2025-03-01" and str(total.period_end) == "2026-02-28"
    assert total.source.format == "mps-recorded-crime"
    # The Met dashboard extract's measures (figures worked out in test_mps_dashboard.py):
    # knife crime to Feb 2026 (the later knife-crime file), domestic abuse and hate crime
    # for their own latest complete rolling year, to Jul 2025.
    knife = stored.get(measure__slug="knife-crime")
    assert (knife.value, knife.comparators["previous_period"]) == (289, 342)
    assert str(knife.period_end) == "2026-02-28"
    assert knife.source.format == "mps-crime-dashboard"
    for slug, current, previous in (("domestic-abuse", 2790, 2679), ("hate-crime", 546, 622)):
        obs = stored.get(measure__slug=slug)
        assert (obs.value, obs.comparators["previous_period"]) == (current, previous)
        assert str(obs.period_start) == "2024-08-01" and str(obs.period_end) == "2025-07-31"
        assert obs.rank is not None and obs.peer_group_size == 32
    # The demo's police.uk rows are a burglary-only extract, not the Met's published
    # street files: no month of police.uk data is complete, so nothing is stored from
    # them (issue 17: a burglary observation stored from them was the old, wrong answer).
    assert not Observation.objects.filter(
        area__code="E09000006", measure__source_kind="police-uk"
    ).exists()
    load_demo()
    assert DataImport.objects.count() == imports
