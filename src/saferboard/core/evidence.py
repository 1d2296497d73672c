"""Storing and serving evidence files: type and size limits, checksums, audited downloads."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, HttpRequest

from saferboard.core import audit
from saferboard.core.models import AuditAction, EvidenceFile, Organisation, User

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Office documents, PDFs, images and plain data: what partners attach as evidence.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# First bytes a file of each type must start with, where the format has a signature.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


def evidence_root() -> Path:
    return Path(settings.DATA_DIR) / "files" / "evidence"


def evidence_path(sha256: str) -> Path:
    return evidence_root() / sha256[:2] / sha256


def validate_upload(upload: UploadedFile) -> str:
    """Check the file's name, size and first bytes; return its media type."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(s.lstrip(".").upper() for s in ALLOWED_TYPES))
        raise ValidationError(f"The file must be a {allowed}")
    if upload.size is None or upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError("The selected file must be smaller than 10MB")
    head = upload.read(16)
    upload.seek(0)
    signatures = _SIGNATURES.get(suffix)
    if signatures and not head.startswith(signatures):
        raise ValidationError(f"The selected file is not a real {suffix.lstrip('.').upper()} file")
    return ALLOWED_TYPES[suffix]


def store_evidence(
    upload: UploadedFile,
    *,
    user: User,
    organisation: Organisation,
    attach_to: models.Model | None = None,
    description: str = "",
) -> EvidenceFile:
    """Validate and store an uploaded file; record it (call inside the caller's transaction).

    The bytes are written to a temporary file and renamed into place, so a crash never
    leaves a half-written file under its checksum name.
    """
    media_type = validate_upload(upload)
    digest = hashlib.sha256()
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = evidence_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, final)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return EvidenceFile.objects.create(
        attached_to=attach_to,
        organisation=organisation,
        original_name=Path(upload.name or "evidence").name[:255],
        media_type=media_type,
        size=upload.size or 0,
        sha256=sha,
        description=description,
        uploaded_by=user,
    )


def download_response(request: HttpRequest, evidence: EvidenceFile) -> FileResponse:
    """Serve an evidence file as an attachment, never inline, and audit the download."""
    audit.record(AuditAction.EXPORT, request=request, obj=evidence, what="evidence download")
    media_type = evidence.media_type or mimetypes.guess_type(evidence.original_name)[0]
    response = FileResponse(
        evidence_path(evidence.sha256).open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
