"""A queued task survives the web server's restart (issue 22): an import queued through
a server that is then killed (SIGKILL, with no worker to run it) is run, once, by the
worker of the server started next. PostgreSQL only (the children share the test
database; the SQLite test database is in memory)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferboard.core.models import Role
from saferboard.crime import jobs
from saferboard.crime.models import ImportJob, JobStatus
from tests.crime.conftest import CITY_JUNE
from tests.tasks import servers

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_queued_before_a_server_restart_is_run_after_it(
    make_user, tmp_path: Path, sabo_data_dir: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the children share the PostgreSQL test database")
    client = Client()
    client.force_login(make_user(Role.ANALYST))
    key = client.cookies["sessionid"].value
    port = servers.free_port()
    first = servers.serve(sabo_data_dir, tmp_path / "first.log", port, "--no-worker")
    try:
        servers.wait_until_up(port, first)
        with CITY_JUNE.open("rb") as upload:
            answer = servers.Browser(port, key).post_form(
                "/crime/import/",
                "/crime/import/",
                data={"format": "police-uk"},
                files={"files": ("june.csv", upload, "text/csv")},
            )
        assert answer.status_code == 302, answer.text[:2000]
    finally:
        servers.stop(first, signal.SIGKILL)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    second = servers.serve(sabo_data_dir, tmp_path / "second.log", port)
    try:
        servers.wait_until_up(port, second)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
                break
            time.sleep(0.5)
    finally:
        servers.stop(second)
    # The import's own task (its dashboard refresh, and the schedule's, are others).
    task = DBTaskResult.objects.get(task_path=jobs.import_job.module_path)
    assert job.status == JobStatus.SUCCEEDED, (tmp_path / "second.log").read_text()[-3000:]
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 1
