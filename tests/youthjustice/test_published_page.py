"""The page: local beside published, the synthetic-comparator warning, custody snapshot,
and children cautioned or sentenced against its real published comparators."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from saferboard.core.models import Role
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.custody import in_custody_on
from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.published import import_publication
from tests.youthjustice.conftest import SMALL_EXPORT

PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice" / "data"


def test_custody_snapshot_by_hand() -> None:
    d = date
    rows = [
        (1, "detention_and_training_order", d(2023, 1, 10), d(2023, 6, 1)),  # in, then out
        (2, "section_250_detention", d(2023, 3, 1), None),  # still in custody
        (3, "fine", d(2023, 2, 1), None),  # not custodial
        (4, "other_custody", d(2023, 5, 1), d(2023, 5, 2)),  # after the day
        (1, "other_custody", d(2023, 2, 1), None),  # the same child twice counts once
    ]
    assert in_custody_on(rows, d(2023, 4, 1)) == {1, 2}
    assert in_custody_on(rows, d(2023, 1, 9)) == set()
    # Released on 1 June from one sentence, child 1 is still held by the second.
    assert in_custody_on(rows, d(2023, 6, 1)) == {1, 2}
    assert in_custody_on(rows[:4], d(2023, 6, 1)) == {2}  # released on the day: out


def test_cautioned_sentenced_comparators_are_the_real_published_rates() -> None:
    """The shipped file holds the published rates per 10,000 (Trafford Data Lab's table of
    YJB figures): Bromley 69 in 2014/15, England 74 (by hand from the source file)."""
    lines = (PACKAGE_DATA / "cautioned_sentenced_cssn.csv").read_text().splitlines()
    assert "Bromley,2014-04-01,2015-03-31,cautioned_sentenced_rate_per_10k,69" in lines
    assert "England,2014-04-01,2015-03-31,cautioned_sentenced_rate_per_10k,74" in lines
    assert len(lines) == 122


@pytest.mark.django_db
def test_page_shows_local_beside_published_and_warns_of_synthetic_comparators(
    client, make_user
) -> None:
    import_export(read_folder(SMALL_EXPORT))
    import_benchmark((PACKAGE_DATA / "peer_groups.csv").read_bytes(), "peer_groups.csv")
    from saferboard.youthjustice.models import PeerGroup, Service

    PeerGroup.objects.get(slug="london").members.add(Service.objects.get(name="Testborough"))
    import_publication(
        b"service,period_from,period_to,measure,value\n"
        b"Testborough,2022-04-01,2023-03-31,fte_rate_per_100k,17.5\n"
        b"Bexley,2022-04-01,2023-03-31,fte_rate_per_100k,10\n",
        "yjb.csv",
        published_on=date(2024, 1, 25),
    )
    client.force_login(make_user(Role.ANALYST))
    html = client.get(reverse("youthjustice:index")).content.decode()
    assert "Local and published figures" in html
    assert "17.50" in html and "Published, 25 Jan 2024" in html
    assert "ranked 2nd of 2 in London (published figures)" in html
    assert "Some comparator figures below are synthetic" not in html
    assert "Children in custody on a date" in html
    # Synthetic comparators (the demo's file name marks them): warned on the page.
    import_benchmark(
        b"service,period_from,period_to,measure,value\n"
        b"Croydon,2022-04-01,2023-03-31,fte_rate_per_100k,30\n",
        "synthetic_comparators.csv",
    )
    html = client.get(reverse("youthjustice:index")).content.decode()
    assert "Some comparator figures below are synthetic" in html
    from saferboard.measures.models import Observation

    obs = Observation.objects.get(
        measure__slug="fte_rate_per_100k", period_start="2022-04-01", period_end="2023-03-31"
    )
    assert obs.comparators["comparators_synthetic"] is True


@pytest.mark.django_db
def test_pack_table_shows_local_beside_published() -> None:
    from saferboard.measures.models import Observation
    from saferboard.youthjustice.published import pack_table

    import_export(read_folder(SMALL_EXPORT))
    import_publication(
        b"service,period_from,period_to,measure,value\n"
        b"Testborough,2022-04-01,2023-03-31,fte_rate_per_100k,17.5\n",
        "yjb.csv",
        published_on=date(2024, 1, 25),
    )
    observations = list(
        Observation.objects.filter(
            measure__slug="fte_rate_per_100k", period_start="2022-04-01", period_end="2023-03-31"
        ).select_related("measure")
    )
    table = pack_table(observations)
    assert table is not None and table.synthetic_warning == ""
    ((label, local, published, source),) = table.rows
    assert label == "First time entrants per 100,000 aged 10-17"
    assert (published, source) == ("17.50", "Published, 25 Jan 2024")
    # 4 entrants in a 10-17 population of 25,080 (the small export's 2022 estimate).
    assert local == f"{4 * 100000 / 25080:,.2f}" == "15.95"


@pytest.mark.django_db
def test_demo_page_warns_that_its_comparators_are_synthetic(client, make_user, demo) -> None:
    client.force_login(make_user(Role.ANALYST))
    html = client.get(reverse("youthjustice:index"), {"service": "Bromley"}).content.decode()
    assert "Local and published figures" in html
    # The demo's FTE, reoffending and custody comparators are made up: warned and marked.
    assert "Some comparator figures below are synthetic" in html
    assert "Synthetic comparator" in html
    # Children cautioned or sentenced is compared with real published rates (Trafford
    # Data Lab's copy of the YJB figures): Bromley's published 2023/24 rate is 14.
    assert "14.00" in html
