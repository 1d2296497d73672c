"""The form for setting up a panel (kind, name, schedule, sharing basis, organisations,
flags, retention). It collects; :mod:`saferboard.panels.setup` checks and saves."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.core.form_fields import checkboxes
from saferboard.core.models import Organisation, Partnership
from saferboard.core.settings_pages import organisation_choices
from saferboard.panels.models import Flag, Panel, PanelType
from saferboard.panels.setup import MAX_RETENTION_MONTHS, PanelDetails, populations


class PanelForm(forms.Form):
    type = forms.ChoiceField(
        label="Kind of panel",
        choices=PanelType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of panel"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Exploitation and Gangs Panel",
        error_messages={"required": "Enter the panel's name"},
    )
    schedule = forms.CharField(
        label="When it meets (optional)",
        required=False,
        max_length=200,
        help_text="For example, Monthly, second Tuesday",
    )
    legal_basis = forms.CharField(
        label="Lawful basis for sharing",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The UK GDPR Article 6 and Article 9 or 10 conditions, and the statutes",
        error_messages={"required": "Enter the lawful basis for sharing"},
    )
    isa_reference = forms.CharField(
        label="Information-sharing agreement reference (optional)",
        required=False,
        max_length=120,
    )
    member_organisations = checkboxes(
        Organisation,
        "Member organisations",
        help_text="Only people of these organisations can hold a seat. Taking an "
        "organisation off ends its people's seats at once.",
    )
    flags = forms.MultipleChoiceField(
        label="Flags the panel uses",
        choices=Flag.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A new panel with none ticked starts with the usual flags for its kind.",
    )
    retention_months = forms.IntegerField(
        label="Months a closed case is kept",
        min_value=1,
        max_value=MAX_RETENTION_MONTHS,
        initial=24,
        help_text="After this many months a closed case is deleted.",
        error_messages={
            "required": "Enter how many months a closed case is kept",
            "invalid": "Enter the number of months as a whole number",
            "min_value": f"Enter a number of months from 1 to {MAX_RETENTION_MONTHS}",
            "max_value": f"Enter a number of months from 1 to {MAX_RETENTION_MONTHS}",
        },
    )
    population_key = forms.ChoiceField(
        label="Population the list's make-up is compared with (optional)",
        required=False,
        choices=[],
    )

    def __init__(self, *args: Any, partnership: Partnership | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member_organisations"].queryset = organisation_choices(partnership)  # type: ignore[attr-defined]
        self.fields["population_key"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *populations().items(),
        ]

    @staticmethod
    def initial_for(panel: Panel) -> dict[str, Any]:
        return {
            "type": panel.type,
            "name": panel.name,
            "schedule": panel.schedule,
            "legal_basis": panel.legal_basis,
            "isa_reference": panel.isa_reference,
            "member_organisations": [o.pk for o in panel.member_organisations.all()],
            "flags": list(panel.flags),
            "retention_months": panel.retention_months,
            "population_key": panel.population_key,
        }

    def details(self) -> PanelDetails:
        data = self.cleaned_data
        return PanelDetails(
            name=data["name"],
            type=data["type"],
            legal_basis=data["legal_basis"],
            member_organisations=list(data.get("member_organisations") or []),
            schedule=data.get("schedule", ""),
            isa_reference=data.get("isa_reference", ""),
            retention_months=data["retention_months"],
            flags=list(data.get("flags") or []),
            population_key=data.get("population_key", ""),
        )
