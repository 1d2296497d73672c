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


def _stopped_after_commit(client, settings, monkeypatch):  # type: ignore[no-untyped-def]
    """Import June through the page, the server "killed" just after the import
    committed and before the job reported it (its report step never runs).

    Since the eleventh session the job's report runs inside the import's transaction,
    so a worker of this version cannot leave this state; a worker of an earlier version
    killed between its two transactions could, and the next start must still settle it.
    The import here commits without the report, then the "kill"."""
    from datetime import timedelta

    from django.utils import timezone

    from saferboard.crime import jobs
    from saferboard.crime.jobs import NEVER_STARTED_AFTER

    settings.CRIME_IMPORTS_INLINE = True

    class Killed(BaseException):
        pass

    real_import_files = jobs.import_files

    def import_then_killed(*args, report, **kwargs):  # type: ignore[no-untyped-def]
        real_import_files(*args, **kwargs)
        raise Killed

    monkeypatch.setattr(jobs, "import_files", import_then_killed)
    # The task backend records the "kill" as the task's failure; the job never reported.
    client.post(
        "/crime/import/",
        {"files": [SimpleUploadedFile("june.csv", CITY_JUNE.read_bytes())], "format": "police-uk"},
    )
    monkeypatch.setattr(jobs, "import_files", real_import_files)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - NEVER_STARTED_AFTER - timedelta(seconds=1)
    )
    return job


def test_a_job_stopped_after_its_import_committed_is_reported_as_done(
    client, analyst, settings, monkeypatch
) -> None:
    """Issue 18, finding 5: such a job was reported as "interrupted; nothing was
    changed" though its rows were in."""
    from saferboard.crime import jobs
    from saferboard.measures.models import DataImport

    job = _stopped_after_commit(client, settings, monkeypatch)
    assert ImportJob.objects.get().status == JobStatus.RUNNING
    imported = DataImport.objects.get()
    assert jobs.fail_abandoned_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.data_import == imported
    assert job.summary.startswith("The import finished, but the server stopped")
    imported.refresh_from_db()
    assert [entry["name"] for entry in imported.files] == ["june.csv"]
    page = client.get(f"/crime/import/{job.pk}/").content.decode()
    assert "nothing was changed" not in page


def test_a_stopped_jobs_uploads_are_removed_and_never_backed_up(
    client, analyst, sabo_data_dir, make_user
) -> None:
    from saferboard.core.backup import _data_files
    from saferboard.crime import jobs

    stopped = ImportJob.objects.create(created_by=analyst, status=JobStatus.FAILED)
    waiting = ImportJob.objects.create(created_by=analyst, status=JobStatus.QUEUED)
    for job in (stopped, waiting):
        folder = jobs.upload_folder(job.pk)
        folder.mkdir(parents=True)
        (folder / "000-june.csv").write_bytes(b"x" * 100)
    orphan = jobs.uploads_root() / "0123abcd"
    orphan.mkdir()
    (orphan / "000-big.csv").write_bytes(b"y")
    staging = sabo_data_dir / "crime" / ".staging" / "abc"
    staging.mkdir(parents=True)
    (staging / "part.parquet").write_bytes(b"z")
    kept = sabo_data_dir / "files" / "evidence.pdf"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"%PDF")
    assert _data_files(sabo_data_dir) == [kept]
    jobs.fail_abandoned_jobs()
    assert not jobs.upload_folder(stopped.pk).exists() and not orphan.exists()
    assert jobs.upload_folder(waiting.pk).exists()  # its import may still start
