"""Published youth justice statistics: import, combined services, unmixed league tables."""

from __future__ import annotations

import io
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice.benchmarks import import_benchmark, rank
from saferboard.youthjustice.comparators import comparisons
from saferboard.youthjustice.importer import ImportFailed
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service
from saferboard.youthjustice.published import (
    combine,
    import_publication,
    parse_publication,
    published_figures,
    service_areas,
    service_population,
)

PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice" / "data"
ON = date(2026, 1, 29)


def rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.strip().splitlines()]


# --------------------------------------------------------------------------------------
# Services and combined services (pure)
# --------------------------------------------------------------------------------------


def test_london_has_31_services_for_33_authorities() -> None:
    london = service_areas()
    assert len(london) == 31
    assert sum(len(a) for a in london.values()) == 33
    assert london["Tower Hamlets and City of London"] == ("City of London", "Tower Hamlets")
    assert london["Kingston and Richmond"] == ("Kingston upon Thames", "Richmond upon Thames")
    groups = (PACKAGE_DATA / "peer_groups.csv").read_text().splitlines()
    members = {line.split(",")[2] for line in groups if line.endswith(",false")}
    assert {s for s in london} <= members


def test_combined_population_is_the_sum_of_its_boroughs() -> None:
    pops = {"Tower Hamlets": 28_000.0, "City of London": 500.0, "Bromley": 32_714.0}
    assert service_population("Tower Hamlets and City of London", pops) == 28_500.0
    assert service_population("Bromley", pops) == 32_714.0
    assert service_population("Kingston and Richmond", pops) is None


def test_combine_sums_counts_and_recomputes_rates_by_hand() -> None:
    figures = {
        "Tower Hamlets": {"fte_count": 30, "population_10_17": 28_000, "reoffending_cohort": 40,
                          "reoffenders": 12, "reoffences": 50, "binary_rate_pct": 30.0},
        "City of London": {"fte_count": 1, "population_10_17": 500, "reoffending_cohort": 2,
                           "reoffenders": 0, "reoffences": 0},
    }  # fmt: skip
    out, why = combine(figures, "Tower Hamlets and City of London")
    assert why == ""
    assert out is not None
    assert out["fte_count"] == 31 and out["population_10_17"] == 28_500
    # 12 of 42 reoffended: 28.571…%; 50 reoffences / 42 children = 1.190…
    assert out["binary_rate_pct"] == pytest.approx(100 * 12 / 42)
    # A rate given without its counts cannot be combined.
    rate_only = {"Tower Hamlets": {"fte_rate_per_100k": 100.0}, "City of London": {}}
    out, why = combine(rate_only, "Tower Hamlets and City of London")
    assert out is None and "without the fte_count and population_10_17" in why


def test_parse_wide_layout_with_mapping_combines_authorities() -> None:
    table = rows(
        """
YJS,From,To,FTEs,Population
Tower Hamlets,2023-04-01,2024-03-31,30,28000
City of London,2023-04-01,2024-03-31,1,500
Bromley,2023-04-01,2024-03-31,60,32714
"""
    )
    mapping = {
        "service": "YJS",
        "period_from": "From",
        "period_to": "To",
        "fte_count": "FTEs",
        "population_10_17": "Population",
    }
    figures = parse_publication(table, "pub.csv", mapping)
    got = {(f["service"], f["measure"]): f["value"] for f in figures}
    assert got[("Tower Hamlets and City of London", "fte_count")] == 31
    assert got[("Tower Hamlets and City of London", "population_10_17")] == 28_500
    assert ("Tower Hamlets", "fte_count") not in got
    assert got[("Bromley", "fte_count")] == 60


def test_bad_publication_is_refused_with_located_problems() -> None:
    table = rows(
        """
service,period_from,period_to,measure,value
Bromley,2023-04-01,2024-03-31,fte_rate_per_100k,120
Bexley,2023-04-01,2022-03-31,fte_rate_per_100k,90
Croydon,2023-04-01,2024-03-31,burglary,3
Lewisham,2023-04-01,2024-03-31,fte_rate_per_100k,-1
Bromley,2023-04-01,2024-03-31,fte_rate_per_100k,121
Tower Hamlets,2023-04-01,2024-03-31,fte_rate_per_100k,100
"""
    )
    with pytest.raises(ImportFailed) as failure:
        parse_publication(table, "pub.csv")
    assert [str(p) for p in failure.value.problems] == [
        "pub.csv, row 3, column period_to: is before period_from (value '2022-03-31')",
        "pub.csv, row 4, column measure: must be one of "
        + ", ".join(
            __import__("saferboard.youthjustice.published", fromlist=["x"]).PUBLISHED_MEASURES
        )
        + " (value 'burglary')",
        "pub.csv, row 5, column value: is not a number of 0 or more (value '-1')",
        "pub.csv, row 6, column value: repeats the figure of row 2 (value '121')",
        "pub.csv, row 7, column service: has no row for City of London, which Tower Hamlets "
        "and City of London also serves",
    ]
    with pytest.raises(ImportFailed) as failure:
        parse_publication(rows("area,when\nBromley,2023"), "pub.csv")
    assert str(failure.value.problems[0]) == (
        "pub.csv, row 1, column service: the column is missing from the header"
    )


