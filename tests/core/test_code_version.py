"""Issue 19: ``code_version`` names the code that computed a figure — the package's
version and the source revision — not "0.1.0" for every build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from saferboard.core import code_version as versions


def test_code_version_is_the_package_version_and_the_checked_out_commit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CODE_VERSION = ""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=versions.REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    if not head:
        pytest.skip("not a git checkout")
    assert versions.source_revision() == head
    assert versions.code_version() == f"{versions.package_version()}+g{head[:12]}"


def test_the_revision_is_read_from_a_branch_a_detached_head_or_packed_refs(tmp_path: Path) -> None:
    sha = "0123456789abcdef0123456789abcdef01234567"
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(sha + "\n")
    assert versions.source_revision(tmp_path) == sha
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{sha} refs/heads/main\n")
    assert versions.source_revision(tmp_path) == sha
    (git / "HEAD").write_text("not a commit id\n")
    assert versions.source_revision(tmp_path) is None
    (git / "HEAD").write_text(sha + "\n")
    assert versions.source_revision(tmp_path) == sha
    assert versions.source_revision(tmp_path / "elsewhere") is None


def test_a_deployment_names_its_own_version(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CODE_VERSION = "2.3.0+build.41"
    assert versions.code_version() == "2.3.0+build.41"
