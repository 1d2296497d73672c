"""Engine results kept between requests, keyed by the version of the case records.

Computing a service's KPIs from its case records takes a few hundred milliseconds and
the answer changes only when case records are imported. So results are cached under a
key that names the records they were computed from: the latest youth justice import
(any service: an import can move a child between services; its id and time) and the service's own
latest import and data date. A new import therefore makes every cached result
unreachable at once; nothing has to be deleted, and no request ever sees figures from
records that have been replaced. The values cached are aggregates only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice.models import Service

T = TypeVar("T")

# A day: the key changes with the records, so the timeout only bounds memory use.
TIMEOUT_SECONDS = 24 * 60 * 60


def records_version(service: Service) -> str:
    """A string that changes whenever the case records behind ``service`` change."""
    # The time as well as the id: ids can be reused (a rolled-back transaction, a restore
    # of an older backup), an id with its microsecond timestamp is not.
    latest = (
        DataImport.objects.filter(source_kind=SourceKind.YOUTH_JUSTICE)
        .order_by("-pk")
        .values_list("pk", "imported_at")
        .first()
    )
    stamp = f"{latest[0]}@{latest[1].timestamp()}" if latest else "none"
    return f"{stamp}-{service.last_import_id}-{service.data_to}"


def cached_for_records(service: Service, parts: Iterable[object], compute: Callable[[], T]) -> T:
    """``compute()``, or its earlier answer for the same records and the same ``parts``."""
    key = ":".join(
        ["yj-results", str(service.pk), records_version(service), *(str(p) for p in parts)]
    )
    found: T | None = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT_SECONDS)
    return found
