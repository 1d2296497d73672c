"""Crime pages: dashboard, downloads (formula-safe), and the import upload with roles."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from saferboard.core.models import AuditEvent, Role
from saferboard.crime.models import ImportJob, JobStatus
from saferboard.measures.models import Measure
from tests.crime.conftest import CITY_JUNE

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, make_user):  # type: ignore[no-untyped-def]
    user = make_user(Role.ANALYST)
    client.force_login(user)
    return user


def test_dashboard_page(client, analyst, met_borough, population_2020) -> None:
    response = client.get("/crime/", {"area": "E09000006", "to": "2026-02", "source": "mps"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Crime dashboard for Bromley</h1>' in html
    assert "-2% (24,269)" in html  # whole per cent on pages, with the previous year
    assert 'govuk-tag--green">Green' in html and 'govuk-tag--orange">Amber' in html
    assert html.count('role="img"') == Measure.objects.filter(source_kind="mps").count()
    assert "Same month a year earlier" in html  # each chart's data table
    assert "12th of 32" in html


def test_dashboard_defaults_to_the_partnership_area(client, analyst, met_borough) -> None:
    from saferboard.core.models import Area, Partnership

    Partnership.objects.update(local_authority=Area.objects.get(code="E09000006"))
    response = client.get("/crime/")
    assert response.status_code == 200
    assert "Crime dashboard for Bromley" in response.content.decode()
    assert response.context["chosen"]["to"] == "2026-02"


def test_dashboard_without_data_says_so(client, analyst) -> None:
    response = client.get("/crime/")
    assert response.status_code == 200
    assert "no police.uk street-level data to show yet" in response.content.decode()


def test_downloads_escape_formulas(client, analyst, met_borough) -> None:
    Measure.objects.filter(source_kind="mps", slug="robbery").update(label="=HYPERLINK(1)")
    query = {"area": "E09000006", "to": "2026-02", "source": "mps"}
    response = client.get("/crime/dashboard.csv", query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert rows[0][0] == "Measure"
    total = next(r for r in rows if r[1] == "total-notifiable-offences")
    assert total[4:7] == ["23796", "24269", "-473"]
    assert next(r for r in rows if r[1] == "robbery")[0] == "'=HYPERLINK(1)"
    response = client.get("/crime/dashboard.xlsx", query)
    sheet = load_workbook(io.BytesIO(response.content))["Dashboard"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert next(r for r in values if r[1] == "robbery")[0] == "'=HYPERLINK(1)"
    assert next(r for r in values if r[1] == "total-notifiable-offences")[4] == 23796
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_only_analysts_and_coordinators_import(client, make_user) -> None:
    client.force_login(make_user(Role.BOARD_MEMBER))
    assert client.get("/crime/import/").status_code == 403
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get("/crime/import/").status_code == 200


def test_upload_imports_and_reports(client, analyst, settings, sabo_data_dir: Path) -> None:
    settings.CRIME_IMPORTS_INLINE = True
    upload = SimpleUploadedFile("2023-06-city-of-london-street.csv", CITY_JUNE.read_bytes())
    response = client.post("/crime/import/", {"files": [upload], "format": "auto"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/crime/import/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED
    assert job.data_import.rows == 747
    assert job.data_import.imported_by == analyst
    assert job.data_import.files[0]["name"] == "2023-06-city-of-london-street.csv"
    page = client.get(response.url).content.decode()
    assert "Import complete" in page and "progress.js" not in page
    assert not list((sabo_data_dir / "crime" / ".uploads").glob("*"))


def test_bad_upload_is_rejected_with_its_location(client, analyst, settings) -> None:
    settings.CRIME_IMPORTS_INLINE = True
    bad = CITY_JUNE.read_bytes().replace(b"Public order", b"Pubic order", 1)
    upload = SimpleUploadedFile("june.csv", bad)
    response = client.post("/crime/import/", {"files": [upload], "format": "police-uk"})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.problem["file"] == "june.csv"
    assert job.problem["column"] == "Crime type" and job.problem["value"] == "Pubic order"
    page = client.get(response.url).content.decode()
    assert "Import rejected" in page and "Pubic order" in page


def test_progress_page_follows_a_running_import(client, analyst) -> None:
    job = ImportJob.objects.create(created_by=analyst, file_names=["a.csv"], stage="Validating",
                                   status=JobStatus.RUNNING, done=2, total=5)  # fmt: skip
    page = client.get(f"/crime/import/{job.pk}/").content.decode()
    assert "crime/progress.js" in page and "Refresh the page" in page
    assert 'value="40"' in page and "Validating" in page
    status = client.get(f"/crime/import/{job.pk}/status.json").json()
    assert status == {"status": "Importing", "stage": "Validating", "percent": 40,
                      "finished": False}  # fmt: skip


def test_upload_form_errors(client, analyst) -> None:
    response = client.post("/crime/import/", {"format": "auto"})
    assert response.status_code == 400
    assert "Select the files to import" in response.content.decode()
    upload = SimpleUploadedFile("notes.docx", b"x")
    response = client.post("/crime/import/", {"files": [upload], "format": "auto"})
    assert "is not a CSV, Parquet or zip file" in response.content.decode()
