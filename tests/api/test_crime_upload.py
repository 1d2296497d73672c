"""Uploading a police.uk file through the API (the crime app's importer does the work)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from saferboard.core.models import AuditEvent, OrganisationType, Role

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)
ROW = (
    "{id},2019-01,Metropolitan Police Service,Metropolitan Police Service,0.036486,51.439599,"
    "On or near Cedar Mount,E01000779,Bromley 001A,Burglary,Under investigation,\n"
)


def upload(client, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.client.post(
        "/api/crime/police-uk",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        headers={"Authorization": f"Bearer {client.key}"},
    )


def test_police_token_imports_a_street_file(token_for) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    content = (HEADER + ROW.format(id="a" * 64) + ROW.format(id="b" * 64)).encode()
    response = upload(police, "2019-01-metropolitan-street.csv", content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rows"] == 2
    assert body["months"] == ["2019-01"]
    event = AuditEvent.objects.filter(detail__via="api", detail__format="police-uk").get()
    assert event.actor == police.user


def test_broken_file_is_rejected_with_its_location(token_for) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    content = (HEADER + ROW.format(id="a" * 64).replace("2019-01", "2019-13")).encode()
    response = upload(police, "2019-01-metropolitan-street.csv", content)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_rejected"
    assert error["details"]["row"] == 2
    assert error["details"]["column"] == "Month"


def test_only_crime_writers_may_upload(token_for) -> None:
    yos = token_for(
        Role.PARTNER_LEAD, org="yos", kind=OrganisationType.YOUTH_JUSTICE, scope="write"
    )
    assert upload(yos, "x.csv", HEADER.encode()).status_code == 403
    police = token_for(Role.PARTNER_LEAD, scope="read")
    assert upload(police, "x.csv", HEADER.encode()).status_code == 403
    writer = token_for(Role.PARTNER_LEAD, scope="write")
    assert upload(writer, "x.txt", b"hello").status_code == 422
