"""What each token may read and write: organisation type, roles and scope."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import Area, AreaKind, OrganisationType, Role
from saferboard.measures.models import Measure, Observation, SourceKind
from saferboard.measures.services import ObservationValue, store_observations


@pytest.fixture
def data(db):
    area, _ = Area.objects.get_or_create(
        code="E09000006", defaults={"name": "Bromley", "kind": AreaKind.LOCAL_AUTHORITY}
    )
    panel = Measure.objects.create(
        source_kind=SourceKind.PARTNER_RETURN,
        slug="panel-exploitation-on-list",
        label="Exploitation panel: people on the list",
    )
    fte = Measure.objects.create(
        source_kind=SourceKind.YOUTH_JUSTICE, slug="fte-rate", label="First time entrants"
    )
    burglary = Measure.objects.create(
        source_kind=SourceKind.POLICE_UK, slug="burglary", label="Burglary"
    )
    for measure in (panel, fte, burglary):
        store_observations(
            measure, [ObservationValue(area.code, date(2025, 1, 1), date(2025, 1, 31), 9)]
        )
    return {"panel": panel, "fte": fte, "burglary": burglary, "area": area}


def batch(value: float = 12) -> dict:
    return {"area_code": "E09000006", "observations": [{"period": "2025-02", "value": value}]}


def test_police_token_cannot_read_panel_data(token_for, data) -> None:
    police = token_for(Role.PARTNER_LEAD)
    assert "panels:read" not in police.token.capabilities
    slugs = {m["slug"] for m in police.get("/api/measures").json()["items"]}
    assert slugs == {"fte-rate", "burglary"}
    missing = police.get("/api/measures/partner-return/panel-exploitation-on-list")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    observed = police.get("/api/observations", measure="panel-exploitation-on-list").json()
    assert observed["count"] == 0
    assert {o["measure"] for o in police.get("/api/observations").json()["items"]} == {
        "youth-justice/fte-rate",
        "police-uk/burglary",
    }
    # No route exposes panel cases at all, whoever asks.
    assert police.get("/api/panels").status_code == 404


def test_panel_member_token_reads_the_published_aggregates(token_for, data) -> None:
    panel = token_for(Role.PANEL_MEMBER, org="yos", kind=OrganisationType.YOUTH_JUSTICE)
    response = panel.get("/api/measures/partner-return/panel-exploitation-on-list")
    assert response.status_code == 200


def test_police_token_cannot_write_youth_justice_data(token_for, data) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    response = police.post("/api/measures/youth-justice/fte-rate/observations", batch())
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "This token may not write Youth justice case records measures",
        "details": {},
    }
    assert not Observation.objects.filter(measure=data["fte"], period_start="2025-02-01").exists()
    # It may write police figures.
    ok = police.post("/api/measures/police-uk/burglary/observations", batch())
    assert ok.status_code == 201, ok.json()


def test_youth_justice_token_writes_youth_justice_data(token_for, data) -> None:
    yos = token_for(
        Role.PARTNER_LEAD, org="yos", kind=OrganisationType.YOUTH_JUSTICE, scope="write"
    )
    response = yos.post("/api/measures/youth-justice/fte-rate/observations", batch(4))
    assert response.status_code == 201
    assert Observation.objects.get(measure=data["fte"], period_start="2025-02-01").value == 4
    assert yos.post("/api/measures/police-uk/burglary/observations", batch()).status_code == 403


def test_read_token_cannot_write(token_for, data) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="read")
    response = police.post("/api/measures/police-uk/burglary/observations", batch())
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This token can only read"
    assert (
        police.post(
            "/api/returns/templates/x/submissions", {"period": "2025-01", "values": []}
        ).status_code
        == 403
    )


def test_panel_aggregates_are_never_writable(token_for, data) -> None:
    admin = token_for(
        Role.ADMINISTRATOR, org="council", kind=OrganisationType.COUNCIL, scope="write"
    )
    response = admin.post(
        "/api/measures/partner-return/panel-exploitation-on-list/observations", batch()
    )
    assert response.status_code == 403
    assert "computed by Saferboard" in response.json()["error"]["message"]


def test_partner_return_measures_only_for_the_templates_organisation(token_for, db) -> None:
    from tests.returns.factories import make_template

    police = token_for(Role.PARTNER_LEAD, scope="write")
    make_template()  # Victim Support's template
    response = police.post("/api/measures/partner-return/victim-referrals/observations", batch())
    assert response.status_code == 403
    assert "not on a return template of Police" in response.json()["error"]["message"]
