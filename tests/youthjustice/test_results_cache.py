"""KPI results are computed once per version of the case records, and never outlive them."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferboard.youthjustice import report
from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.models import Service
from saferboard.youthjustice.report import build_report
from saferboard.youthjustice.results_cache import records_version
from tests.youthjustice.conftest import SMALL_EXPORT, replace_in

pytestmark = pytest.mark.django_db


def _fte_counts(service: Service) -> list[int]:
    return [row.result.fte_count for row in build_report(service).years]


def _engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = report.kpis

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "kpis", counting)
    return calls


def test_the_second_request_reuses_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    import_export(read_folder(SMALL_EXPORT))
    service = Service.objects.get(name="Testborough")
    calls = _engine_calls(monkeypatch)

    first = _fte_counts(service)
    assert len(calls) == 3  # years, quarters, tracker
    assert _fte_counts(Service.objects.get(pk=service.pk)) == first
    assert len(calls) == 3  # nothing recomputed


def test_an_import_makes_the_cached_results_unreachable(
    export_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_export(read_folder(SMALL_EXPORT))
    service = Service.objects.get(name="Testborough")
    before_version = records_version(service)
    before = _fte_counts(service)

    # CMS-1003's conditional caution is their only outcome and made them a first time
    # entrant; a community resolution is not substantive, so one entrant fewer.
    replace_in(
        export_dir / "outcomes.csv",
        "OUT-5,CMS-1003,2022-08-15,youth_conditional_caution,",
        "OUT-5,CMS-1003,2022-08-15,community_resolution,",
    )
    import_export(read_folder(export_dir))
    service = Service.objects.get(name="Testborough")
    calls = _engine_calls(monkeypatch)

    assert records_version(service) != before_version
    after = _fte_counts(service)
    assert len(calls) == 3  # recomputed from the new records
    assert sum(after) == sum(before) - 1
