"""Forms for defining measures and rating them by judgement.

The forms only collect text; :mod:`saferboard.measures.editing` checks it (the same
checks as the command line) and its problems come back as errors on these fields.
"""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.core.models import RagStatus
from saferboard.measures.definitions import SOURCES, Problem, parts_of, source_of
from saferboard.measures.editing import DIRECTION_NAMES, RULE_NAMES, MeasureChange, pct_text
from saferboard.measures.models import Measure, RuleKind, Unit

DIRECTION_CHOICES = [
    ("lower", "Lower is better"),
    ("higher", "Higher is better"),
    ("monitor", "Monitor only (no direction of good)"),
]
RULE_CHOICES = [
    ("lower-is-better", "Lower is better, with tolerance bands"),
    ("higher-is-better", "Higher is better, with tolerance bands"),
    ("judgement", "Judgement: a named person sets the rating and gives the reason"),
    ("none", "No RAG rating"),
]
LINES_HINT = "One on each line."


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeasureForm(forms.Form):
    """Add or change a measure. The source and identifier are fixed once it exists."""

    source = forms.ChoiceField(
        label="Source",
        choices=[(s.name, s.label) for s in SOURCES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the figures come from"},
    )
    slug = forms.CharField(
        label="Identifier",
        max_length=80,
        help_text="Lower-case letters, digits and hyphens, such as knife-crime. It cannot "
        "be changed later.",
        error_messages={"required": "Enter an identifier"},
    )
    label = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the measure's name"}
    )
    description = forms.CharField(
        label="Definition in plain words", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    synonyms = forms.CharField(
        label="Other names in narrative text",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One on each line, such as knife offences. The board pack's figure check "
        "compares a sentence naming the measure by its name or one of these with its stored "
        "figures.",
    )
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, initial=Unit.COUNT)
    direction = forms.ChoiceField(
        label="Direction of good", choices=DIRECTION_CHOICES, widget=forms.RadioSelect
    )
    include = forms.CharField(
        label="Categories counted",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One on each line. police.uk: a category such as burglary, or all. Met "
        "recorded crime: a major or minor category such as VIOLENCE WITH INJURY, or all. Met "
        "crime dashboard: crime type|subtype|measure, such as Knife Crime|Knife Crime|Offences.",
    )
    exclude = forms.CharField(
        label="Categories left out",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One on each line. police.uk: left out of all. Met recorded crime: a minor "
        "category within those counted, or a Met crime dashboard row to subtract.",
    )
    plus = forms.CharField(
        label="Measures added",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Identifiers of measures of the same source, one on each line.",
    )
    minus = forms.CharField(
        label="Measures subtracted",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Identifiers of measures of the same source, one on each line.",
    )
    rule = forms.ChoiceField(label="RAG rule", choices=RULE_CHOICES, widget=forms.RadioSelect)
    green = forms.DecimalField(
        label="Green while no more than this % worse",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=3,
        help_text="For the lower-is-better and higher-is-better rules. Standard: 0.",
    )
    amber = forms.DecimalField(
        label="Amber while no more than this % worse (Red beyond)",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=3,
        help_text="Standard: 10.",
    )
    retired_on = forms.DateField(
        label="Retired on",
        required=False,
        help_text="Leave empty while the measure is in use. A retired measure drops out of "
        "dashboards; its figures are kept. For example, 31/3/2026.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def __init__(self, *args: Any, measure: Measure | None = None, **kwargs: Any) -> None:
        self.measure = measure
        if measure is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(measure)
        super().__init__(*args, **kwargs)
        if measure is None:
            del self.fields["retired_on"]
            self.fields["direction"].initial = "lower"
            self.fields["rule"].initial = "lower-is-better"
        else:
            # Source and identifier name the measure's figures: fixed once it exists (and
            # a Met measure's stored kind need not be one of the choices).
            del self.fields["source"]
            del self.fields["slug"]

    def change(self) -> MeasureChange:
        """What the form asks for, for :func:`saferboard.measures.editing.save_measure`."""
        data = self.cleaned_data
        rule = data["rule"]
        bands = rule in {"lower-is-better", "higher-is-better"}
        change = MeasureChange(
            slug=data.get("slug") if self.measure is None else None,
            label=data["label"],
            description=data["description"],
            synonyms=data.get("synonyms", ""),
            unit=data["unit"],
            direction=data["direction"],
            include=_lines(data["include"]),
            exclude=_lines(data["exclude"]),
            plus=_lines(data["plus"]),
            minus=_lines(data["minus"]),
            rule=rule,
            green=data["green"] if bands else None,
            amber=data["amber"] if bands else None,
        )
        if self.measure is not None:
            retired_on = data.get("retired_on")
            if retired_on and retired_on != self.measure.retired_on:
                change.retire, change.retired_on = True, retired_on
            elif not retired_on and self.measure.retired_on:
                change.unretire = True
        return change

    def add_problems(self, problems: list[Problem]) -> None:
        """Show the service's problems on the fields they are about."""
        for problem in problems:
            name = problem.field if problem.field in self.fields else None
            message = problem.message[0].upper() + problem.message[1:]
            if problem.value and name not in {"include", "exclude", "plus", "minus"}:
                message = f"{problem.value}: {problem.message}"
            elif problem.value:
                message = f"‘{problem.value}’: {problem.message}"
            self.add_error(name, message)


def initial_for(measure: Measure) -> dict[str, Any]:
    """The form's values for an existing measure."""
    parts = parts_of(measure.definition or {})
    version = measure.rag_rule.current_version() if measure.rag_rule_id else None
    bands = version is not None and version.kind != RuleKind.MANUAL
    return {
        "source": source_of(measure.source_kind, measure.definition or {}).name,
        "slug": measure.slug,
        "label": measure.label,
        "description": measure.description,
        "synonyms": measure.synonyms,
        "unit": measure.unit,
        "direction": DIRECTION_NAMES.get(measure.direction, "lower"),
        "include": "\n".join(parts.include),
        "exclude": "\n".join(parts.exclude),
        "plus": "\n".join(parts.plus),
        "minus": "\n".join(parts.minus),
        "rule": RULE_NAMES.get(version.kind, "none") if version else "none",
        "green": pct_text(version.green_max_pct) if bands and version else None,
        "amber": pct_text(version.amber_max_pct) if bands and version else None,
        "retired_on": measure.retired_on,
    }


class JudgementForm(forms.Form):
    """A judgement rating: a status, an optional second status and the reason."""

    status = forms.ChoiceField(
        label="RAG status",
        choices=RagStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the RAG status"},
    )
    second_status = forms.ChoiceField(
        label="Second status, for a split rating (optional)",
        choices=[("", "No second status"), *RagStatus.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="For example Amber/Green, where two aspects differ.",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the partnership rates the figure this way.",
        error_messages={"required": "Enter the reason for the rating"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("second_status") and data.get("second_status") == data.get("status"):
            self.add_error("second_status", "Choose a second status different from the first")
        return data
