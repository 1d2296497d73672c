"""Issue 19: every crime dashboard rendering shows the stored, rated observation.

Worked by hand on the tiny Met crime dashboard file (tests/data/crime/mps_dashboard):
Bromley's knife crime is 43 in 2024 (eleven months of 3 and June's 10) against 24 in
2023 (twelve months of 2), a rise of 19 (+79%): Red under lower-is-better@1 (Green up
to 0%, Amber up to 10%).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from saferboard.core.models import Area, RagEntry, Role
from saferboard.core.rag import RagAssessment, rag_history
from saferboard.crime.importer import import_files
from saferboard.crime.observations import dashboard_figures, window_period
from saferboard.measures.judgements import Period, set_judgement
from saferboard.measures.models import Measure, Observation, RagRule, RagRuleVersion
from saferboard.measures.rating import rerate
from tests.crime.conftest import FIXTURES

pytestmark = pytest.mark.django_db

TINY = FIXTURES / "mps_dashboard" / "tiny-crime-dashboard.csv"
CITY_2024_2025 = sorted((FIXTURES / "police_uk_city_of_london_2024_2025").glob("*.csv.gz"))
QUERY = {"area": "E09000006", "to": "2024-12", "source": "mps"}


def _measure(board, slug: str):  # type: ignore[no-untyped-def]
    return next(m for m in board.measures if m.measure == slug)


def _knife() -> Observation:
    return Observation.objects.get(
        measure__source_kind="mps", measure__slug="knife-crime", area__code="E09000006"
    )


def _cli(area: str, to: str) -> dict:
    out = StringIO()
    call_command(
        "crime", "dashboard", "--area", area, "--to", to, "--source", "mps", "--json",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return {m["measure"]: m for m in json.loads(out.getvalue())["measures"]}


def _writes(queries: list[dict]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_page_downloads_and_cli_show_the_stored_figure(
    client, make_user, sabo_data_dir: Path
) -> None:
    import_files([TINY])
    client.force_login(make_user(Role.ANALYST))
    assert client.get("/crime/", QUERY).status_code == 200
    knife = _knife()  # stored by the first request
    assert (knife.value, knife.comparators["previous_period"]) == (43, 24)
    assert knife.comparators["change"] == 19
    assert knife.rag is not None and knife.rag.status == "red"
    assert knife.rag_rule == "lower-is-better@1"
    assert not {"rag", "rag_rule", "rag_reason"} & set(knife.comparators)
    # Every rendering shows the stored rating, not one worked out again: give the stored
    # figure another rating (as a re-rating under another version would) and look.
    Observation.objects.filter(pk=knife.pk).update(
        rag_status="amber", rag_reason="Stored reason", rag_rule="stored-rule@7"
    )
    html = client.get("/crime/", QUERY).content.decode()
    row = html[html.index('href="#trend-knife-crime"') :].split("</tr>")[0]
    assert "43" in row and "+79% (24)" in row
    assert 'govuk-tag--orange">Amber' in row and "stored-rule@7" in row
    rows = list(csv.reader(io.StringIO(client.get("/crime/dashboard.csv", QUERY).content.decode())))
    header, line = rows[1], next(r for r in rows[2:] if r[1] == "knife-crime")
    assert line[4:7] == ["43", "24", "19"]
    assert (line[header.index("RAG")], line[header.index("RAG rule")]) == ("amber", "stored-rule@7")
    assert line[header.index("RAG reason")] == "Stored reason"
    book = load_workbook(io.BytesIO(client.get("/crime/dashboard.xlsx", QUERY).content))
    cells = next(
        [c.value for c in r]
        for r in book["Dashboard"].iter_rows(min_row=3)
        if r[1].value == "knife-crime"
    )
    assert cells[4:10] == [43, 24, 19, round(19 / 24 * 100, 4), "amber", "stored-rule@7"]
    data = _cli("Bromley", "2024-12")["knife-crime"]
    assert (data["current"], data["previous"], data["change"]) == (43, 24, 19)
    assert (data["rag"], data["rule"], data["rag_reason"]) == (
        "amber",
        "stored-rule@7",
        "Stored reason",
    )
    assert data["observation_id"] == knife.pk


def test_a_second_request_writes_nothing(sabo_data_dir: Path) -> None:
    import_files([TINY])
    _, first = dashboard_figures("Bromley", "2024-12", "mps", details=False)
    assert {"knife-crime", "domestic-abuse", "hate-crime"} <= set(first)
    with CaptureQueriesContext(connection) as queries:
        board, again = dashboard_figures("Bromley", "2024-12", "mps", details=False)
    assert _writes(queries.captured_queries) == []
    assert {s: o.pk for s, o in again.items()} == {s: o.pk for s, o in first.items()}
    assert again["knife-crime"].computed_at == first["knife-crime"].computed_at
    assert _measure(board, "knife-crime").observation == first["knife-crime"]
    # An incomplete figure (no gun crime in the file) is not stored and says so.
    gun = _measure(board, "gun-crime")
    assert gun.observation is None and gun.rag == "none" and "gun-crime" not in again


def test_a_reimport_that_changes_months_restores_and_rerates(
    sabo_data_dir: Path, tmp_path: Path
) -> None:
    import_files([TINY])
    dashboard_figures("Bromley", "2024-12", "mps", details=False)
    assert _knife().rag.status == "red"  # type: ignore[union-attr]
    # A later knife-crime file for 2024: every month of Bromley's knife crime revised
    # to 2, so 2024 is 24, level with 2023's 24: no worsening, so Green.
    with open(TINY, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    knife = [rows[0]] + [
        r
        for r in rows[1:]
        if r[0].startswith("2024") and r[5] == "Knife Crime" and r[1] == "Borough"
    ]
    for r in knife:
        if r[2] == "Bromley" and r[6:8] == ["Knife Crime", "Offences"]:
            r[10] = "2"
    path = tmp_path / "knife-2024.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(knife)
    second = import_files([path]).data_import
    board, stored = dashboard_figures("Bromley", "2024-12", "mps", details=False)
    obs = _knife()
    assert (obs.value, obs.comparators["previous_period"]) == (24, 24)
    assert obs.rag.status == "green" and obs.rag_rule == "lower-is-better@1"  # type: ignore[union-attr]
    assert str(second.pk) in obs.comparators["imports"].split(",")
    assert _measure(board, "knife-crime").rag == "green"
    assert [e.status for e in rag_history(obs)] == ["red", "green"]
    # Hate crime's year did not change: stored once, rated once.
    assert len(rag_history(stored["hate-crime"])) == 1


def test_force_and_region_windows_are_stored(sabo_data_dir: Path) -> None:
    import_files(CITY_2024_2025)
    board, stored = dashboard_figures("city-of-london", "2025-12", "police-uk", details=False)
    assert board.area.kind == "force" and stored
    area = Area.objects.get(code="city-of-london")
    assert area.kind == "force" and area.name == board.area.name
    assert {o.area_id for o in stored.values()} == {area.pk}
    assert all(o.rag is not None for o in stored.values())
    import_files([TINY])
    london, stored = dashboard_figures("London", "2024-12", "mps", details=False)
    region = Area.objects.get(code=london.area.code)
    assert region.kind == "region" and stored["knife-crime"].area == region
    # Bromley 43 + Bexley 12 + the Met's unallocated row (7 in 2024-02).
    assert stored["knife-crime"].value == 43 + 12 + 7


def test_a_judgement_rule_measure_shows_the_judgement(sabo_data_dir: Path, make_user) -> None:
    import_files([TINY])
    rule = RagRule.objects.create(slug="judged", name="Judged by the board")
    RagRuleVersion.objects.create(rule=rule, version=1, kind="manual")
    Measure.objects.filter(source_kind="mps", slug="knife-crime").update(rag_rule=rule)
    board, stored = dashboard_figures("Bromley", "2024-12", "mps", details=False)
    assert stored["knife-crime"].rag is None  # no automatic rating
    assert _measure(board, "knife-crime").rag == "none"
    start, end = window_period(board)
    set_judgement(
        Measure.objects.get(source_kind="mps", slug="knife-crime"),
        RagAssessment("amber", "green", reason="More reporting is the aim"),
        actor=make_user(Role.COORDINATOR),
        period=Period(Area.objects.get(code="E09000006"), start, end),
    )
    knife = _measure(
        dashboard_figures("Bromley", "2024-12", "mps", details=False)[0], "knife-crime"
    )
    assert knife.rating.label == "Amber/Green" and knife.rule == "judged@1"  # type: ignore[union-attr]
    data = knife.as_json()
    assert (data["rag"], data["rag_second"], data["rag_reason"]) == (
        "amber", "green", "More reporting is the aim",
    )  # fmt: skip


def test_a_new_rule_version_shows_only_after_rerating(demo, client, make_user) -> None:
    """On the demo: Bromley's theft of motor vehicles, 1,479 against 1,418 (+4.3%), is
    Amber under lower-is-better@1 (Amber up to 10%). Version 2 makes Amber stop at 2%,
    which would make it Red; the dashboard keeps showing Amber (@1) until a re-rating."""
    slug, query = "theft-of-motor-vehicles", {"area": "E09000006", "to": "2026-02", "source": "mps"}
    client.force_login(make_user(Role.ANALYST))
    stored = Observation.objects.get(measure__source_kind="mps", measure__slug=slug,
                                     area__code="E09000006", period_end="2026-02-28")  # fmt: skip
    assert (stored.value, stored.rag_status, stored.rag_rule) == (
        1479,
        "amber",
        "lower-is-better@1",
    )
    before = stored.computed_at

    def shown() -> tuple[tuple[str, str], tuple[str, str]]:
        page = _measure(client.get("/crime/", query).context["board"], slug)
        data = _cli("E09000006", "2026-02")[slug]
        return (page.rag, page.rule), (data["rag"], data["rule"])

    # The demo stored the window; showing it stores nothing again.
    assert shown() == (("amber", "lower-is-better@1"),) * 2
    assert Observation.objects.get(pk=stored.pk).computed_at == before
    rule = RagRule.objects.get(slug="lower-is-better")
    RagRuleVersion.objects.create(
        rule=rule, version=2, kind="lower_is_better", green_max_pct=Decimal(0),
        amber_max_pct=Decimal(2),
    )  # fmt: skip
    assert shown() == (("amber", "lower-is-better@1"),) * 2
    rerate(Measure.objects.get(source_kind="mps", slug=slug), actor=None)
    assert shown() == (("red", "lower-is-better@2"),) * 2
    history = RagEntry.objects.filter(object_id=stored.pk, content_type__model="observation")
    assert [(e.status, e.rule) for e in history.order_by("pk")] == [
        ("amber", "lower-is-better@1"),
        ("red", "lower-is-better@2"),
    ]
