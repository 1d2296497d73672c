"""The step every youth justice import ends with: recompute the stored figures.

An import commits its records through :func:`saferboard.core.importing.pipeline.run_import`,
whose last step (``refresh``) runs once the records are committed. The importers take
that step as a parameter (``refresh=``), defaulting to :func:`refresh_services`, instead
of importing :mod:`.observations`: the observations import the comparator module
(:mod:`.benchmarks`), which used to import the case record importer back for its
problem type (the cycle benchmarks ↔ importer ↔ observations, issue 23).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Refresh = Callable[[Sequence[str]], object]
"""Given the names of the services whose data changed, recompute what depends on it."""


def refresh_services(service_names: Sequence[str]) -> None:
    """Recompute and store the named services' observations (see :mod:`.observations`)."""
    # Imported here: observations imports benchmarks, whose import takes this step.
    from saferboard.youthjustice.observations import refresh_observations

    refresh_observations(service_names)


def refresh_services_with_records() -> None:
    """Recompute every service that has case records (comparators changed for all)."""
    from saferboard.youthjustice.models import Service

    refresh_services([s.name for s in Service.objects.filter(data_to__isnull=False)])
