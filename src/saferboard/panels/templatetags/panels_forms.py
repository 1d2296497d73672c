"""GOV.UK form groups for every widget the panel forms use (select, radios, checkboxes,
textarea, text and date inputs), with label, hint and error in the design system's way."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.forms import BoundField

register = template.Library()


def _kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.inclusion_tag("panels/components/field.html")
def panel_field(field: BoundField, hint: str = "", width: str = "") -> dict[str, Any]:
    """Render one bound field as a GOV.UK form group."""
    value = field.value()
    kind = _kind(field)
    shown = ""
    if kind == "input" and value not in (None, ""):
        shown = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)
    selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
    return {
        "field": field,
        "kind": kind,
        "hint": hint or field.help_text,
        "width": width,
        "selected": selected,
        "input_type": getattr(field.field.widget, "input_type", "text"),
        "display_value": shown,
    }
