"""GET /api/observations (issue 17): crime measures default to the partnership's
preferred crime source, and ``since``/``until`` take a day or a period key as
docs/api.md documents."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Area, AreaKind, Partnership, Role
from saferboard.measures.models import Measure, SourceKind
from saferboard.measures.services import ObservationValue, store_observations

pytestmark = pytest.mark.django_db
BROMLEY, CITY = "E09000006", "E09000001"


@pytest.fixture
def both_sources(db):  # type: ignore[no-untyped-def]
    """Burglary Jan-Dec 2024 for Bromley from both sources (police.uk m, the Met 100+m)
    and for the City of London from police.uk only (1000+m)."""
    for code, name in ((BROMLEY, "Bromley"), (CITY, "City of London")):
        Area.objects.create(code=code, name=name, kind=AreaKind.LOCAL_AUTHORITY)
    police_uk = Measure.objects.create(
        source_kind=SourceKind.POLICE_UK, slug="burglary", label="Burglary"
    )
    mps = Measure.objects.create(source_kind=SourceKind.MPS, slug="burglary", label="Burglary")
    other = Measure.objects.create(
        source_kind=SourceKind.PARTNER_RETURN, slug="referrals", label="Referrals"
    )

    def month(code: str, m: int, value: float) -> ObservationValue:
        return ObservationValue(code, date(2024, m, 1), date(2024, m, 28), value)

    store_observations(police_uk, [month(BROMLEY, m, m) for m in range(1, 13)])
    store_observations(police_uk, [month(CITY, m, 1000 + m) for m in range(1, 13)])
    store_observations(mps, [month(BROMLEY, m, 100 + m) for m in range(1, 13)])
    store_observations(other, [month(BROMLEY, m, 7) for m in range(1, 13)])


def _values(client, **params):  # type: ignore[no-untyped-def]
    body = client.get("/api/observations", page_size=500, **params).json()
    return [
        (i["measure"], i["area_code"], i["period_start"][:7], i["value"]) for i in body["items"]
    ]


def test_crime_observations_default_to_the_preferred_source(token_for, both_sources) -> None:
    client = token_for(Role.ANALYST)  # its organisation's partnership has no authority
    # The rule for a partnership with no local authority and no choice is police.uk:
    # Bromley's and the City's police.uk burglary (24) and the return (12), not the Met's.
    assert {r[0] for r in _values(client)} == {"police-uk/burglary", "partner-return/referrals"}
    assert len(_values(client)) == 36
    partnership = Partnership.objects.order_by("pk").get()
    partnership.local_authority = Area.objects.get(code=BROMLEY)
    partnership.save()
    # Bromley's rule gives the Met's recorded crime; non-crime measures are untouched.
    rows = _values(client, area=BROMLEY, period="2024-03")
    assert rows == [("mps/burglary", BROMLEY, "2024-03", 103.0),
                    ("partner-return/referrals", BROMLEY, "2024-03", 7.0)]  # fmt: skip
    # Without an area: the Met's burglary only (12), plus the return (12).
    assert {r[0] for r in _values(client)} == {"mps/burglary", "partner-return/referrals"}
    assert len(_values(client)) == 24
    # The City of London is not the Met's: its own source (police.uk) is used there.
    assert _values(client, area=CITY, period="2024-03") == [
        ("police-uk/burglary", CITY, "2024-03", 1003.0)
    ]
    # `source` still overrides.
    assert _values(client, area=BROMLEY, source="police-uk", period="2024-03") == [
        ("police-uk/burglary", BROMLEY, "2024-03", 3.0)
    ]
    # A partnership that chose police.uk gets police.uk for Bromley.
    Partnership.objects.filter(pk=partnership.pk).update(crime_source="police-uk")
    assert _values(client, area=BROMLEY, measure="burglary", period="2024-03") == [
        ("police-uk/burglary", BROMLEY, "2024-03", 3.0)
    ]


def test_since_and_until_take_a_day_or_a_period(token_for, both_sources) -> None:
    client = token_for(Role.ANALYST)
    query = {"area": BROMLEY, "source": "mps"}
    months = lambda **p: [r[2] for r in _values(client, **query, **p)]  # noqa: E731
    # A day: periods ending on or after it (Nov and Dec end on the 28th, on or after the 1st).
    assert months(since="2024-11-01") == ["2024-11", "2024-12"]
    assert months(since="2024-11-28") == ["2024-11", "2024-12"]
    assert months(since="2024-11-29") == ["2024-12"]
    # A month: from its first day; until a month: to its last day.
    assert months(since="2024-11") == ["2024-11", "2024-12"]
    assert months(until="2024-02") == ["2024-01", "2024-02"]
    assert months(since="2024-05", until="2024-07") == ["2024-05", "2024-06", "2024-07"]
    # A financial year or quarter: FY2024-25 Q3 is October to December.
    assert months(since="FY2024-25 Q3") == ["2024-10", "2024-11", "2024-12"]
    assert months(until="FY2023-24") == ["2024-01", "2024-02", "2024-03"]
    assert months(until="2024-03-15") == ["2024-01", "2024-02"]
    for bad in ("2024-13", "2024-02-30", "last month"):
        answer = client.get("/api/observations", since=bad)
        assert answer.status_code == 422, bad
        assert answer.json()["error"]["details"] == [{"location": ["since"]}]
