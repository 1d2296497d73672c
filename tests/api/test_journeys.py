"""API journeys: a police extract pushed for a month, read back through the API and seen
on the measure's page; a partner return submitted and corrected through the API."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Area, AreaKind, Role
from saferboard.measures.models import Measure, Observation, SourceKind
from saferboard.returns.models import Submission
from tests.api.conftest import ApiClient

WARDS = [("E05000104", "Bickley"), ("E05000105", "Biggin Hill"), ("E05000106", "Bromley Common")]


@pytest.fixture
def burglary(db):
    borough = Area.objects.create(code="E09000006", name="Bromley", kind=AreaKind.LOCAL_AUTHORITY)
    for code, name in WARDS:
        Area.objects.create(code=code, name=name, kind=AreaKind.WARD, parent=borough)
    return Measure.objects.create(
        source_kind=SourceKind.POLICE_UK,
        slug="residential-burglary",
        label="Residential burglary",
    )


def test_push_a_month_read_it_back_and_see_it_on_the_measure_page(
    token_for, burglary, client, make_user
) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    figures = {"E05000104": 7, "E05000105": 3, "E05000106": 11}
    for code, value in figures.items():
        response = police.post(
            "/api/measures/police-uk/residential-burglary/observations",
            {
                "area_code": code,
                "label": f"Police extract 2025-01 {code}",
                "data_as_at": "2025-02-04",
                "observations": [{"period": "2025-01", "value": value}],
            },
        )
        assert response.status_code == 201, response.json()

    analyst = token_for(Role.ANALYST, org="council")
    body = analyst.get(
        "/api/observations", measure="residential-burglary", source="police-uk", period="2025-01"
    ).json()
    assert {i["area_code"]: i["value"] for i in body["items"]} == figures
    assert {i["data_as_at"] for i in body["items"]} == {"2025-02-04"}
    assert all(i["source_label"].startswith("Police extract 2025-01") for i in body["items"])

    client.force_login(make_user(Role.BOARD_MEMBER))
    page = client.get("/measures/police-uk/residential-burglary/").content.decode()
    for _, name in WARDS:
        assert name in page
    assert "Police extract 2025-01 E05000106" in page
    assert ">11<" in page


def test_a_month_pushed_again_replaces_not_duplicates(token_for, burglary) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    for value in (5, 6):
        police.post(
            "/api/measures/police-uk/residential-burglary/observations",
            {"area_code": "E05000104", "observations": [{"period": "2025-01", "value": value}]},
        )
    assert list(Observation.objects.values_list("value", flat=True)) == [6]


def test_partner_return_through_the_api(make_user, db) -> None:
    from saferboard.api.tokens import create_token
    from tests.returns.factories import make_template

    template = make_template(first=date(2024, 4, 1))
    lead = make_user(Role.PARTNER_LEAD, organisation=template.organisation)
    client = ApiClient(create_token(lead, scope="write").key)
    templates = client.get("/api/returns/templates").json()
    assert [t["slug"] for t in templates] == [template.slug]
    assert [m["measure"] for m in templates[0]["measures"]] == [
        "victim-referrals",
        "victims-offered-rj",
        "call-blockers-installed",
    ]
    path = f"/api/returns/templates/{template.slug}/submissions"
    body = {
        "period": "2025-01",
        "values": [
            {"measure": "victim-referrals", "value": 30},
            {"measure": "victims-offered-rj", "value": 4},
        ],
    }
    accepted = client.post(path, body)
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["version"] == 1
    refused = client.post(
        path, {**body, "values": [{"measure": "victim-referrals", "value": 31.5}]}
    )
    assert refused.status_code == 422
    details = refused.json()["error"]["details"]
    assert {
        "measure": "victim-referrals",
        "field": "value",
        "message": "Victim referrals must be a whole number",
    } in details
    corrected = client.post(path, {**body, "reason": "Two late referrals"})
    assert corrected.status_code == 201
    assert corrected.json()["version"] == 2
    assert Submission.objects.count() == 2
    latest = Submission.objects.current().get()
    assert latest.reason == "Two late referrals"
    assert latest.channel == "api"
    assert latest.data_import.files[0]["name"] == "request body"
    assert client.post(path, {**body, "period": "FY2024-25 Q3"}).status_code == 422
    unknown = client.post(
        path, {"period": "2025-02", "values": [{"measure": "arrests", "value": 1}]}
    )
    assert unknown.json()["error"]["details"] == {"unknown_measures": ["arrests"]}
