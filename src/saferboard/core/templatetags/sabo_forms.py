"""``{% form_field %}``: a GOV.UK form group for any Django field (text, textarea, select,
radios, checkboxes, a single checkbox, file), the component picked by widget.

A thin tag over the one renderer, ``core.form_rendering.field_context``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from saferboard.core.form_rendering import field_context

register = template.Library()


@register.inclusion_tag("components/field.html")
def form_field(
    field: BoundField, hint: str = "", width: str = "", label_class: str = ""
) -> dict[str, Any]:
    """Render ``field`` as the GOV.UK component that fits its widget."""
    return field_context(field, hint=hint, width=width, label_class=label_class)
