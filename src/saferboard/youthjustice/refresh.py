"""The step every youth justice import ends with: recompute the stored figures.

An import commits its records through :func:`saferboard.core.importing.pipeline.run_import`,
whose last step (``refresh``) runs inside the import's transaction once the records are
written. The importers take that step as a parameter (``refresh=``), defaulting to
:func:`refresh_services`, so a caller (a test, a bulk load) can put its own.

Layering (issue 23): importers (:mod:`.importer`, :mod:`.benchmarks`, :mod:`.published`)
→ this module → :mod:`.observations` → :mod:`.comparators`; nothing below imports
anything above, so no import here has to wait until a function runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from saferboard.youthjustice.models import Service
from saferboard.youthjustice.observations import refresh_observations

Refresh = Callable[[Sequence[str]], object]
"""Given the names of the services whose data changed, recompute what depends on it."""


def refresh_services(service_names: Sequence[str]) -> None:
    """Recompute and store the named services' observations (see :mod:`.observations`)."""
    refresh_observations(service_names)


def refresh_services_with_records() -> None:
    """Recompute every service that has case records (comparators changed for all)."""
    refresh_services([s.name for s in Service.objects.filter(data_to__isnull=False)])
