"""Fixtures shared by every test: an isolated data directory, users with roles."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# `HYPOTHESIS_PROFILE=thorough` (the marked slow run) generates 10,000 cases per test.
# Derandomised: the same 10,000 cases every run, so the run in CI is reproducible (a
# failure replays exactly); the default profile keeps exploring new cases each run.
hypothesis_settings.register_profile(
    "thorough",
    max_examples=10_000,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def sabo_data_dir(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Every test gets its own data directory (columnar stores, evidence files)."""
    data_dir = tmp_path / "sabo-data"
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "files"
    return data_dir


@pytest.fixture
def make_user(db) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Create a signed-in-able user with a person, organisation and roles."""
    from tests.factories import make_user as factory

    return factory


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    """The whole demo partnership, loaded as `saferboard demo --no-serve` loads it."""
    from saferboard.core.management.commands.demo import load_demo

    return load_demo()
