"""Which partnership this installation serves."""

from __future__ import annotations

from saferboard.core.models import Partnership

DEMO_PARTNERSHIP_NAME = "Example Borough Safer Partnership"
"""The demo's partnership (``saferboard demo``), named here so that production code (such
as ``saferboard init``, which refuses a demo database) never imports a demo module."""


def current_partnership() -> Partnership | None:
    """The partnership shown in the header: the first configured (one per installation)."""
    return Partnership.objects.order_by("pk").first()
