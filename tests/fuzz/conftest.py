"""Fixtures for the fuzz tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def crime_reference_rows(db) -> None:  # type: ignore[no-untyped-def]
    """The rows a crime import creates the first time it runs (the standard RAG rules,
    the crime measures, the London boroughs), made once before a test's examples.

    Every example is rolled back (fresh_example), so without this each one would create
    them again (most of the cost of a small import); with it, each example imports as
    every import after a site's first one does, and what it changes is rolled back.
    """
    from saferboard.crime.geography import ensure_boroughs
    from saferboard.crime.measures import ensure_measures

    ensure_measures()
    ensure_boroughs()
