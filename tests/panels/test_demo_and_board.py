"""The demo panels, the board's aggregates page and the observations they store."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferboard.core.models import User
from saferboard.measures.models import Measure, Observation
from saferboard.panels import access, board
from saferboard.panels import demo as panels_demo_module
from saferboard.panels.models import Case, CaseIdentity, EscalationStep, Panel


def test_demo_panels_are_idempotent_and_need_to_know(panels_demo) -> None:  # type: ignore[no-untyped-def]
    counts = (Case.objects.count(), EscalationStep.objects.count(), Observation.objects.count())
    panels_demo_module.load(panels_demo)
    assert (
        Case.objects.count(),
        EscalationStep.objects.count(),
        Observation.objects.count(),
    ) == counts
    exploitation = Panel.objects.get(slug="exploitation-gangs")
    assert exploitation.cases.count() == 20
    asb = Panel.objects.get(slug="asb-risk")
    assert asb.cases.count() == 4 and EscalationStep.objects.filter(case__panel=asb).exists()
    grace = User.objects.get(username="panel.member")
    assert access.cases_visible_to(grace).count() == 20
    assert access.runs_panel(grace, exploitation)
    for username in (
        "coordinator",
        "partner.lead",
        "board.member",
        "analyst",
        "administrator",
        "yos.head",
        "probation.lead",
    ):
        assert access.cases_visible_to(User.objects.get(username=username)).count() == 0
    names = CaseIdentity.objects.values_list("full_name", flat=True)
    fictional = ("Example", "Sample", "Specimen", "Placeholder", "Fictional", "Madeup", "Invented")
    assert all(name.split()[-1] in fictional for name in names)


def test_board_member_sees_suppressed_aggregates_only(client: Client, panels_demo) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="board.member"))
    assert client.get(reverse("panels:panel", args=["exploitation-gangs"])).status_code == 404
    html = client.get(reverse("panels:aggregates", args=["exploitation-gangs"])).content.decode()
    assert "young people on the list" in html and "monitored for gang association" in html
    assert "&lt;5" in html
    assert not any(
        name in html for name in CaseIdentity.objects.values_list("full_name", flat=True)
    )
    assert not any(ref in html for ref in Case.objects.values_list("reference", flat=True))


def test_published_aggregates_of_the_demo(panels_demo) -> None:  # type: ignore[no-untyped-def]
    panel = Panel.objects.get(slug="exploitation-gangs")
    published = board.panel_aggregates(panel, timezone.localdate())
    private = board.panel_aggregates(panel, timezone.localdate(), publish=False)
    # 17 on the list: 15 open and 2 referred (Ellis stepped down; Jada, Harvey closed).
    assert private.on_list == 17 and published.on_list == 17
    assert dict(private.flags)["Gang association"] == 8
    assert dict(published.status)["Closed"] == "<5"
    for make_up in published.make_ups:
        for row in make_up.rows:
            assert row.count not in (1, 2, 3, 4)


def test_aggregates_command_stores_observations(panels_demo, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("panels", "aggregates", "--panel", "exploitation-gangs", "--store")
    out = capsys.readouterr().out
    assert "Exploitation and Gangs Panel" in out and "stored" in out
    measure = Measure.objects.get(slug="panel-exploitation-gangs-on-list")
    latest = measure.observations.order_by("-period_end").first()
    assert latest.value == 17 and latest.area.code == "E09000006"
    assert measure.observations.count() == 12
    gang = Measure.objects.get(slug="panel-exploitation-gangs-flag-gang")
    assert gang.observations.get().value == 8
    knife = Measure.objects.get(slug="panel-exploitation-gangs-flag-knife")
    assert knife.observations.get().value is None or knife.observations.get().value >= 5
