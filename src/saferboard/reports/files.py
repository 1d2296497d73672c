"""Pack files under ``settings.DATA_DIR / "packs"``, written atomically.

A file is written to a temporary name in the same directory, flushed to disk and
renamed into place, so a reader never sees half a pack, even if the build dies.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def packs_dir() -> Path:
    return Path(settings.DATA_DIR) / "packs"


def appendix_path(sha256: str) -> Path:
    """Uploaded appendices are stored by checksum (the same upload is kept once)."""
    return packs_dir() / "appendices" / f"{sha256}.pdf"


def write_atomic(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` via a temporary file and rename; return its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()
