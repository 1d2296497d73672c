"""SHA-256 checksums of files on disk, as backups, published packs and imports record them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from saferboard.core.archives import CHUNK_BYTES


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of the file at ``path``, read a megabyte at a time (a backup's
    database copy or a year of crime data never has to fit in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()
