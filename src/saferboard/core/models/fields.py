"""Field declarations several apps' models make alike."""

from __future__ import annotations

from typing import Any

from django.db import models


def optional_self_link(related_name: str, help_text: str = "") -> models.ForeignKey[Any, Any]:
    """An optional link to another row of the same table: a parent (an area's region, a
    board's parent board, an agenda item's item) or an earlier row (the meeting that
    agreed these minutes).

    PROTECT, because removing a row must not silently remove or orphan the rows that
    point at it: the services retire or re-link them first.
    """
    return models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
    )