@pytest.mark.django_db
def test_bad_file_changes_nothing() -> None:
    for content, name in (
        (b"\xff\xfe not text", "pub.csv"),
        (b"not a workbook", "pub.xlsx"),
        (
            b"service,period_from,period_to,measure,value\nBromley,x,2024-03-31,fte_count,1\n",
            "p.csv",
        ),
    ):
        with pytest.raises(ImportFailed):
            import_publication(content, name, published_on=ON)
    assert not BenchmarkFigure.objects.exists()
    assert not DataImport.objects.exists()


# --------------------------------------------------------------------------------------
# Stored, labelled, and ranked without mixing sources
# --------------------------------------------------------------------------------------


def _xlsx(table: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for r in table:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_spreadsheet_import_stores_published_figures_with_date_and_period() -> None:
    content = _xlsx(
        [
            ["service", "period_from", "period_to", "binary_rate_pct", "reoffending_cohort"],
            ["Bromley", date(2022, 4, 1), date(2023, 3, 31), 31.5, 200],
            ["Bexley", date(2022, 4, 1), date(2023, 3, 31), 28.0, None],
        ]
    )
    report = import_publication(content, "yjb.xlsx", published_on=ON)
    assert report.figures == 3 and report.services == ["Bexley", "Bromley"]
    data_import = report.data_import
    assert data_import.source_kind == SourceKind.PUBLISHED
    assert data_import.data_as_at == ON and data_import.detail["published_on"] == "2026-01-29"
    assert (data_import.period_start, data_import.period_end) == (
        date(2022, 4, 1),
        date(2023, 3, 31),
    )
    bromley = Service.objects.get(name="Bromley")
    shown = published_figures(bromley, ["binary_rate_pct"])
    figure = shown[(date(2022, 4, 1), date(2023, 3, 31), "binary_rate_pct")]
    assert figure.value == 31.5 and figure.label == "Published, 29 Jan 2026"
    assert not figure.synthetic


@pytest.mark.django_db
def test_league_tables_never_mix_sources() -> None:
    import_benchmark((PACKAGE_DATA / "peer_groups.csv").read_bytes(), "peer_groups.csv")
    import_publication(
        b"service,period_from,period_to,measure,value\n"
        b"Bromley,2023-04-01,2024-03-31,fte_rate_per_100k,120\n"
        b"Bexley,2023-04-01,2024-03-31,fte_rate_per_100k,90\n"
        b"Croydon,2023-04-01,2024-03-31,fte_rate_per_100k,150\n",
        "pub.csv",
        published_on=ON,
    )
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    table = rank("fte_rate_per_100k", start, end, "london")
    assert [(e.service, e.rank, e.source) for e in table.entries] == [
        ("Bexley", 1, "published"),
        ("Bromley", 2, "published"),
        ("Croydon", 3, "published"),
    ]
    assert table.as_json()["source"] == "published"
    assert table.as_json()["comparators_synthetic"] is False
    # No service has case records: the local table is empty, not filled with published.
    local = rank("fte_rate_per_100k", start, end, "london", source="local")
    assert local.entries == [] and "Bromley" in local.without_value
    # A local figure of Bromley's (say 10, best of all) is never ranked among published
    # figures; its published figure keeps its published rank.
    bromley = Service.objects.get(name="Bromley")
    groups = list(PeerGroup.objects.prefetch_related("members").select_related("aggregate"))
    found = {
        c.group_slug: c
        for c in comparisons(bromley, "fte_rate_per_100k", start, end, 10.0, groups, local={})
    }
    london = found["london"]
    assert (london.rank, london.sentence) == (None, None)
    assert (london.published_rank, london.published_size) == (2, 3)
    assert london.published_sentence == "ranked 2nd of 3 in London (published figures)"
    # Local against local: another service's local figure of 20 ranks Bromley's 10 first.
    croydon = Service.objects.get(name="Croydon")
    found = {
        c.group_slug: c
        for c in comparisons(
            bromley, "fte_rate_per_100k", start, end, 10.0, groups, local={croydon.pk: 20.0}
        )
    }
    assert (found["london"].rank, found["london"].size) == (1, 2)


@pytest.mark.django_db
def test_cli_published_and_rank_by_source(tmp_path: Path) -> None:
    call_command(
        "yj", "benchmark", "import", str(PACKAGE_DATA / "peer_groups.csv"), stdout=StringIO()
    )
    pub = tmp_path / "pub.csv"
    pub.write_text(
        "Area,Start,End,FTE rate\n"
        "Bromley,2023-04-01,2024-03-31,120\n"
        "Bexley,2023-04-01,2024-03-31,90\n"
    )
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps(
            {
                "service": "Area",
                "period_from": "Start",
                "period_to": "End",
                "fte_rate_per_100k": "FTE rate",
            }
        )
    )
    out = StringIO()
    call_command(
        "yj", "published", str(pub), "--published-on", "2026-01-29", "--mapping", str(mapping),
        stdout=out,
    )  # fmt: skip
    assert "Imported 2 published figures for 2 services (published 2026-01-29)" in out.getvalue()
    out = StringIO()
    call_command(
        "yj", "rank", "--measure", "fte_rate_per_100k", "--from", "2023-04-01",
        "--to", "2024-03-31", "--peers", "london", "--source", "published", "--json", stdout=out,
    )  # fmt: skip
    doc = json.loads(out.getvalue())
    assert doc["source"] == "published" and doc["size"] == 2
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "yj", "published", str(pub), "--published-on", "2026-01-29", stdout=StringIO(),
            stderr=err,
        )  # fmt: skip
    assert "pub.csv, row 1, column service: the column is missing from the header" in err.getvalue()
