"""The one GOV.UK form-field renderer's logic: which component a widget needs and what
its template is given (issue 23).

The template tags (``govuk_field``, ``form_field``, ``panel_field``, all in
``core/templatetags``) are thin wrappers over :func:`field_context`, so the widget
classification, the hint, the selected values and the shown value are decided once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import BoundField

# Components a field can render as (the GOV.UK Frontend names).
CHECKBOXES, RADIOS, CHECKBOX, SELECT, TEXTAREA, FILE, INPUT = (
    "checkboxes",
    "radios",
    "checkbox",
    "select",
    "textarea",
    "file",
    "input",
)


def component(widget: forms.Widget, *, single_checkbox: bool = True, files: bool = True) -> str:
    """The GOV.UK component for ``widget``. Layouts without a single-checkbox or a file
    upload component (the panel forms') pass ``False`` and get a text input instead."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX if single_checkbox else INPUT
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return FILE if files else INPUT
    return INPUT


def selected_values(value: Any) -> set[str]:
    """The field's value(s) as strings, to mark the chosen options."""
    return {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}


def shown_value(value: Any) -> str:
    """A text input's value as shown: a date as dd/mm/yyyy, nothing for no value."""
    if value in (None, ""):
        return ""
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def field_context(
    field: BoundField,
    *,
    hint: str = "",
    width: str = "",
    label_class: str = "",
    autocomplete: str = "",
    help_text_as_hint: bool = True,
    single_checkbox: bool = True,
    files: bool = True,
) -> dict[str, Any]:
    """Everything a GOV.UK field template needs for ``field``. ``hint`` falls back to the
    field's help text unless ``help_text_as_hint`` is off (the sign-in pages' fields)."""
    value = field.value()
    kind = component(field.field.widget, single_checkbox=single_checkbox, files=files)
    return {
        "field": field,
        "component": kind,
        "kind": kind,
        "hint": hint or (field.help_text if help_text_as_hint else ""),
        "width": width,
        "label_class": label_class,
        "autocomplete": autocomplete,
        "selected": selected_values(value),
        "input_type": getattr(field.field.widget, "input_type", "text"),
        "display_value": shown_value(value) if kind == INPUT else "",
    }
