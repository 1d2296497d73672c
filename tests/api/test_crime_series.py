"""GET /api/crime/series (issue 17): monthly counts for any area, measure and source,
paged by area, missing months listed (never zero)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferboard.core.models import Role
from saferboard.crime import engine as crime_engine
from saferboard.crime.importer import import_files
from tests.crime.conftest import CITY_JUNE, CITY_OCTOBER, MPS_BOROUGH

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engines(sabo_data_dir: Path):  # type: ignore[no-untyped-def]
    yield
    crime_engine.forget_engines()


def test_series_for_every_area_and_one(token_for) -> None:
    import_files([MPS_BOROUGH])
    client = token_for(Role.ANALYST)
    body = client.get(
        "/api/crime/series", measure="burglary", source="mps", since="2025-01",
        until="2025-03", page_size=10,
    ).json()  # fmt: skip
    assert body["count"] == 32 and body["pages"] == 4 and len(body["items"]) == 10
    one = client.get(
        "/api/crime/series", measure="burglary", source="mps", area="E09000006",
        since="2024-02", until="2024-04",
    ).json()["items"][0]  # fmt: skip
    assert one["area_name"] == "Bromley" and one["missing"] == ["2024-02"]  # file starts 2024-03
    counts = {m["month"]: m["count"] for m in one["months"]}
    assert counts["2024-02"] is None and counts["2024-03"] > 0


def test_series_of_police_uk_with_a_gap(token_for) -> None:
    import_files([CITY_JUNE, CITY_OCTOBER])
    client = token_for(Role.ANALYST)
    item = client.get(
        "/api/crime/series", measure="burglary", source="police-uk", area="E09000001",
        since="2023-06", until="2023-10",
    ).json()["items"][0]  # fmt: skip
    assert item["missing"] == ["2023-07", "2023-08", "2023-09"]
    # as in test_dashboard.py; a count's value is the count
    assert item["months"][0] == {"month": "2023-06", "count": 35, "value": 35}
    assert client.get("/api/crime/series", measure="nope", source="mps").status_code == 404
    assert client.get("/api/crime/series", measure="burglary", since="2023-13").status_code == 422
