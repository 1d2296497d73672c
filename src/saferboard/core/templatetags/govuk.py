"""Template helpers for GOV.UK Frontend components, loaded as a builtin library."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from saferboard.core.form_rendering import field_context
from saferboard.core.presenters import rag_tags

register = template.Library()


@register.inclusion_tag("components/rag_tag.html")
def rag_tag(
    subject: Any = None, status: str | None = None, second: str | None = None
) -> dict[str, Any]:
    """Render a RAG tag from an object with ``rag_status`` fields, or from statuses."""
    if subject is not None:
        status = getattr(subject, "rag_status", None) or getattr(subject, "status", None)
        second = getattr(subject, "rag_second_status", None) or getattr(
            subject, "second_status", None
        )
    return {"tags": rag_tags(status, second)}


@register.inclusion_tag("components/field.html")
def govuk_field(
    field: BoundField, hint: str = "", autocomplete: str = "", width: str = ""
) -> dict[str, Any]:
    """A GOV.UK form group for one field (the sign-in pages' layout: no help text as a
    hint, no spelling check), with its label, hint and error."""
    return field_context(
        field,
        hint=hint,
        autocomplete=autocomplete,
        width=width,
        help_text_as_hint=False,
        no_spellcheck=True,
    )


@register.inclusion_tag("components/error_summary.html")
def govuk_error_summary(form: Any) -> dict[str, Any]:
    """The GOV.UK error summary: every error, each linking to its field."""
    items: list[dict[str, str]] = []
    if form is not None and form.errors:
        for error in form.non_field_errors():
            first = next(iter(form.fields), "")
            items.append({"text": error, "href": f"#id_{first}"})
        for name in form.fields:
            for error in form.errors.get(name, []):
                items.append({"text": error, "href": f"#id_{name}"})
    return {"items": items}


@register.filter
def page_title(title: str, has_errors: bool = False) -> str:
    return f"Error: {title}" if has_errors else title
