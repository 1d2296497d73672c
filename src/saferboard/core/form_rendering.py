"""The one GOV.UK form-field renderer's logic: which component a widget needs and what
its template is given (issue 23).

The template tags (``govuk_field``, ``form_field``, ``panel_field``, all in
``core/templatetags``) are thin wrappers over :func:`field_context` and render the one
template, ``components/field.html``: the widget classification, the hint, the ids that
``aria-describedby`` names, the options and the shown value are decided once, here.
"""

from __future__ import annotations

from datetime import date, datetime, time
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


def component(widget: forms.Widget) -> str:
    """The GOV.UK component for ``widget``."""
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return FILE
    return INPUT


def selected_values(value: Any) -> set[str]:
    """The field's value(s) as strings, to mark the chosen options."""
    return {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}


def shown_value(value: Any, input_formats: Any = ()) -> str:
    """A text input's value as the field reads it back: nothing for no value; a date as
    dd/mm/yyyy where the field takes that (else yyyy-mm-dd, which every date field
    takes), with hh:mm for a date and time; a time as hh:mm."""
    if value in (None, ""):
        return ""
    formats = list(input_formats or ())
    if isinstance(value, datetime):
        day = "%d/%m/%Y" if "%d/%m/%Y %H:%M" in formats else "%Y-%m-%d"
        return value.strftime(f"{day} %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y" if "%d/%m/%Y" in formats else "%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def options(field: BoundField, selected: set[str], *, skip_blank: bool) -> list[dict[str, Any]]:
    """A choice list's items: value, label, id and whether chosen. The first item shown
    takes the field's own id, so the error summary's link lands on it (GOV.UK's
    pattern); the others add their place in the choices, as Django numbers them."""
    items: list[dict[str, Any]] = []
    base = field.auto_id
    for index, (value, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        if skip_blank and value == "":
            continue
        ident = base if not items else f"{base}_{index}"
        items.append(
            {"value": value, "label": label, "id": ident, "checked": str(value) in selected}
        )
    return items


def field_context(
    field: BoundField,
    *,
    hint: str = "",
    width: str = "",
    label_class: str = "",
    autocomplete: str = "",
    help_text_as_hint: bool = True,
    no_spellcheck: bool = False,
    skip_blank_choices: bool = False,
    rows: int | None = None,
) -> dict[str, Any]:
    """Everything the one GOV.UK field template needs for ``field``.

    ``hint`` falls back to the field's help text unless ``help_text_as_hint`` is off
    (the sign-in pages' fields). ``no_spellcheck`` turns the browser's spelling check
    off on text and email inputs (names, references); ``skip_blank_choices`` leaves a
    choice list's blank option out; ``rows`` overrides a text area's own.
    """
    value = field.value()
    kind = component(field.field.widget)
    widget = field.field.widget
    # A choice list's label names no one input, so Django gives it no id_for_label.
    ident = field.id_for_label or field.auto_id
    shown_hint = hint or (field.help_text if help_text_as_hint else "")
    hint_id, error_id = f"{ident}-hint", f"{ident}-error"
    describedby = " ".join(
        [*([hint_id] if shown_hint else []), *([error_id] if field.errors else [])]
    )
    input_type = getattr(widget, "input_type", "text")
    selected = selected_values(value)
    shown = ""
    if kind == INPUT and input_type != "password":  # a password is never sent back
        shown = shown_value(value, getattr(field.field, "input_formats", ()))
    return {
        "field": field,
        "component": kind,
        "id": ident,
        "hint": shown_hint,
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": describedby,
        "width": width,
        "label_class": label_class,
        "autocomplete": autocomplete,
        "spellcheck_off": no_spellcheck and input_type in ("text", "email"),
        # A select keeps its blank option: it is the "choose one" prompt.
        "options": options(field, selected, skip_blank=skip_blank_choices and kind != SELECT)
        if kind in (CHECKBOXES, RADIOS, SELECT)
        else [],
        "input_type": input_type,
        "display_value": shown,
        "rows": rows or widget.attrs.get("rows", 4),
    }
