"""``{% panel_field %}``: the panel forms' GOV.UK form group (their layout: blank
choices are left out, no autocomplete or spelling check, short text areas).

A thin tag over the one renderer, ``core.form_rendering.field_context``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from saferboard.core.form_rendering import field_context

register = template.Library()


@register.inclusion_tag("components/field.html")
def panel_field(field: BoundField, hint: str = "", width: str = "") -> dict[str, Any]:
    """Render one bound field as a GOV.UK form group."""
    return field_context(
        field,
        hint=hint,
        width=width,
        autocomplete="off",  # the browser keeps no names or references of people
        no_spellcheck=True,
        skip_blank_choices=True,
        rows=4,
    )
