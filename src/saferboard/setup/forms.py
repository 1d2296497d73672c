"""The partnership settings form, and saving it with an audit of every change."""

from __future__ import annotations

import calendar
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest

from saferboard.core import audit
from saferboard.core.models import Partnership
from saferboard.crime.sources import MET_BOROUGHS
from saferboard.setup.areas import (
    force_area,
    force_names,
    local_authorities,
    local_authority_area,
    local_authority_choices,
)
from saferboard.strategy.models import Priority

PARTNERSHIP_FIELDS = ("name", "local_authority", "forces", "crime_source", "financial_year_start")
NOT_SCHEDULED = ""
QUARTERS = [(NOT_SCHEDULED, "Not scheduled"), ("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class PartnershipSettingsForm(forms.Form):
    """Name, area, forces, crime source, financial year and the reporting calendar
    (one field per current priority: the quarter it is the substantive item)."""

    name = forms.CharField(label="Partnership name", max_length=200)
    local_authority = forms.ChoiceField(
        label="Local authority",
        error_messages={
            "required": "Choose a local authority from the list",
            "invalid_choice": "Choose a local authority from the list",
        },
        help_text="The local authority area the partnership covers, from the ONS lookups "
        "shipped with Saferboard.",
    )
    forces = forms.MultipleChoiceField(
        label="Police forces",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The force or forces that police the area (most areas have one).",
    )
    crime_source = forms.ChoiceField(
        label="Preferred crime source",
        required=False,
        widget=forms.RadioSelect,
        help_text="The crime data dashboards, ranks, the board pack and the API use unless "
        "another source is asked for. Automatic uses the Met's recorded crime for a London "
        "borough policed by the Met, and police.uk street-level data anywhere else.",
    )
    financial_year_start = forms.TypedChoiceField(
        label="Financial year starts in",
        coerce=int,
        choices=[(m, calendar.month_name[m]) for m in range(1, 13)],
    )

    def __init__(
        self, *args: Any, partnership: Partnership, priorities: list[Priority], **kwargs: Any
    ) -> None:
        self.partnership = partnership
        self.priorities = priorities
        initial = {
            "name": partnership.name,
            "local_authority": partnership.local_authority.code
            if partnership.local_authority
            else "",
            "forces": [area.code for area in partnership.forces.all()],
            "crime_source": partnership.crime_source,
            "financial_year_start": partnership.financial_year_start,
        }
        for priority in priorities:
            initial[self.priority_field(priority)] = str(priority.substantive_quarter or "")
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["local_authority"].choices = [
            ("", "Choose a local authority"),
            *local_authority_choices(),
        ]
        self.fields["forces"].choices = sorted(
            force_names().items(), key=lambda pair: pair[1].casefold()
        )
        field = Partnership._meta.get_field("crime_source")
        self.fields["crime_source"].choices = list(field.choices or [])
        for priority in priorities:
            self.fields[self.priority_field(priority)] = forms.ChoiceField(
                label=f"Priority {priority.number}: {priority.title}",
                choices=QUARTERS,
                required=False,
            )

    @staticmethod
    def priority_field(priority: Priority) -> str:
        return f"priority_{priority.pk}"

    def priority_fields(self) -> list[forms.BoundField]:
        return [self[self.priority_field(p)] for p in self.priorities]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the partnership's name")
        if Partnership.objects.filter(name__iexact=name).exclude(pk=self.partnership.pk).exists():
            raise forms.ValidationError("Another partnership already has this name")
        return name

    def clean_local_authority(self) -> str:
        code = self.cleaned_data["local_authority"]
        if code not in local_authorities():
            raise forms.ValidationError("Choose a local authority from the list")
        return str(code)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("local_authority")
        if data.get("crime_source") == "mps" and code and code not in MET_BOROUGHS:
            self.add_error(
                "crime_source",
                "The Met's recorded crime covers only the 32 London boroughs the Met "
                "polices: choose police.uk street-level data or Automatic",
            )
        return data

    def save(self, request: HttpRequest) -> int:
        """Apply the changes, auditing each changed object before and after; returns
        how many objects changed."""
        data = self.cleaned_data
        partnership = self.partnership
        changed = 0
        with transaction.atomic():
            before = audit.snapshot(partnership, PARTNERSHIP_FIELDS)
            partnership.name = data["name"]
            partnership.local_authority = local_authority_area(data["local_authority"])
            partnership.crime_source = data["crime_source"]
            partnership.financial_year_start = data["financial_year_start"]
            partnership.save()
            partnership.forces.set([force_area(code) for code in data["forces"]])
            after = audit.snapshot(partnership, PARTNERSHIP_FIELDS)
            if audit.record_change(partnership, before=before, after=after, request=request):
                changed += 1
            for priority in self.priorities:
                value = data.get(self.priority_field(priority)) or None
                quarter = int(value) if value else None
                if quarter == priority.substantive_quarter:
                    continue
                before = audit.snapshot(priority, ["substantive_quarter"])
                priority.substantive_quarter = quarter
                priority.save(update_fields=["substantive_quarter"])
                audit.record_change(
                    priority,
                    before=before,
                    after=audit.snapshot(priority, ["substantive_quarter"]),
                    request=request,
                )
                changed += 1
        return changed
