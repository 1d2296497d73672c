"""Forms for setting up data-return templates and their fields.

They only collect and tidy what was typed; :mod:`saferboard.returns.setup` applies the
rules (and refuses what breaks them), so the pages and any other caller agree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from saferboard.core.form_fields import DATE_INPUT_FORMATS
from saferboard.core.models import Area, Organisation, Partnership
from saferboard.core.settings_pages import organisation_choices
from saferboard.measures.models import Measure, Unit
from saferboard.returns.models import Frequency, ReturnTemplate, TemplateMeasure
from saferboard.returns.setup import (
    MAX_DUE_DAYS,
    FieldChecks,
    TemplateDetails,
    plain,
    return_measures,
)


def area_choices(partnership: Partnership | None) -> QuerySet[Area]:
    """Areas a return can describe: the partnership's borough, its wards and its forces."""
    if partnership is None or partnership.local_authority_id is None:
        return Area.objects.none()
    la = partnership.local_authority_id
    return Area.objects.filter(
        Q(pk=la) | Q(parent_id=la, kind="ward") | Q(pk__in=partnership.forces.all())
    ).order_by("kind", "name")


class TemplateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Victim referrals (Victim Support)",
        error_messages={"required": "Enter the template's name"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation that makes the return",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation that makes the return"},
    )
    area = forms.ModelChoiceField(
        label="Area the figures describe",
        queryset=Area.objects.none(),
        empty_label="Choose an area",
        error_messages={"required": "Choose the area the figures describe"},
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often the return is made"},
    )
    first_period_start = forms.DateField(
        label="First period",
        input_formats=DATE_INPUT_FORMATS,
        help_text="A day in the first month or quarter partners return, for example 1/4/2025",
        error_messages={
            "required": "Enter the first period",
            "invalid": "Enter the first period as a date, for example 1/4/2025",
        },
    )
    due_days = forms.IntegerField(
        label="Due, in days after the period ends",
        min_value=0,
        max_value=MAX_DUE_DAYS,
        initial=15,
        help_text="For example, 15: a March return is due on 15 April",
        error_messages={
            "required": "Enter how many days after the period ends the return is due",
            "invalid": "Enter the number of days as a whole number",
            "min_value": "Enter a number of days from 0 to 366",
            "max_value": "Enter a number of days from 0 to 366",
        },
    )
    guidance = forms.CharField(
        label="Guidance for the partner (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, partnership: Partnership | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_choices(partnership)  # type: ignore[attr-defined]
        self.fields["area"].queryset = area_choices(partnership)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(template: ReturnTemplate) -> dict[str, Any]:
        day = template.first_period_start
        return {
            "name": template.name,
            "organisation": template.organisation_id,
            "area": template.area_id,
            "frequency": template.frequency,
            # As typed, so the page shows a date the field reads back.
            "first_period_start": f"{day.day}/{day.month}/{day.year}",
            "due_days": template.due_days,
            "guidance": template.guidance,
        }

    def details(self) -> TemplateDetails:
        data = self.cleaned_data
        return TemplateDetails(
            name=data["name"],
            organisation=data["organisation"],
            area=data["area"],
            frequency=data["frequency"],
            first_period_start=data["first_period_start"],
            due_days=data["due_days"],
            guidance=data.get("guidance", ""),
        )


def _decimal(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=16,
        decimal_places=4,
        help_text=help_text,
        error_messages={"invalid": f"{label.split(' (')[0]} must be a number"},
    )


class FieldChecksForm(forms.Form):
    """A field's checks and hint (the measure itself is chosen on adding)."""

    hint = forms.CharField(
        label="Hint shown under the box (optional)", required=False, max_length=300
    )
    required = forms.BooleanField(label="A value must be given", required=False, initial=True)
    integer = forms.BooleanField(label="Whole numbers only", required=False, initial=True)
    allow_negative = forms.BooleanField(label="Negative values allowed", required=False)
    minimum = _decimal("Minimum (optional)", "The smallest value accepted")
    maximum = _decimal("Maximum (optional)", "The largest value accepted")
    change_threshold_pct = _decimal(
        "Change prompt, % (optional)",
        "Ask for a comment when the value moves more than this from last period",
    )

    @staticmethod
    def initial_for(item: TemplateMeasure) -> dict[str, Any]:
        return {
            "hint": item.hint,
            "required": item.required,
            "integer": item.integer,
            "allow_negative": item.allow_negative,
            "minimum": _plain(item.minimum),
            "maximum": _plain(item.maximum),
            "change_threshold_pct": _plain(item.change_threshold_pct),
        }

    def checks(self) -> FieldChecks:
        data = self.cleaned_data
        return FieldChecks(
            required=data.get("required", False),
            integer=data.get("integer", False),
            allow_negative=data.get("allow_negative", False),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            change_threshold_pct=data.get("change_threshold_pct"),
            hint=data.get("hint", ""),
        )


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


class AddFieldForm(FieldChecksForm):
    """Choose an existing data-return measure, or name a new one."""

    measure = forms.ModelChoiceField(
        label="Existing measure",
        required=False,
        queryset=Measure.objects.none(),
        empty_label="None: create a new measure below",
    )
    new_label = forms.CharField(label="Or a new measure's name", required=False, max_length=200)
    new_unit = forms.ChoiceField(
        label="New measure's unit", choices=Unit.choices, initial=Unit.COUNT
    )
    new_description = forms.CharField(
        label="What the new measure counts (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, template: ReturnTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_template = template.items.values_list("measure_id", flat=True)
        self.fields["measure"].queryset = return_measures().exclude(pk__in=on_template)  # type: ignore[attr-defined]
        self.order_fields(["measure", "new_label", "new_unit", "new_description"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen, label = data.get("measure"), (data.get("new_label") or "").strip()
        if chosen is None and not label:
            self.add_error("measure", "Choose a measure, or enter a new measure's name")
        elif chosen is not None and label:
            self.add_error("new_label", "Choose an existing measure or name a new one, not both")
        return data
