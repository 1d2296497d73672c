"""The shared import-job shape (saferboard.core.models.import_jobs): both apps' jobs
inherit it, keep their own progress arithmetic, and poll and render the same way."""

from __future__ import annotations

import uuid

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from saferboard.core.models import ImportJobBase, ImportJobStatus, Role
from saferboard.crime.models import ImportJob as CrimeJob
from saferboard.crime.models import JobStatus
from saferboard.youthjustice.models import ImportJob as YouthJob

JOB_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")

# The progress markup as both job pages wrote it before the include (issue 23).
PROGRESS_HTML = (
    '<div data-import-status-url="/status.json">\n'
    '  <p class="govuk-body" id="import-stage" aria-live="polite">Importing: Reading rows</p>\n'
    '  <progress class="sabo-progress" id="import-progress" max="100" value="25"'
    ' aria-labelledby="import-stage">25%</progress>\n'
    "</div>"
)


def test_both_jobs_inherit_the_shape_and_keep_their_own_tables() -> None:
    assert issubclass(CrimeJob, ImportJobBase) and issubclass(YouthJob, ImportJobBase)
    assert ImportJobBase._meta.abstract
    assert CrimeJob._meta.db_table == "crime_importjob"
    assert YouthJob._meta.db_table == "youthjustice_importjob"
    assert CrimeJob._meta.ordering == YouthJob._meta.ordering == ["-created_at"]
    assert JobStatus is ImportJobStatus
    # What only one app records stays in its own model.
    assert {f.name for f in CrimeJob._meta.fields} - {f.name for f in YouthJob._meta.fields} == {
        "format",
        "done",
        "total",
        "problem",
        "summary",
    }
    assert {f.name for f in YouthJob._meta.fields} - {f.name for f in CrimeJob._meta.fields} == {
        "problems",
        "more",
    }


def test_each_job_counts_its_progress_its_own_way() -> None:
    crime = CrimeJob(id=JOB_ID, status=ImportJobStatus.RUNNING, stage="Reading rows")
    crime.done, crime.total = 1, 4
    assert crime.percent == 25  # 1 of 4 steps
    crime.total = 0
    assert crime.percent == 0
    crime.status = ImportJobStatus.SUCCEEDED
    assert crime.percent == 100 and crime.finished

    youth = YouthJob(id=JOB_ID, status=ImportJobStatus.QUEUED)
    assert youth.percent == 0 and not youth.finished
    youth.status = ImportJobStatus.RUNNING
    assert youth.percent == 50  # one step, under way
    youth.status = ImportJobStatus.FAILED
    assert youth.percent == 0 and youth.finished


def test_the_polled_progress_and_the_names_of_jobs() -> None:
    crime = CrimeJob(id=JOB_ID, status=ImportJobStatus.RUNNING, stage="Reading rows", done=3)
    crime.total = 4
    assert crime.progress() == {
        "status": "Importing",
        "stage": "Reading rows",
        "percent": 75,
        "finished": False,
    }
    assert str(crime) == f"Import {JOB_ID} (Importing)"
    youth = YouthJob(id=JOB_ID, status=ImportJobStatus.FAILED)
    assert youth.progress() == {"status": "Rejected", "stage": "", "percent": 0, "finished": True}
    assert str(youth) == f"Youth justice import {JOB_ID} (Rejected)"


def test_the_progress_include_renders_the_markup_the_pages_had() -> None:
    job = CrimeJob(id=JOB_ID, status=ImportJobStatus.RUNNING, stage="Reading rows", done=1)
    job.total = 4
    html = render_to_string(
        "components/import_progress.html", {"job": job, "status_url": "/status.json"}
    )
    assert html == PROGRESS_HTML


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "app"), [(CrimeJob, "crime"), (YouthJob, "youthjustice")], ids=["crime", "yj"]
)
def test_a_running_job_page_and_its_status_poll(make_user, model, app) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    user = make_user(Role.ANALYST, superuser=True)
    job = model.objects.create(created_by=user, status=ImportJobStatus.RUNNING, stage="Checking")
    client = Client()
    client.force_login(user)
    status_url = reverse(f"{app}:import-job-status", args=[job.pk])
    page = client.get(reverse(f"{app}:import-job", args=[job.pk])).content.decode()
    percent = job.percent
    assert (
        f'<div data-import-status-url="{status_url}">\n'
        '  <p class="govuk-body" id="import-stage" aria-live="polite">Importing: Checking</p>\n'
        f'  <progress class="sabo-progress" id="import-progress" max="100" value="{percent}"'
        f' aria-labelledby="import-stage">{percent}%</progress>\n'
        "</div>\n<p class"
    ) in page
    assert client.get(status_url).json() == {
        "status": "Importing",
        "stage": "Checking",
        "percent": percent,
        "finished": False,
    }
