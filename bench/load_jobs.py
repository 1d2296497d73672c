"""Queue crime imports and pack builds through several Saferboard servers during a load
run, then wait for them and report: queued, done, failed, and any job done twice.

Used by ``SERVERS=2 bench/load.sh``. Signs in as the demo coordinator on each server,
and every ``--every`` seconds for ``--duration`` seconds posts, in turn through each
server, a crime import of a small police.uk file or a public pack build. Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

import django
import requests

from bench.load_sessions import sign_in

CSV = Path(__file__).resolve().parents[1] / (
    "tests/data/crime/police_uk/2023-06/2023-06-city-of-london-street.csv"
)


def _post(base: str, cookie: str, action: str, **kwargs: object) -> None:
    session = requests.Session()
    name, value = cookie.split("=", 1)
    session.cookies.set(name, value, domain="127.0.0.1")
    page = session.get(f"{base}/crime/import/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token"
    data = {"csrfmiddlewaretoken": token.group(1), **kwargs.pop("data", {})}  # type: ignore[dict-item]
    answer = session.post(
        base + action,
        data=data,
        headers={"Referer": f"{base}/crime/import/"},
        allow_redirects=False,
        timeout=60,
        **kwargs,  # type: ignore[arg-type]
    )
    assert answer.status_code == 302, f"{action}: {answer.status_code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", action="append", required=True, help="a server (repeat)")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--meeting", type=int, required=True)
    args = parser.parse_args()
    if not all(b.startswith(("http://127.0.0.1", "http://localhost")) for b in args.base):
        raise SystemExit("load tests only target loopback addresses")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferboard.settings")
    django.setup()
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from saferboard.crime.models import ImportJob
    from saferboard.reports.models import Pack

    cookies = {base: sign_in(base, "coordinator") for base in args.base}
    first_job = set(ImportJob.objects.values_list("pk", flat=True))
    first_pack = set(Pack.objects.values_list("pk", flat=True))
    started, sent, errors = time.monotonic(), 0, 0
    while time.monotonic() - started < args.duration:
        base = args.base[sent % len(args.base)]
        try:
            if sent % 2 == 0:
                with CSV.open("rb") as upload:
                    _post(
                        base,
                        cookies[base],
                        "/crime/import/",
                        data={"format": "police-uk"},
                        files={"files": ("june.csv", upload, "text/csv")},
                    )
            else:
                _post(base, cookies[base], f"/packs/meetings/{args.meeting}/build/public/")
        except (AssertionError, requests.RequestException) as error:
            errors += 1
            print(f"queueing failed: {error}")
        sent += 1
        time.sleep(args.every)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        jobs = ImportJob.objects.exclude(pk__in=first_job)
        packs = Pack.objects.exclude(pk__in=first_pack)
        if (
            not jobs.filter(status__in=["queued", "running"]).exists()
            and not packs.filter(status="building").exists()
        ):
            break
        time.sleep(1)
    jobs = ImportJob.objects.exclude(pk__in=first_job)
    packs = Pack.objects.exclude(pk__in=first_pack)
    tasks = DBTaskResult.objects.all()
    report = {
        "queued": sent - errors,
        "queue_errors": errors,
        "imports": dict(jobs.values_list("status").annotate(n=Count("pk"))),
        "packs": dict(packs.values_list("status").annotate(n=Count("pk"))),
        "tasks_run_more_than_once": sum(1 for t in tasks if len(t.worker_ids) > 1),
        "workers_used": len({w for t in tasks for w in t.worker_ids}),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
