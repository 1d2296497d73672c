"""The engine's dashboard is remembered per version of the store (a warm page does not
ask the engine again), as a copy, and forgotten when an import or a measure changes it.
Figures and ratings always come from the stored observations (test_stored_figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferboard.crime import observations
from saferboard.crime.importer import import_files
from saferboard.measures.models import Measure
from tests.crime.conftest import FIXTURES

pytestmark = pytest.mark.django_db

TINY = FIXTURES / "mps_dashboard" / "tiny-crime-dashboard.csv"


def test_remembered_per_store_version_as_a_copy(sabo_data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import_files([TINY])
    built: list[str] = []
    real = observations.build_dashboard

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(observations, "build_dashboard", counting)
    first, stored = observations.dashboard_figures("E09000006", "2024-12", "mps")
    knife = next(r for r in first.measures if r.measure == "knife-crime")
    assert (knife.current, knife.observation) == (43, stored["knife-crime"])
    knife.current = -1  # a request may change its own copy
    again, _ = observations.dashboard_figures("E09000006", "2024-12", "mps")
    assert built == ["2024-12"]  # the engine was asked once
    assert next(r for r in again.measures if r.measure == "knife-crime").current == 43

    # A measure's definition changes without an import: asked again.
    Measure.objects.filter(source_kind="mps", slug="knife-crime").update(label="Knife offences")
    observations.dashboard_figures("E09000006", "2024-12", "mps")
    assert built == ["2024-12", "2024-12"]
    # An import makes a new version of the store, and a new engine: asked again.
    import_files([TINY])
    observations.dashboard_figures("E09000006", "2024-12", "mps")
    assert len(built) == 3
