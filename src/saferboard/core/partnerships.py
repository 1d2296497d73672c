"""Which partnership this installation serves."""

from __future__ import annotations

from saferboard.core.models import Partnership


def current_partnership() -> Partnership | None:
    """The partnership shown in the header: the first configured (one per installation)."""
    return Partnership.objects.order_by("pk").first()
