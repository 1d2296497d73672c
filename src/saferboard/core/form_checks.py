"""Checks that forms of every app make on fields taken together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms


def check_not_before(
    form: forms.BaseForm, data: Mapping[str, Any], earlier: str, later: str, message: str
) -> None:
    """Put ``message`` on the field ``later`` when both dates are given and it falls
    before the field ``earlier`` (the same day is fine). A date left empty, or refused by
    its own field, is not compared: its own message says what is wrong."""
    first, second = data.get(earlier), data.get(later)
    if first and second and second < first:
        form.add_error(later, message)
