"""More than one app server (issue 22): two ``saferboard serve`` processes on two
loopback ports, each with its background worker, against one PostgreSQL database and
one data directory. Imports and pack builds queued through either server are each done
once, by whichever worker claimed them. PostgreSQL only: a shared service runs on it.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from saferboard.crime import jobs as crime_jobs
from saferboard.crime.models import ImportJob, JobStatus
from saferboard.measures.models import DataImport
from saferboard.reports.models import Pack, PackStatus
from saferboard.reports.services import build_pack
from tests.crime.conftest import CITY_JUNE
from tests.reports.conftest import build_pack_setting
from tests.tasks import servers

pytestmark = pytest.mark.django_db(transaction=True)

DEADLINE = 90  # seconds for everything queued to finish (about 15 s on a quiet machine)


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share PostgreSQL (the PostgreSQL run tests this)")


def _session(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_two_servers_and_two_workers_do_each_job_once(
    postgresql: None, make_user, tmp_path: Path, sabo_data_dir: Path
) -> None:
    setting = build_pack_setting(make_user)
    data_dir = sabo_data_dir  # the test's data directory, shared with the children
    imports_before = DataImport.objects.count()
    key = _session(setting["coordinator"])
    ports = [servers.free_port(), servers.free_port()]
    children = [servers.serve(data_dir, tmp_path / f"server-{p}.log", p) for p in ports]
    try:
        for port, child in zip(ports, children, strict=True):
            servers.wait_until_up(port, child)
        browsers = [servers.Browser(port, key) for port in ports]
        build = reverse("reports:build", args=[setting["meeting"].pk, "public"])
        for browser in browsers:  # an import and a pack build through each server
            with CITY_JUNE.open("rb") as upload:
                answer = browser.post_form(
                    "/crime/import/",
                    "/crime/import/",
                    data={"format": "police-uk"},
                    files={"files": ("june.csv", upload, "text/csv")},
                )
            assert answer.status_code == 302, answer.text[:2000]
            answer = browser.post_form("/crime/import/", build)
            assert answer.status_code == 302, answer.text[:2000]
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            open_jobs = ImportJob.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
            if not open_jobs.exists() and not Pack.objects.filter(status="building").exists():
                break
            time.sleep(0.5)
    finally:
        for child in children:  # the work is done (or timed out): no need to wait
            servers.stop(child, signal.SIGKILL)
    logs = "\n".join(p.read_text()[-2000:] for p in tmp_path.glob("server-*.log"))
    jobs = list(ImportJob.objects.all())
    assert [j.status for j in jobs] == [JobStatus.SUCCEEDED] * 2, logs
    assert len({j.data_import_id for j in jobs}) == 2  # each job its own import, once
    assert DataImport.objects.count() == imports_before + 2
    packs = list(Pack.objects.order_by("version"))
    assert [(p.version, p.status) for p in packs] == [(1, PackStatus.DRAFT), (2, PackStatus.DRAFT)]
    for pack in packs:
        assert (data_dir / "packs" / pack.files["pdf"]["path"]).is_file()
    work = [crime_jobs.import_job.module_path, build_pack.module_path]
    tasks = list(DBTaskResult.objects.filter(task_path__in=work))
    assert len(tasks) == 4
    assert all(t.status == TaskResultStatus.SUCCESSFUL for t in tasks)
    assert all(len(t.worker_ids) == 1 for t in tasks), "a task ran more than once"
    # Each import queued its dashboard refresh with its report (perhaps not yet run).
    refreshes = DBTaskResult.objects.filter(task_path=crime_jobs.refresh_dashboard.module_path)
    assert refreshes.count() == 2
