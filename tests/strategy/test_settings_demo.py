"""The strategy settings and report pages on the whole demo partnership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from saferboard.strategy.models import Commitment, PartnerUpdate, ReportingRound


def test_demo_settings_report_and_review_pages_render(client, demo) -> None:  # type: ignore[no-untyped-def]
    coordinator = get_user_model().objects.get(username="coordinator")
    client.force_login(coordinator)
    overview = client.get(reverse("strategy:settings"))
    assert overview.status_code == 200
    # The demo's sub-commitments are child rows, numbered under their commitment.
    assert "1.1.1 Target-harden the homes of repeat victims" in overview.content.decode()
    commitment = Commitment.objects.get(priority__number=1, number=1, parent__isnull=True)
    assert (
        client.get(reverse("strategy:settings-commitment", args=[commitment.pk])).status_code == 200
    )
    round = ReportingRound.objects.order_by("-financial_year", "-quarter").first()
    report = client.get(reverse("strategy:priority-report", args=[round.pk, 1]))
    assert report.status_code == 200 and b"1.1.1" in report.content
    awaiting = PartnerUpdate.objects.filter(round=round, state="submitted").first()
    assert client.get(reverse("strategy:update-review", args=[awaiting.pk])).status_code == 200
    home = client.get(reverse("strategy:index"))
    assert reverse("strategy:settings").encode() in home.content


def test_demo_on_track_lines_print_the_crime_figures(demo) -> None:  # type: ignore[no-untyped-def]
    from saferboard.strategy.report import build_priority_report

    round = ReportingRound.objects.order_by("-financial_year", "-quarter").first()
    priority = round.strategy.priorities.get(number=1)
    report = build_priority_report(round, priority)
    lines = {line.text: line for c in report.commitments for line in c.indicators}
    burglary = lines["Fewer residential burglaries than the year before"]
    assert burglary.measure == "Residential burglary"
    assert not lines["Every repeat victim offered target-hardening"].has_measure
    # The crime demo's stored observation: its value, months and the RAG stored with it.
    assert burglary.figure and burglary.period and burglary.rag is not None
