"""Which code computed a figure: the installed package's version and the source revision.

Recorded with every import, observation and pack (``code_version``), so a figure can be
traced to the code that made it. ``SABO_CODE_VERSION`` overrides it (a deployment that
ships without its git folder can set the revision it was built from).
"""

from __future__ import annotations

import functools
import re
from importlib import metadata
from pathlib import Path

from django.conf import settings

from saferboard import __version__

REPO = Path(__file__).resolve().parents[3]
_SHA = re.compile(r"^[0-9a-f]{40}$")


def package_version() -> str:
    """The installed distribution's version (the source's own when not installed)."""
    try:
        return metadata.version("saferboard")
    except metadata.PackageNotFoundError:
        return __version__


def source_revision(repo: Path = REPO) -> str | None:
    """The commit checked out in ``repo`` (read from its git files, no git command), or
    None outside a git checkout."""
    git = repo / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="ascii").strip()
    except OSError:
        return None
    if _SHA.match(head):
        return head
    if not head.startswith("ref: "):
        return None
    ref = head[5:]
    value: str | None
    try:
        value = (git / ref).read_text(encoding="ascii").strip()
    except OSError:
        value = _packed_ref(git, ref)
    return value if value and _SHA.match(value) else None


def _packed_ref(git: Path, ref: str) -> str | None:
    try:
        lines = (git / "packed-refs").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for line in lines:
        sha, _, name = line.partition(" ")
        if name == ref:
            return sha
    return None


@functools.cache
def _detected() -> str:
    revision = source_revision()
    version = package_version()
    return f"{version}+g{revision[:12]}" if revision else version


def code_version() -> str:
    """'0.1.0+g9e20b4f1a2b3': the package version and the source revision (12 digits),
    or ``SABO_CODE_VERSION`` when set."""
    return settings.CODE_VERSION or _detected()
