"""Issue 19 (youth justice): every rendering reads the stored, rated observations.

By hand, Ratetown (8,000 children aged 10-17 each year: 1,000 at each age):
first time entrants 2 in 2021-22 and 3 in 2022-23, so 25.00 and 37.50 per 100,000.
+50.0% on the year before is Red under lower-is-better@1 (Green up to 0% worse, Amber
up to 10%); under higher-is-better it is Green, but only once someone re-rates.
Published 2022-23 figures in London: Bexley 10, Croydon 50; so Ratetown ranks 2nd of 3.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferboard.core.models import RagEntry, Role
from saferboard.measures.models import Measure, Observation, SourceKind
from saferboard.measures.rating import rerate
from saferboard.measures.standard import ensure_standard_rules
from saferboard.youthjustice import engine, observations
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.models import PeerGroup, Service
from saferboard.youthjustice.report import build_report
from tests.youthjustice.conftest import SMALL_EXPORT

pytestmark = pytest.mark.django_db
PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice" / "data"
# (child, date of birth, outcome date, outcome type)
OUTCOMES = [
    ("R-1", "2008-01-01", "2021-04-01", "youth_caution"),
    ("R-2", "2008-01-01", "2021-10-01", "youth_caution"),
    ("R-3", "2008-01-01", "2022-05-02", "youth_caution"),
    ("R-4", "2008-01-01", "2022-09-01", "youth_caution"),
    ("R-5", "2008-01-01", "2023-01-10", "youth_caution"),
    ("R-6", "2008-01-01", "2023-04-03", "no_further_action"),  # the data run to here
]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def ratetown_export() -> dict[str, bytes]:
    return {
        "children.csv": _csv(
            ["child_id", "date_of_birth", "sex", "ethnicity", "service", "looked_after"],
            [[c, dob, "Male", "White", "Ratetown", "false"] for c, dob, _, _ in OUTCOMES],
        ),
        "outcomes.csv": _csv(
            ["outcome_id", "child_id", "outcome_date", "outcome_type", "release_date"],
            [[f"O-{i}", c, day, kind, ""] for i, (c, _, day, kind) in enumerate(OUTCOMES)],
        ),
        "offences.csv": _csv(
            ["offence_id", "child_id", "offence_date", "offence_type", "is_breach", "outcome_id"],
            [
                [f"F-{i}", c, day, "Theft and handling", "false", f"O-{i}"]
                for i, (c, _, day, _) in enumerate(OUTCOMES)
            ],
        ),
        "population.csv": _csv(
            ["service", "year", "age", "count"],
            [["Ratetown", y, a, 1000] for y in (2021, 2022, 2023) for a in range(10, 18)],
        ),
        "population_ethnicity.csv": _csv(
            ["service", "year", "ethnicity", "count"],
            [["Ratetown", y, "White", 8000] for y in (2021, 2022, 2023)],
        ),
    }


@pytest.fixture
def ratetown() -> Service:
    import_export(ratetown_export())
    import_benchmark((PACKAGE_DATA / "peer_groups.csv").read_bytes(), "peer_groups.csv")
    PeerGroup.objects.get(slug="london").members.add(Service.objects.get(name="Ratetown"))
    import_benchmark(  # stores the figures again, now with comparators and ranks
        b"service,period_from,period_to,measure,value\n"
        b"Bexley,2022-04-01,2023-03-31,fte_rate_per_100k,10\n"
        b"Croydon,2022-04-01,2023-03-31,fte_rate_per_100k,50\n",
        "figures.csv",
    )
    return Service.objects.select_related("area", "last_import").get(name="Ratetown")


def fte_rate(service: Service, start: str, end: str) -> Observation:
    return Observation.objects.get(
        measure__source_kind=SourceKind.YOUTH_JUSTICE,
        measure__slug="fte_rate_per_100k",
        area=service.area,
        period_start=start,
        period_end=end,
    )


def yj(*args: str) -> str:
    out = StringIO()
    call_command("yj", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def kpis_json(start: str, end: str, *more: str) -> dict:
    return json.loads(
        yj("kpis", "--service", "Ratetown", "--from", start, "--to", end, "--json", *more)
    )


def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the engine ran")

    monkeypatch.setattr(observations, "kpi_table", fail)


def count_engine(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = observations.kpi_table

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(observations, "kpi_table", counting)
    return calls


def test_stored_figure_is_rated_when_stored(ratetown: Service) -> None:
    obs = fte_rate(ratetown, "2022-04-01", "2023-03-31")
    assert (obs.value, obs.numerator, obs.denominator) == (37.5, 3, 8000)
    assert obs.comparators["previous_period"] == 25.0
    assert (obs.rag_status, obs.rag_rule) == ("red", "lower-is-better@1")
    assert obs.rag_reason.startswith("+50.0% on the previous period")
    # Issue 21: not ranked among the others' published figures (sources never mix).
    assert (obs.rank, obs.peer_group_size, obs.comparators.get("london_rank")) == (None, None, None)
    # The first year has no year before it in the records: nothing to rate it against.
    assert fte_rate(ratetown, "2021-04-01", "2022-03-31").rag_status == ""


def test_page_cli_and_export_show_the_stored_value_and_rating(
    client, make_user, ratetown: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_engine(monkeypatch)  # all of it was stored by the imports
    client.force_login(make_user(Role.COORDINATOR))
    html = client.get(reverse("youthjustice:index"), {"service": "Ratetown"}).content.decode()
    assert "37.50" in html and "25.00" in html
    assert "govuk-tag--red" in html and "+50.0% on the previous period" in html
    assert "Rule lower-is-better@1" in html
    assert "ranked 2nd of 3 in London" not in html  # issue 21: sources never mix

    doc = kpis_json("2022-04-01", "2023-03-31", "--cohort", "3m")
    assert (doc["fte"]["count"], doc["fte"]["rate_per_100k"]) == (3, 37.5)
    rating = doc["ratings"]["fte_rate_per_100k"]
    assert (rating["rag"], rating["rule"], rating["rank"], rating["of"]) == (
        "Red",
        "lower-is-better@1",
        None,
        None,
    )
    assert rating["rag_reason"].startswith("+50.0% on the previous period")

    response = client.get(
        reverse("youthjustice:download", args=["kpis", "csv"]), {"service": "Ratetown"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    year = next(r for r in rows if r["Period"] == "2022-23")
    label = Measure.objects.get(slug="fte_rate_per_100k").label
    assert float(year[label]) == 37.5
    assert (year[f"{label}: RAG"], year[f"{label}: Rule"]) == ("Red", "lower-is-better@1")
    assert year[f"{label}: Rank"] == ""


def test_a_warm_page_computes_and_writes_nothing(
    client, make_user, ratetown: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(make_user(Role.ANALYST))
    calls = count_engine(monkeypatch)
    entries = RagEntry.objects.count()
    # The 12m method was never asked for: computed and stored once, on the first request.
    query = {"service": "Ratetown", "cohort": "12m"}
    assert client.get(reverse("youthjustice:index"), query).status_code == 200
    assert len(calls) == 1
    stored = Observation.objects.filter(measure__slug="binary_rate_pct_12m").count()
    assert stored == 2 + 8  # two years and eight quarters
    computed_at = set(Observation.objects.values_list("computed_at", flat=True))
    entries = RagEntry.objects.count()
    for _ in range(2):
        assert client.get(reverse("youthjustice:index"), query).status_code == 200
        assert client.get(reverse("youthjustice:index"), {"service": "Ratetown"}).status_code == 200
    assert len(calls) == 1
    assert set(Observation.objects.values_list("computed_at", flat=True)) == computed_at
    assert RagEntry.objects.count() == entries


def test_a_window_not_stored_is_stored_on_demand_then_read(
    ratetown: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = {"period_start": date(2022, 5, 1), "period_end": date(2022, 10, 31)}
    assert not Observation.objects.filter(**window).exists()
    doc = kpis_json("2022-05-01", "2022-10-31")  # 12m by default
    assert doc["fte"]["count"] == 2
    # Stored, with the same window a year before as its previous period: +100%.
    obs = fte_rate(ratetown, "2022-05-01", "2022-10-31")
    assert (obs.value, obs.comparators["previous_period"]) == (25.0, 12.5)
    assert (obs.rag_status, obs.rag_rule) == ("red", "lower-is-better@1")
    assert doc["ratings"]["fte_rate_per_100k"]["rag"] == "Red"
    no_engine(monkeypatch)
    assert kpis_json("2022-05-01", "2022-10-31") == doc


def test_a_stored_window_follows_a_reimport(ratetown: Service) -> None:
    kpis_json("2022-05-01", "2022-10-31")
    files = ratetown_export()
    files["outcomes.csv"] = files["outcomes.csv"].replace(
        b"R-4,2022-09-01,youth_caution", b"R-4,2022-09-01,no_further_action"
    )
    import_export(files)
    # Recomputed with the rest by the import: one first time entrant now.
    assert fte_rate(ratetown, "2022-05-01", "2022-10-31").numerator == 1


def test_a_rule_change_applies_only_when_rerated(client, make_user, ratetown: Service) -> None:
    measure = Measure.objects.get(slug="fte_rate_per_100k")
    measure.rag_rule = ensure_standard_rules()["higher-is-better"]
    measure.save()
    client.force_login(make_user(Role.COORDINATOR))
    # Neither a page nor a new import of the same records re-rates a stored figure.
    import_export(ratetown_export())
    html = client.get(reverse("youthjustice:index"), {"service": "Ratetown"}).content.decode()
    assert "Rule lower-is-better@1" in html and "higher-is-better" not in html
    assert Measure.objects.get(pk=measure.pk).rag_rule.slug == "higher-is-better"

    rerate(measure, actor=None)
    obs = fte_rate(ratetown, "2022-04-01", "2023-03-31")
    assert (obs.rag_status, obs.rag_rule) == ("green", "higher-is-better@1")
    html = client.get(reverse("youthjustice:index"), {"service": "Ratetown"}).content.decode()
    assert "Rule higher-is-better@1" in html


def test_the_tracker_is_the_stored_quarters_followed_to_the_data() -> None:
    import_export(read_folder(SMALL_EXPORT))
    service = Service.objects.select_related("area", "last_import").get(name="Testborough")
    report = build_report(service)
    assert report.tracker
    data = observations.case_data([service.name])
    for row in report.tracker:
        followed = engine.tracker(
            data, service.name, row.period.start, row.period.end, service.data_to, "3m"
        )
        assert (
            row.cells["cohort"].value,
            row.cells["reoffenders"].value,
            row.cells["reoffences"].value,
        ) == (followed.cohort, followed.reoffenders, followed.reoffences)


def test_labels_come_from_the_catalogue(client, make_user, ratetown: Service) -> None:
    Measure.objects.filter(slug="fte_rate_per_100k").update(label="New entrants (per 100k)")
    client.force_login(make_user(Role.COORDINATOR))
    html = client.get(reverse("youthjustice:index"), {"service": "Ratetown"}).content.decode()
    assert "New entrants (per 100k)" in html


def test_the_demo_stores_rated_youth_justice_figures(demo) -> None:  # type: ignore[no-untyped-def]
    found = Observation.objects.filter(
        measure__source_kind=SourceKind.YOUTH_JUSTICE, measure__rag_rule__isnull=False
    )
    rated = found.exclude(rag_status="")
    assert rated.exists()
    assert all(r.startswith("lower-is-better@") for r in rated.values_list("rag_rule", flat=True))
    # Every figure with a value and a year before it is rated; the rest are not.
    for obs in found:
        comparable = obs.value is not None and obs.comparators.get("previous_period") is not None
        assert bool(obs.rag_status) == comparable, obs
