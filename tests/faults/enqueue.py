"""Queue background work as the web pages do, for a worker to run:
``python -m tests.faults.enqueue crime FOLDER`` (an import job of the files in FOLDER)
or ``python -m tests.faults.enqueue pack MEETING_ID`` (the next public pack version).

The kill tests queue once, then kill the *worker* running the task; the web page's
upload is stood in for by copying the files into the job's upload folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import django


def main(kind: str, argument: str) -> None:
    """Queue one task of ``kind`` and print the id of the job or pack version."""
    django.setup()
    from saferboard.core.models import User

    coordinator = User.objects.get(username="coordinator")
    if kind == "crime":
        from saferboard.crime import jobs
        from saferboard.crime.models import ImportJob

        files = sorted(p for p in Path(argument).rglob("*") if p.is_file())
        job = ImportJob.objects.create(
            created_by=coordinator,
            format="police-uk",
            file_names=[p.name for p in files],
            stage="Waiting",
        )
        folder = jobs.upload_folder(job.pk)
        folder.mkdir(parents=True)
        for index, path in enumerate(files):  # named as jobs.save_uploads names uploads
            shutil.copyfile(path, folder / f"{index:03d}-{path.name}")
        jobs.import_job.enqueue(str(job.pk))
        print(job.pk)
    elif kind == "pack":
        from saferboard.meetings.models import Meeting
        from saferboard.reports import services

        pack = services.start_build(Meeting.objects.get(pk=int(argument)), "public", coordinator)
        print(pack.pk)
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    from django.db import connection

    connection.close()  # SQLite folds its write-ahead log into the file


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
