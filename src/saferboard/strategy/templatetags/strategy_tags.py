"""Template helpers for strategy pages: update state tags and form components."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from saferboard.strategy.workflow import State

register = template.Library()

# GOV.UK tag colour per update state. The text always says the state too.
_STATE_CLASS = {
    State.NOT_STARTED: "govuk-tag--grey",
    State.DRAFT: "govuk-tag--yellow",
    State.SUBMITTED: "govuk-tag--blue",
    State.RESUBMITTED: "govuk-tag--blue",
    State.RETURNED: "govuk-tag--pink",
    State.ACCEPTED: "govuk-tag--turquoise",
}


@register.inclusion_tag("strategy/components/state_tag.html")
def state_tag(update: Any, today: date | None = None) -> dict[str, Any]:
    """The update's state as a tag, followed by 'Late' when it is late."""
    state = State(update.state)
    return {
        "text": state.label,
        "css_class": _STATE_CLASS[state],
        "late": update.is_late(today),
        "carried": update.carried_forward and state in (State.NOT_STARTED, State.DRAFT),
    }


@register.inclusion_tag("strategy/components/textarea.html")
def govuk_textarea(field: BoundField, hint: str = "", heading: bool = False) -> dict[str, Any]:
    return {"field": field, "hint": hint, "heading": heading}


@register.inclusion_tag("strategy/components/radios.html")
def govuk_radios(
    field: BoundField,
    hints: dict[str, str] | None = None,
    inline: bool = False,
    legend_size: str = "s",
) -> dict[str, Any]:
    choice_field = field.field
    if not isinstance(choice_field, forms.ChoiceField):
        raise TypeError(f"{field.name} has no choices to show as radios")
    value = field.value()
    base = field.auto_id  # radios' id_for_label is empty: the group has no single label
    options = [
        {
            "value": v,
            "label": label,
            "id": base if i == 0 else f"{base}_{i}",
            "checked": str(value or "") == str(v),
            "hint": (hints or {}).get(v, ""),
        }
        # Django normalises choices to (value, label) pairs; the stubs give a wider type.
        for i, (v, label) in enumerate(choice_field.choices)  # type: ignore[arg-type]
    ]
    return {
        "field": field,
        "base": base,
        "options": options,
        "inline": inline,
        "legend_size": legend_size,
    }


@register.filter
def safe_narrative(html: str) -> SafeString:
    """Mark narrative HTML safe: it was cleaned by nh3 when saved (content.py)."""
    return mark_safe(html)  # noqa: S308 - nh3-cleaned on save  # nosec B308 B703
