"""The demo's KPI 7: its YOS management board met in the quarters its case records cover,
so the youth justice page shows a real management board attendance figure."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from saferboard.core.models import Role, User
from saferboard.meetings.demo import YOS_HISTORY_QUARTERS, yos_history_dates
from saferboard.youthjustice.kpis2023_data import recent_quarters, service_kpis
from saferboard.youthjustice.models import Service

pytestmark = pytest.mark.django_db


def test_history_has_a_meeting_in_each_quarter_the_records_cover() -> None:
    days = yos_history_dates()
    assert len(days) == YOS_HISTORY_QUARTERS
    assert days[0] == date(2023, 5, 15) and days[-1] == date(2025, 5, 15)
    quarters = {(d.year, (d.month - 1) // 3) for d in days}
    assert len(quarters) == YOS_HISTORY_QUARTERS  # one a quarter


def test_demo_kpi7_by_hand(demo) -> None:
    bromley = Service.objects.get(name="Bromley")
    # Every quarter the page offers has a meeting held.
    for start, end in recent_quarters(bromley):
        kpi7 = service_kpis(bromley, start, end)[6]
        assert kpi7.denominator == 5, (start, kpi7.notes)
    # January-March 2025: the police sent their named substitute (at the right
    # seniority), health an unnamed deputy (present, not at the right seniority); the
    # council, education and probation came in person: 4 of 5.
    kpi7 = service_kpis(bromley, date(2025, 1, 1), date(2025, 3, 31))[6]
    assert (kpi7.numerator, kpi7.denominator) == (4, 5)
    subs = {s.slug: (s.count, s.denominator) for s in kpi7.sub_measures}
    assert subs["police_senior"] == (1, 1)
    assert subs["health_senior"] == (0, 1) and subs["health_any"] == (1, 1)
    # 2024-25: four meetings x five partners = 20; missed at the right seniority:
    # education and health (April-June), probation (October-December), health
    # (January-March): 16.
    year = service_kpis(bromley, date(2024, 4, 1), date(2025, 3, 31))[6]
    assert (year.numerator, year.denominator) == (16, 20)
    assert subs["probation_senior"] == (1, 1)


def test_demo_page_shows_a_kpi7_figure(client, make_user, demo) -> None:
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(reverse("youthjustice:index"), {"service": "Bromley"})
    by = {entry["kpi"].number: entry["kpi"] for entry in response.context["kpis2023"]["kpis"]}
    assert (by[7].numerator, by[7].denominator) == (4, 5)
    html = response.content.decode()
    assert "held no meeting" not in html
    # The published figures' section links to the upload for those who may import.
    upload = reverse("youthjustice:published-upload")
    assert upload not in html
    client.force_login(User.objects.get(username="yos.head"))
    html = client.get(reverse("youthjustice:index"), {"service": "Bromley"}).content.decode()
    assert 'id="published"' in html and upload in html
