"""Uploaded set-up workbooks kept between their preview and their confirmation.

One file per user under the data directory's ``.uploads`` (staging, which backups leave
out): a new upload replaces the last. The preview shows the file's SHA-256 digest to the
confirmation form, and confirming refuses a file whose digest has changed since, so what
is applied is exactly what was previewed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class StoredWorkbook:
    """A user's uploaded workbook waiting for confirmation."""

    name: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _folder() -> Path:
    return Path(settings.DATA_DIR) / ".uploads" / "setup-workbook"


def _paths(user_id: int) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"user-{int(user_id)}.xlsx", folder / f"user-{int(user_id)}.json"


def store(user_id: int, name: str, data: bytes) -> StoredWorkbook:
    """Keep ``data`` as ``user_id``'s uploaded workbook (replacing any before)."""
    workbook_path, meta_path = _paths(user_id)
    workbook_path.parent.mkdir(parents=True, exist_ok=True)
    for path, content in (
        (workbook_path, data),
        (meta_path, json.dumps({"name": Path(name).name[:200]}).encode()),
    ):
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(content)
        os.replace(partial, path)  # a reader never sees half a file
    return StoredWorkbook(Path(name).name[:200], data)


def load(user_id: int) -> StoredWorkbook | None:
    """``user_id``'s uploaded workbook, or None if there is none."""
    workbook_path, meta_path = _paths(user_id)
    try:
        data = workbook_path.read_bytes()
        name = json.loads(meta_path.read_text()).get("name", "workbook.xlsx")
    except (OSError, ValueError):
        return None
    return StoredWorkbook(str(name), data)


def discard(user_id: int) -> None:
    """Forget ``user_id``'s uploaded workbook."""
    for path in _paths(user_id):
        path.unlink(missing_ok=True)
