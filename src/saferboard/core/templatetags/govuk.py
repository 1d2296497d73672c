"""Template helpers for GOV.UK Frontend components, loaded as a builtin library."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.forms import BoundField
from django.template import Engine
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.utils.safestring import SafeData, mark_safe

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


@register.inclusion_tag("components/error_summary.html")
def govuk_error_at(text: str, href: str) -> dict[str, Any]:
    """The GOV.UK error summary for one message of a page's own (not a form's), linking
    to ``href`` where it is put right; nothing when there is no message."""
    return {"items": [{"text": text, "href": href}] if text else []}


@register.filter
def page_title(title: str, has_errors: bool = False) -> str:
    return f"Error: {title}" if has_errors else title


# The GOV.UK table component (govukTable): one place for the table, its caption and its
# column headings, so that pages write only their rows.

NUMERIC_FLAG = "numeric"
_COLUMN_CLASS = re.compile(r"[A-Za-z][\w!-]*-[\w!-]*")


def table_columns(spec: str) -> list[dict[str, Any]]:
    """The column headings of a ``govuk_table`` from its ``columns`` string.

    Headings are separated by ``|``; a heading may end in ``:`` and its classes, where
    ``numeric`` stands for ``govuk-table__header--numeric`` and any other class (one with
    a hyphen, e.g. ``govuk-!-width-one-half``) is kept as written, in order. A colon in a
    heading whose tail is not such classes ("Rank: 1 is best") stays part of the heading.
    Labels written in a template are trusted markup; labels from a variable are escaped.
    """
    safe = isinstance(spec, SafeData)
    columns: list[dict[str, Any]] = []
    for part in str(spec).split("|"):
        label, sep, tail = part.rpartition(":")
        flags = tail.split()
        if (
            not sep
            or not flags
            or not all(f == NUMERIC_FLAG or _COLUMN_CLASS.fullmatch(f) for f in flags)
        ):
            label, flags = part, []
        classes = ["govuk-table__header--numeric" if f == NUMERIC_FLAG else f for f in flags]
        # A literal written in a template is the template's own markup; a variable is not.
        text = mark_safe(label) if safe else label  # noqa: S308  # nosec B308 B703
        columns.append({"label": text, "classes": classes})
    return columns


class GovukTableNode(template.Node):
    """A ``{% govuk_table %}`` block: the table head from arguments, the rows from the
    block, and the caption from ``caption=`` or from the block before
    ``{% govuk_table_rows %}`` when the caption holds variables."""

    # So that {% block %} tags and the like inside the table are found by traversal.
    child_nodelists = ("caption_nodelist", "rows_nodelist")

    def __init__(
        self,
        kwargs: dict[str, FilterExpression],
        caption_nodelist: NodeList | None,
        rows_nodelist: NodeList,
    ) -> None:
        self.kwargs = kwargs
        self.caption_nodelist = caption_nodelist
        self.rows_nodelist = rows_nodelist

    def render(self, context: Context) -> str:
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        caption = values.get("caption")
        if self.caption_nodelist is not None:
            # Already rendered with autoescaping, so safe; stripped of the block's layout.
            caption = mark_safe(self.caption_nodelist.render(context).strip())  # noqa: S308  # nosec B308 B703
        table_context = {
            "classes": values.get("classes", ""),
            "id": values.get("id", ""),
            "has_caption": caption is not None,
            "caption": caption,
            "caption_size": values.get("caption_size", ""),
            "caption_hidden": bool(values.get("caption_hidden", False)),
            "columns": table_columns(values.get("columns", "")),
            # Rendered by the page's own template, escaped as it went.
            "rows": mark_safe(self.rows_nodelist.render(context)),  # noqa: S308  # nosec B308 B703
        }
        engine = context.template.engine if context.template else Engine.get_default()
        component = engine.get_template("components/table.html")
        return component.render(context.new(table_context))


@register.tag("govuk_table")
def govuk_table(parser: Parser, token: Token) -> GovukTableNode:
    """``{% govuk_table columns="Area|Total:numeric" caption="…" caption_size="m"
    caption_hidden=True id="…" classes="…" %}rows{% endgovuk_table %}``: a GOV.UK table.

    A caption with variables goes in the block, ended by ``{% govuk_table_rows %}``:
    ``{% govuk_table columns="…" %}Cases for {{ panel }}{% govuk_table_rows %}rows…``.
    """
    bits = token.split_contents()
    kwargs = token_kwargs(bits[1:], parser)
    if len(bits) - 1 != len(kwargs):
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes only name=value arguments: {token.contents!r}"
        )
    nodelist = parser.parse(("govuk_table_rows", "endgovuk_table"))
    caption_nodelist: NodeList | None = None
    if parser.next_token().contents == "govuk_table_rows":
        caption_nodelist = nodelist
        nodelist = parser.parse(("endgovuk_table",))
        parser.delete_first_token()
    return GovukTableNode(kwargs, caption_nodelist, nodelist)
