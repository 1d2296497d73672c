"""A GOV.UK form group for any Django field: text, textarea, select, radios, checkboxes, file.

The core ``govuk_field`` tag covers text-like inputs; action plans and meetings also
need the other GOV.UK components, so this one tag picks the component by widget.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import BoundField

register = template.Library()


def _component(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.inclusion_tag("actions/_field.html")
def form_field(
    field: BoundField, hint: str = "", width: str = "", label_class: str = ""
) -> dict[str, Any]:
    """Render ``field`` as the GOV.UK component that fits its widget."""
    value = field.value()
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return {
        "field": field,
        "component": _component(field),
        "hint": hint or field.help_text,
        "width": width,
        "label_class": label_class,
        "selected": selected,
        "input_type": getattr(field.field.widget, "input_type", "text"),
    }
