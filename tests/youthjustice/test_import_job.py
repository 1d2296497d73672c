"""The youth justice web import as a task (saferboard.youthjustice.jobs): a good export
is imported with its job, a bad one fails with located problems and stores nothing,
and a job whose worker died waits again or fails truthfully."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferboard.core.models import AuditAction, AuditEvent, OrganisationType, Role
from saferboard.measures.models import DataImport
from saferboard.youthjustice import jobs
from saferboard.youthjustice.importer import read_folder
from saferboard.youthjustice.models import Child, ImportJob, ImportJobStatus
from tests.factories import OrganisationFactory
from tests.youthjustice.conftest import SMALL_EXPORT, replace_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(make_user):  # type: ignore[no-untyped-def]
    yos = OrganisationFactory(type=OrganisationType.YOUTH_JUSTICE, slug="yos")
    return make_user(Role.PARTNER_LEAD, organisation=yos)


def _queued(user, files: dict[str, bytes]) -> ImportJob:  # type: ignore[no-untyped-def]
    """A job whose files are saved but whose task has not run (as on a busy queue)."""
    job = ImportJob.objects.create(created_by=user, file_names=sorted(files), stage="Waiting")
    folder = jobs.upload_folder(job.pk)
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return job


def test_a_good_export_is_imported_with_its_job(head) -> None:  # type: ignore[no-untyped-def]
    job = jobs.start(head, read_folder(SMALL_EXPORT), ["export.zip"])
    assert job.status == ImportJobStatus.SUCCEEDED and job.finished and job.percent == 100
    assert job.data_import is not None and job.data_import.rows > 0
    assert job.data_import.label == f"Youth justice case records uploaded by {head.username}"
    assert Child.objects.count() == 5  # the small export's children
    assert AuditEvent.objects.get(action=AuditAction.IMPORT).actor == head
    assert not jobs.upload_folder(job.pk).exists()  # the upload is removed once imported


def test_a_bad_export_fails_with_located_problems_and_stores_nothing(
    head, export_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    replace_in(export_dir / "outcomes.csv", "fine", "telling_off")
    job = jobs.start(head, read_folder(export_dir), ["outcomes.csv"])
    assert job.status == ImportJobStatus.FAILED and job.error == jobs.REJECTED
    assert job.problems == [
        "outcomes.csv, row 8, column outcome_type: is not an outcome type (value 'telling_off')"
    ]
    assert job.data_import is None and job.finished_at is not None
    assert not Child.objects.exists() and not DataImport.objects.exists()


def test_a_job_settled_while_it_ran_has_its_import_rolled_back(
    head, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    job = _queued(head, read_folder(SMALL_EXPORT))
    finished: list[object] = []

    def settled_elsewhere(job_id, **fields):  # type: ignore[no-untyped-def]
        # Another process failed the job (its worker taken for dead) and committed, so
        # this attempt's conditional success finds it finished.
        finished.append(fields["status"])
        return 0

    monkeypatch.setattr(jobs, "_finish", settled_elsewhere)
    jobs.run(job.pk)
    assert finished == [ImportJobStatus.SUCCEEDED]
    assert not Child.objects.exists() and not DataImport.objects.exists()


def test_running_a_finished_job_again_changes_nothing(head) -> None:  # type: ignore[no-untyped-def]
    job = jobs.start(head, read_folder(SMALL_EXPORT), ["export.zip"])
    jobs.run(job.pk)  # a retried task whose attempt had committed
    assert DataImport.objects.count() == 1


def test_a_job_whose_upload_is_gone_fails_as_interrupted(head) -> None:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(created_by=head, status=ImportJobStatus.RUNNING)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.error == jobs.INTERRUPTED


def _record(job: ImportJob, status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path=jobs.import_job.module_path,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=["w"],
    )


def test_settling_follows_the_tasks_record(head) -> None:  # type: ignore[no-untyped-def]
    requeued = ImportJob.objects.create(created_by=head, status=ImportJobStatus.RUNNING)
    _record(requeued, TaskResultStatus.READY)  # its worker died; queued again
    ended = ImportJob.objects.create(created_by=head, status=ImportJobStatus.RUNNING)
    _record(ended, TaskResultStatus.FAILED)  # failed after repeated deaths
    fresh = ImportJob.objects.create(created_by=head)  # not yet queued: left
    old = ImportJob.objects.create(created_by=head)  # never queued, long ago
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert jobs.settle_jobs() == 2
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[requeued.pk] == ImportJobStatus.QUEUED
    assert statuses[ended.pk] == ImportJobStatus.FAILED
    assert statuses[fresh.pk] == ImportJobStatus.QUEUED
    assert statuses[old.pk] == ImportJobStatus.FAILED
    assert ImportJob.objects.get(pk=ended.pk).error == jobs.INTERRUPTED


def test_old_abandoned_uploads_are_removed_but_a_live_jobs_are_kept(head) -> None:  # type: ignore[no-untyped-def]
    import os

    live = _queued(head, {"children.csv": b"x"})
    stray = jobs.uploads_root() / uuid.uuid4().hex
    stray.mkdir()
    recent = jobs.uploads_root() / uuid.uuid4().hex
    recent.mkdir()  # perhaps a job being started right now
    old = (timezone.now() - timedelta(hours=1)).timestamp()
    os.utime(stray, (old, old))
    os.utime(jobs.upload_folder(live.pk), (old, old))
    jobs.settle_jobs()
    assert jobs.upload_folder(live.pk).is_dir() and recent.is_dir() and not stray.exists()


def test_start_refuses_a_name_that_is_not_an_export_file(head) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="not export files"):
        jobs.start(head, {"../evil.csv": b""}, ["evil"])
    assert not ImportJob.objects.exists()


def test_the_job_page_shows_a_waiting_job_and_its_status(client, head) -> None:  # type: ignore[no-untyped-def]
    job = _queued(head, read_folder(SMALL_EXPORT))
    client.force_login(head)
    html = client.get(reverse("youthjustice:import-job", args=[job.pk])).content.decode()
    assert "Importing youth justice case records" in html
    assert reverse("youthjustice:import-job-status", args=[job.pk]) in html
    status = client.get(reverse("youthjustice:import-job-status", args=[job.pk])).json()
    assert status == {
        "status": "Waiting to start",
        "stage": "Waiting",
        "percent": 0,
        "finished": False,
    }
    jobs.run(job.pk)
    response = client.get(reverse("youthjustice:import-job", args=[job.pk]))
    job.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("youthjustice:import-report", args=[job.data_import_id])


def test_the_job_page_lists_a_rejected_jobs_problems(client, head) -> None:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(
        created_by=head,
        status=ImportJobStatus.FAILED,
        error=jobs.REJECTED,
        problems=["children.csv, row 2, column dob: is not a date"],
        more=3,
    )
    client.force_login(head)
    html = client.get(reverse("youthjustice:import-job", args=[job.pk])).content.decode()
    assert "Import rejected" in html and "children.csv, row 2, column dob: is not a date" in html
    assert "and 3 more" in html


def test_the_job_pages_are_for_those_who_may_import(client, make_user) -> None:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(created_by=make_user(Role.ADMINISTRATOR))
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get(reverse("youthjustice:import-job", args=[job.pk])).status_code == 403
    url = reverse("youthjustice:import-job-status", args=[job.pk])
    assert client.get(url).status_code == 403


def test_the_import_page_lists_uploads_not_imported(client, head) -> None:  # type: ignore[no-untyped-def]
    waiting = _queued(head, {"children.csv": b"x"})
    done = jobs.start(head, read_folder(SMALL_EXPORT), ["export.zip"])
    client.force_login(head)
    html = client.get(reverse("youthjustice:import")).content.decode()
    assert "Uploads not imported" in html
    assert reverse("youthjustice:import-job", args=[waiting.pk]) in html
    assert reverse("youthjustice:import-job", args=[done.pk]) not in html


def test_the_figures_are_refreshed_by_a_task_of_their_own(head) -> None:  # type: ignore[no-untyped-def]
    from saferboard.measures.models import Observation

    job = jobs.start(head, read_folder(SMALL_EXPORT), ["export.zip"])
    assert job.status == ImportJobStatus.SUCCEEDED
    # The immediate backend ran the queued refresh: the services' figures are stored.
    assert Observation.objects.filter(source=job.data_import).exists()


def test_a_failing_refresh_leaves_the_import_standing_and_is_tried_again(
    head, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    tried: list[list[str]] = []

    def failing(names):  # type: ignore[no-untyped-def]
        tried.append(list(names))
        raise RuntimeError("figures unavailable")

    monkeypatch.setattr(jobs, "refresh_services", failing)
    job = jobs.start(head, read_folder(SMALL_EXPORT), ["export.zip"])
    assert job.status == ImportJobStatus.SUCCEEDED and Child.objects.count() == 5
    assert tried == [["Testborough"]] * jobs.REFRESH_ATTEMPTS
