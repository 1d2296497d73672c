"""Fixtures shared by every test: an isolated data directory, users with roles."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Three profiles (docs/reliability.md, "Fuzzing"):
# - default: what a developer's `pytest` gets; random, the database of found examples on.
# - ci: the slice every run of ./scripts/test.sh makes: 150 cases per property,
#   seeded from the commit (scripts/test.sh prints the seed) so a failure replays exactly
#   with `HYPOTHESIS_SEED=… ./scripts/test.sh --fuzz-only`; no example database, so the
#   seed alone decides what runs.
# - thorough: the release run (`./scripts/test.sh --thorough`), 10,000 cases per property.
hypothesis_settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("SABO_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough",
    max_examples=10_000,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# The fixtures through which a test reaches the database (pytest-django's own).
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def uses_database(item: pytest.Item) -> bool:
    """Whether a test can touch the database: marked ``django_db`` or asking, directly or
    through another fixture, for one of pytest-django's database fixtures."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return not _DATABASE_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``SABO_DATABASE_TESTS_ONLY=1`` (the PostgreSQL run of scripts/test.sh), keep
    only the tests that touch the database: a test that cannot reach it runs the same
    code whatever the backend, and the SQLite run has already run it. Tests marked
    ``once`` (a walk over the whole demo comparing renderings, whose queries other tests
    already run on both databases) are left to the SQLite run too."""
    if os.environ.get("SABO_DATABASE_TESTS_ONLY") != "1":
        return

    def second_run_needs(item: pytest.Item) -> bool:
        return uses_database(item) and item.get_closest_marker("once") is None

    kept = [item for item in items if second_run_needs(item)]
    dropped = [item for item in items if not second_run_needs(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def sabo_data_dir(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Every test gets its own data directory (columnar stores, evidence files)."""
    data_dir = tmp_path / "sabo-data"
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "files"
    return data_dir


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Every test starts with an empty cache: cached results are keyed by ids (youth
    justice results by import id) that a rolled-back test's transaction hands out again
    to the next test, whose data differ."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Create a signed-in-able user with a person, organisation and roles."""
    from tests.factories import make_user as factory

    return factory


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The demo, loaded once per test process (see tests/demo_snapshot.py)."""
    from tests.demo_snapshot import cache_dir, cached, take

    shared = cache_dir()
    with django_db_blocker.unblock():
        if shared is not None:
            return cached(shared, tmp_path_factory.mktemp("demo-snapshot"))
        return take(tmp_path_factory.mktemp("demo-snapshot"))


@pytest.fixture
def demo(db, demo_snapshot, sabo_data_dir: Path):  # type: ignore[no-untyped-def]
    """The whole demo partnership, as `saferboard demo --no-serve` loads it: its rows in
    this test's transaction and its files in this test's data directory."""
    from tests.demo_snapshot import restore

    return restore(demo_snapshot, sabo_data_dir)
