"""Uploading a police.uk file through the API (the crime app's importer does the work)."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from saferboard.api.tokens import create_token
from saferboard.core.models import AuditEvent, OrganisationType, Role
from saferboard.measures.models import DataImport
from tests.api.conftest import ApiClient

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


def queue_and_poll(client, name: str, content: bytes) -> dict:  # type: ignore[no-untyped-def]
    """Upload as a client does now (issue 22): 202 with the job's URL, then GET the job
    (the test settings run the task at once, so one read finds it finished)."""
    queued = upload(client, name, content)
    assert queued.status_code == 202, queued.json()
    body = queued.json()
    assert queued["Location"] == body["url"]
    assert body["url"].endswith(f"/api/crime/jobs/{body['job_id']}")
    job = client.get(body["url"])
    assert job.status_code == 200, job.json()
    return job.json()  # type: ignore[no-any-return]


def test_police_token_imports_a_street_file(token_for) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    content = (HEADER + ROW.format(id="a" * 64) + ROW.format(id="b" * 64)).encode()
    job = queue_and_poll(police, "2019-01-metropolitan-street.csv", content)
    assert job["status"] == "done"
    assert job["percent"] == 100
    assert job["files"] == ["2019-01-metropolitan-street.csv"]
    assert job["result"]["rows"] == 2
    assert job["result"]["months"] == ["2019-01"]
    assert job["error"] == "" and job["problems"] == []
    event = AuditEvent.objects.filter(detail__via="api", detail__format="police-uk").get()
    assert event.actor == police.user
    assert event.detail["job"] == job["job_id"]
    # The job made the import it reports, by the token's user.
    imported = DataImport.objects.get(pk=job["result"]["data_import_id"])
    assert imported.imported_by == police.user and imported.rows == 2


def test_broken_file_fails_its_job_with_the_problems_location(token_for) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    content = (HEADER + ROW.format(id="a" * 64).replace("2019-01", "2019-13")).encode()
    before = DataImport.objects.count()
    job = queue_and_poll(police, "2019-01-metropolitan-street.csv", content)
    assert job["status"] == "failed"
    assert job["result"] is None
    [problem] = job["problems"]
    assert problem["file"] == "2019-01-metropolitan-street.csv"
    assert problem["row"] == 2
    assert problem["column"] == "Month"
    assert problem["value"] == "2019-13"
    assert "2019-13" in job["error"]
    assert DataImport.objects.count() == before  # nothing stored


def test_a_job_is_read_only_by_the_token_that_queued_it_or_an_administrator(
    token_for, make_user
) -> None:
    police = token_for(Role.PARTNER_LEAD, scope="write")
    content = (HEADER + ROW.format(id="a" * 64)).encode()
    url = upload(police, "2019-01.csv", content).json()["url"]
    same_user_other_token = ApiClient(create_token(police.user, scope="read", name="2").key)
    colleague = token_for(Role.PARTNER_LEAD, scope="write")
    for other in (same_user_other_token, colleague):
        refused = other.get(url)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"
    organisation = police.token.organisation
    administrator = make_user(Role.ADMINISTRATOR, organisation=organisation)
    admin = ApiClient(create_token(administrator, organisation=organisation, name="a").key)
    assert admin.get(url).json()["status"] == "done"
    assert police.get("/api/crime/jobs/not-a-uuid").status_code == 404


def test_a_queued_job_reads_as_queued_until_a_worker_takes_it(token_for, monkeypatch) -> None:
    """With a real queue the upload answers before any worker has started the import."""
    from saferboard.crime import jobs

    monkeypatch.setattr(jobs, "import_job", SimpleNamespace(enqueue=lambda *args: None))
    police = token_for(Role.PARTNER_LEAD, scope="write")
    queued = upload(police, "2019-01.csv", (HEADER + ROW.format(id="a" * 64)).encode())
    assert queued.status_code == 202
    assert queued.json()["status"] == "queued"
    job = police.get(queued.json()["url"]).json()
    assert (job["status"], job["percent"], job["result"], job["problems"]) == (
        "queued",
        0,
        None,
        [],
    )
    assert job["stage"] == "Waiting"


def test_only_crime_writers_may_upload(token_for) -> None:
    yos = token_for(
        Role.PARTNER_LEAD, org="yos", kind=OrganisationType.YOUTH_JUSTICE, scope="write"
    )
    assert upload(yos, "x.csv", HEADER.encode()).status_code == 403
    police = token_for(Role.PARTNER_LEAD, scope="read")
    assert upload(police, "x.csv", HEADER.encode()).status_code == 403
    writer = token_for(Role.PARTNER_LEAD, scope="write")
    assert upload(writer, "x.txt", b"hello").status_code == 422
