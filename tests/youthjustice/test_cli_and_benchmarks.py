"""The `saferboard yj` command contract, benchmarks, peer groups and ranks."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from saferboard.core.formats import ordinal
from saferboard.measures.models import Observation
from saferboard.youthjustice.comparators import competition_ranks
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup
from tests.youthjustice.conftest import SMALL_EXPORT

pytestmark = pytest.mark.django_db
PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice" / "data"


def yj(*args: str) -> str:
    out = StringIO()
    call_command("yj", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_then_kpis_json_is_the_contract_hand_computed() -> None:
    assert "Imported youth justice case records for Testborough" in yj("import", str(SMALL_EXPORT))
    doc = json.loads(
        yj(
            "kpis",
            "--service",
            "Testborough",
            "--from",
            "2022-04-01",
            "--to",
            "2023-03-31",
            "--json",
        )
    )
    population = sum(3000 + 10 * age for age in range(10, 18))  # 2023 estimate: 25,080
    # The stored rating of each rated measure (no year before: nothing to compare with).
    ratings = doc.pop("ratings")
    assert set(ratings) == {
        "fte_rate_per_100k",
        "binary_rate_pct_12m",
        "frequency_rate_12m",
        "custody_rate_per_1000",
        "cautioned_sentenced_rate_per_10k",
    }
    assert ratings["fte_rate_per_100k"]["value"] == 4 * 100000 / population
    assert doc == {
        "service": "Testborough",
        "from": "2022-04-01",
        "to": "2023-03-31",
        "fte": {
            "count": 4,
            "population_10_17": population,
            "rate_per_100k": 4 * 100000 / population,
        },
        "custody": {"count": 1, "rate_per_1000": 1 * 1000 / population},
        "reoffending": {
            "cohort_kind": "12m",
            "cohort": 4,
            "reoffenders": 2,
            "reoffences": 2,
            "binary_rate_pct": 50.0,
            "frequency_rate": 0.5,
            "reoffences_per_reoffender": 1.0,
            "provisional": True,
            "data_to": "2023-04-03",
        },
    }
    three = json.loads(
        yj(
            "kpis",
            "--service",
            "Testborough",
            "--from",
            "2022-04-01",
            "--to",
            "2023-03-31",
            "--cohort",
            "3m",
            "--json",
        )
    )
    reo = three["reoffending"]
    assert (reo["cohort_kind"], reo["cohort"], reo["reoffenders"], reo["reoffences"]) == (
        "3m",
        6,
        2,
        2,
    )


def test_kpis_human_form_and_errors() -> None:
    yj("import", str(SMALL_EXPORT))
    text = yj("kpis", "--service", "testborough", "--from", "2022-04-01", "--to", "2023-03-31")
    assert "First time entrants: 4" in text and "provisional" in text
    with pytest.raises(CommandError, match="no case records"):
        yj("kpis", "--service", "Nowhere", "--from", "2022-04-01", "--to", "2023-03-31")
    with pytest.raises(CommandError, match="whole quarters"):
        yj(
            "kpis",
            "--service",
            "Testborough",
            "--from",
            "2022-04-02",
            "--to",
            "2023-03-31",
            "--cohort",
            "3m",
        )


def test_import_failure_reports_located_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in SMALL_EXPORT.iterdir():
        (bad / path.name).write_text(path.read_text().replace("fine", "telling_off"))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("yj", "import", str(bad), stdout=StringIO(), stderr=err)
    assert "outcomes.csv, row 8, column outcome_type" in err.getvalue()


def test_ranks_share_ties_and_skip() -> None:
    assert competition_ranks([("A", 3.0), ("B", 1.0), ("C", 3.0), ("D", 5.0)]) == [
        ("B", 1.0, 1),
        ("A", 3.0, 2),
        ("C", 3.0, 2),
        ("D", 5.0, 4),
    ]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 18, 21, 22, 42, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "18th",
        "21st",
        "22nd",
        "42nd",
        "101st",
        "111th",
    ]


def test_benchmark_import_and_rank_of_real_published_figures() -> None:
    assert "peer groups" in yj("benchmark", "import", str(PACKAGE_DATA / "peer_groups.csv"))
    assert PeerGroup.objects.get(slug="london").members.count() == 31  # services (issue 21)
    out = yj("benchmark", "import", str(PACKAGE_DATA / "cautioned_sentenced_cssn.csv"))
    assert "Imported 121 published figures" in out
    doc = json.loads(
        yj(
            "rank",
            "--measure",
            "cautioned_sentenced_rate_per_10k",
            "--from",
            "2023-04-01",
            "--to",
            "2024-03-31",
            "--peers",
            "statistical-neighbours",
            "--service",
            "Bromley",
            "--json",
        )
    )
    # Published 2023/24 rates per 10,000: Bromley 14 and Trafford 14 tie.
    by_service = {r["service"]: r for r in doc["ranks"]}
    assert by_service["Bromley"]["value"] == 14.0
    assert by_service["Bromley"]["rank"] == by_service["Trafford"]["rank"]
    assert doc["size"] == 10 and doc["without_value"] == ["Cheshire East"]
    assert (
        doc["sentence"]
        == f"ranked {ordinal(by_service['Bromley']['rank'])} of 10 among statistical neighbours"
    )
    assert [r["rank"] for r in doc["ranks"]] == sorted(r["rank"] for r in doc["ranks"])
    assert doc["ranks"][0]["rank"] == 1
    text = yj(
        "rank",
        "--measure",
        "cautioned_sentenced_rate_per_10k",
        "--from",
        "2023-04-01",
        "--to",
        "2024-03-31",
        "--peers",
        "statistical-neighbours",
        "--service",
        "Bromley",
    )
    assert "Bromley ranked" in text and "of 10 among statistical neighbours." in text


def test_rank_sentence_in_london(tmp_path: Path) -> None:
    yj("benchmark", "import", str(PACKAGE_DATA / "peer_groups.csv"))
    lines = ["service,period_from,period_to,measure,value"]
    london = PeerGroup.objects.get(slug="london").members.order_by("name")
    for i, service in enumerate(london):
        lines.append(f"{service.name},2023-04-01,2024-03-31,fte_rate_per_100k,{100 + i}")
    figures = tmp_path / "fte.csv"
    figures.write_text("\n".join(lines) + "\n")
    yj("benchmark", "import", str(figures))
    doc = json.loads(
        yj(
            "rank",
            "--measure",
            "fte_rate_per_100k",
            "--from",
            "2023-04-01",
            "--to",
            "2024-03-31",
            "--peers",
            "london",
            "--json",
        )
    )
    assert doc["size"] == 31  # London's 31 youth justice services (issue 21)
    bromley = next(r for r in doc["ranks"] if r["service"] == "Bromley")
    assert bromley["sentence"] == f"ranked {ordinal(bromley['rank'])} of 31 in London"


def test_benchmark_import_is_all_or_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "service,period_from,period_to,measure,value\n"
        "Bromley,2023-04-01,2024-03-31,fte_rate_per_100k,120\n"
        "Bexley,2023-04-01,2024-03-31,burglary,3\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("yj", "benchmark", "import", str(bad), stdout=StringIO(), stderr=err)
    assert "bad.csv, row 3, column measure" in err.getvalue()
    assert not BenchmarkFigure.objects.exists()


def test_observations_carry_comparators_and_rank(tmp_path: Path) -> None:
    yj("benchmark", "import", str(PACKAGE_DATA / "peer_groups.csv"))
    figures = tmp_path / "fte.csv"
    figures.write_text(
        "service,period_from,period_to,measure,value\n"
        "London,2022-04-01,2022-06-30,fte_rate_per_100k,20\n"
        "Bexley,2022-04-01,2022-06-30,fte_rate_per_100k,5\n"
        "Croydon,2022-04-01,2022-06-30,fte_rate_per_100k,50\n"
    )
    yj("benchmark", "import", str(figures))
    # Testborough joins London for this test.
    yj("import", str(SMALL_EXPORT))
    from saferboard.youthjustice.models import Service

    PeerGroup.objects.get(slug="london").members.add(Service.objects.get(name="Testborough"))
    from saferboard.youthjustice.observations import refresh_observations

    refresh_observations(["Testborough"])
    obs = Observation.objects.get(
        measure__slug="fte_rate_per_100k", period_start="2022-04-01", period_end="2022-06-30"
    )
    population = sum(3000 + 10 * age for age in range(10, 18))  # 2022 estimate
    assert obs.value == pytest.approx(3 * 100000 / population)  # 11.96
    assert obs.comparators["london"] == 20.0
    # Issue 21: the local figure is never ranked among published ones (no other service
    # has case records here, so it has no rank); the comparator value is still shown.
    assert (obs.rank, obs.peer_group_size, obs.peer_group) == (None, None, "")
    assert "london_rank" not in obs.comparators
    assert obs.comparators["comparators_synthetic"] is False


def test_higher_is_better_ranks_the_other_way(tmp_path: Path) -> None:
    """Issue 17: a measure whose catalogue direction is 'higher is better' ranks highest
    first. Hand-computed on four services (values 3, 1, 3, 5 with a tie): lower is better
    gives B 1, A 2, C 2, D 4; higher is better gives D 1, A 2, C 2, B 4."""
    from saferboard.measures.models import Direction, Measure
    from saferboard.youthjustice.benchmarks import rank
    from saferboard.youthjustice.comparators import comparisons
    from saferboard.youthjustice.models import Service
    from saferboard.youthjustice.observations import ensure_measures

    assert competition_ranks(
        [("A", 3.0), ("B", 1.0), ("C", 3.0), ("D", 5.0)], higher_is_better=True
    ) == [("D", 5.0, 1), ("A", 3.0, 2), ("C", 3.0, 2), ("B", 1.0, 4)]

    groups = tmp_path / "groups.csv"
    groups.write_text(
        "peer_group,peer_group_name,service\n"
        + "".join(f"four,Four services,{name}\n" for name in ("Anyton", "Beeham", "Ceeford", "Dee"))
    )
    yj("benchmark", "import", str(groups))
    figures = tmp_path / "figures.csv"
    figures.write_text(
        "service,period_from,period_to,measure,value\n"
        "Anyton,2023-04-01,2024-03-31,custody_rate_per_1000,3\n"
        "Beeham,2023-04-01,2024-03-31,custody_rate_per_1000,1\n"
        "Ceeford,2023-04-01,2024-03-31,custody_rate_per_1000,3\n"
        "Dee,2023-04-01,2024-03-31,custody_rate_per_1000,5\n"
    )
    yj("benchmark", "import", str(figures))
    start, end = date(2023, 4, 1), date(2024, 3, 31)

    ensure_measures()  # the catalogue: custody rate is lower is better
    lower = rank("custody_rate_per_1000", start, end, "four")
    assert [(e.service, e.rank) for e in lower.entries] == [
        ("Beeham", 1),
        ("Anyton", 2),
        ("Ceeford", 2),
        ("Dee", 4),
    ]
    assert lower.as_json()["direction"] == "lower is better"

    Measure.objects.filter(slug="custody_rate_per_1000").update(
        direction=Direction.HIGHER_IS_BETTER
    )
    higher = rank("custody_rate_per_1000", start, end, "four")
    assert [(e.service, e.rank) for e in higher.entries] == [
        ("Dee", 1),
        ("Anyton", 2),
        ("Ceeford", 2),
        ("Beeham", 4),
    ]
    assert higher.as_json()["direction"] == "higher is better"
    assert higher.sentence("Beeham") == "ranked 4th of 4 in Four services"

    # A service's own (local) value is never ranked among published figures (issue 21);
    # its published figure (1) ranks among the others' the same way: 4th of 4 when
    # higher is better, 1st when lower.
    beeham = Service.objects.get(name="Beeham")
    (found,) = comparisons(beeham, "custody_rate_per_1000", start, end, 4.0)
    assert (found.rank, found.published_rank, found.published_size) == (None, 4, 4)
    Measure.objects.filter(slug="custody_rate_per_1000").update(direction=Direction.LOWER_IS_BETTER)
    (found,) = comparisons(beeham, "custody_rate_per_1000", start, end, 4.0)
    assert (found.rank, found.published_rank, found.published_size) == (None, 1, 4)
