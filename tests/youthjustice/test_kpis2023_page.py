"""The 2023 KPIs on the youth justice page, the quarterly return download and the
board pack (the demo: synthetic Bromley-sized records, with interventions and victims)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.youthjustice.kpis2023 import Kpi, SubMeasure
from saferboard.youthjustice.kpis2023_data import service_kpis
from saferboard.youthjustice.kpis2023_views import lines
from saferboard.youthjustice.models import Service

pytestmark = pytest.mark.django_db
# The demo's records run to late June 2025: the latest whole quarter is January-March.
Q4 = date(2025, 1, 1), date(2025, 3, 31)


def test_demo_page_shows_the_2023_kpis_with_values(client, make_user, demo) -> None:
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(reverse("youthjustice:index"), {"service": "Bromley"})
    assert response.status_code == 200
    section = response.context["kpis2023"]
    assert section["available"] and (section["start"], section["end"]) == Q4
    assert [entry["kpi"].number for entry in section["kpis"]] == list(range(1, 11))
    html = response.content.decode()
    assert "Key performance indicators from April 2023" in html
    assert "January to March 2025" in html
    # The demo holds interventions, victims and gravity scores: real values.
    by = {entry["kpi"].number: entry["kpi"] for entry in section["kpis"]}
    for number in (1, 2, 4, 5, 6, 8, 10):
        assert by[number].denominator and by[number].percentage is not None, number
    assert by[9].rate is not None
    # The page shows the same figures as the computation.
    again = service_kpis(Service.objects.get(name="Bromley"), *Q4)
    assert [k.as_json() for k in again] == [k.as_json() for k in by.values()]
    first = section["kpis"][0]["lines"][0]
    assert first.numerator == f"{by[1].numerator:,}" and first.value == f"{by[1].percentage:.1f}%"


def test_quarterly_return_download_is_audited(client, make_user, demo) -> None:
    client.force_login(make_user(Role.ANALYST))
    response = client.get(
        reverse("youthjustice:kpis2023-return"), {"service": "Bromley", "kpi_quarter": "2025-01-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["yjs", "period_start", "period_end", "kpi", "kpi_name", "measure"]
    assert rows[1][:6] == ["Bromley", "2025-01-01", "2025-03-31", "1", rows[1][4], "headline"]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("at")
    assert event.detail["what"] == "youth justice 2023 KPI return"


def test_return_download_is_need_to_know(client, make_user, demo) -> None:
    url = reverse("youthjustice:kpis2023-return")
    assert client.get(url, {"service": "Bromley"}).status_code == 302  # to sign in
    client.force_login(make_user(Role.PARTNER_LEAD))  # e.g. the police partner lead
    assert client.get(url, {"service": "Bromley"}).status_code == 403


def test_publication_mode_suppresses_small_counts_and_their_percentages() -> None:
    kpi = Kpi(
        6,
        3,
        40,
        (SubMeasure("youth_caution_completed", "Youth caution: completed", 12, 20),),
    )
    shown = lines(kpi, publication=True)
    assert (shown[0].numerator, shown[0].denominator, shown[0].value) == ("[c]", "40", "[c]")
    assert (shown[1].numerator, shown[1].value) == ("12", "60.0%")
    plain = lines(kpi, publication=False)
    assert (plain[0].numerator, plain[0].value) == ("3", "7.5%")
    empty = lines(Kpi(1, 0, 0), publication=False)
    assert empty[0].value == "No percentage"  # never 0%
