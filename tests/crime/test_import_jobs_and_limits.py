"""Web crime import jobs: odd bytes in an upload, the size limit shared with the API,
and what a killed import leaves behind (issue 18, findings 5, 10 and 11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saferboard.core.models import Role
from saferboard.crime.models import ImportJob, JobStatus
from tests.crime.conftest import CITY_JUNE

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, make_user):  # type: ignore[no-untyped-def]
    user = make_user(Role.ANALYST)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace(b"Public order", b"Pub\xfflic \xc3order", 1),
        lambda data: b"\xff\xfe" + data,
        lambda data: data.replace(b"Crime type", b"Crime \xe9type", 1),
    ],
)
def test_a_non_utf8_upload_is_rejected_with_a_page(client, analyst, settings, damage) -> None:
    """Issue 18, finding 11: the job page answered 500 (UnicodeEncodeError)."""
    settings.CRIME_IMPORTS_INLINE = True
    upload = SimpleUploadedFile("june.csv", damage(CITY_JUNE.read_bytes()))
    response = client.post("/crime/import/", {"files": [upload], "format": "police-uk"})
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Import rejected" in page.content.decode() or "rejected" in job.error
    assert client.get(f"/crime/import/{job.pk}/status.json").status_code == 200


def test_the_web_import_has_the_apis_size_limit_and_says_so(
    client, analyst, settings, monkeypatch
) -> None:
    """Issue 18, finding 10: the web accepted 300 MB (the API capped at 200 MB)."""
    from saferboard.crime import forms, jobs

    assert forms.MAX_UPLOAD_BYTES == jobs.MAX_UPLOAD_BYTES == 200 * 1024 * 1024
    assert (
        "Up to 200 MB in all (the API takes the same)"
        in client.get("/crime/import/").content.decode()
    )
    settings.CRIME_IMPORTS_INLINE = True
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(jobs, "MAX_UPLOAD_BYTES", 1000)
    data = CITY_JUNE.read_bytes()
    assert len(data) > 1000
    response = client.post(
        "/crime/import/", {"files": [SimpleUploadedFile("june.csv", data)], "format": "police-uk"}
    )
    assert "The files are larger than 200 MB in all" in response.content.decode()
    assert not ImportJob.objects.exists()
