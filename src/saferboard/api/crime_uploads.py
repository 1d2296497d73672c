"""Crime files uploaded through the API: queued as the web upload's import task, and
read back as a job (issue 22: every crime import runs as a task)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from saferboard.api.models import ApiToken, QueuedImport
from saferboard.core.errors import FieldError
from saferboard.crime import jobs
from saferboard.crime.models import ImportJob, JobStatus

SUFFIXES = (".csv", ".csv.gz", ".zip")

# The API's words for a job's status: stable for clients, apart from the web's labels.
STATUS_WORDS = {
    JobStatus.QUEUED: "queued",
    JobStatus.RUNNING: "running",
    JobStatus.SUCCEEDED: "done",
    JobStatus.FAILED: "failed",
}


def check_upload(name: str, size: int) -> None:
    """Refuse a file that is not a police.uk file by its name, or larger than the web
    page's limit (``FieldError`` on ``file``)."""
    if not name.lower().endswith(SUFFIXES):
        raise FieldError("file", "Upload a police.uk .csv, .csv.gz or .zip file")
    if size > jobs.MAX_UPLOAD_BYTES:
        raise FieldError("file", f"The file is larger than {jobs.MAX_UPLOAD_LABEL}")


def queue_police_uk(token: ApiToken, upload: UploadedFile) -> ImportJob:
    """Check the upload, then queue its import as the web page does (the crime app's
    import task, on a worker), recording which token queued it."""
    check_upload(upload.name or "", upload.size or 0)
    job = jobs.start(token.user, [upload], format="police-uk")
    QueuedImport.objects.create(job=job, token=token)
    return job


def readable_job(token: ApiToken, job_id: str) -> ImportJob | None:
    """The job ``job_id`` if ``token`` queued it or is an administrator's, else None
    (another token's job is not found, never forbidden: its id says nothing)."""
    try:
        pk = uuid.UUID(job_id)
    except ValueError:
        return None
    queued = QueuedImport.objects.filter(job_id=pk).select_related("job__data_import").first()
    if queued is None:
        return None
    if queued.token_id != token.pk and not token.user.is_administrator:
        return None
    return queued.job


def job_out(job: ImportJob) -> dict[str, Any]:
    """A job as the API answers it: queued, running with its stage and progress, done
    with the import it made, or failed with why (and where, for a problem in a file)."""
    data_import = job.data_import if job.status == JobStatus.SUCCEEDED else None
    return {
        "job_id": str(job.pk),
        "status": STATUS_WORDS[JobStatus(job.status)],
        "format": job.format,
        "files": [str(name) for name in job.file_names],
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "summary": job.summary if data_import is not None else "",
        "result": None
        if data_import is None
        else {
            "data_import_id": data_import.pk,
            "label": data_import.label,
            "rows": data_import.rows,
            "months": list((data_import.detail or {}).get("months", [])),
        },
        "error": job.error if job.status == JobStatus.FAILED else "",
        "problems": [job.problem] if job.status == JobStatus.FAILED and job.problem else [],
    }
