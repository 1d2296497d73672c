"""Forms for the inspection a plan answers and for uploading published ratings."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.actions.inspection_services import parse_rating_lines
from saferboard.actions.models import Inspectorate, Judgement
from saferboard.core.form_fields import DayField


class InspectionForm(forms.Form):
    inspectorate = forms.ChoiceField(
        label="Inspectorate",
        choices=Inspectorate.choices,
        error_messages={"required": "Select the inspectorate"},
    )
    service_name = forms.CharField(label="Service inspected", max_length=200, required=False)
    published_ref = forms.CharField(
        label="Reference in published ratings", max_length=60, required=False
    )
    fieldwork_start = DayField(label="Fieldwork started")
    fieldwork_end = DayField(label="Fieldwork ended")
    published_on = DayField(label="Report published")
    overall_judgement = forms.ChoiceField(
        label="Overall judgement",
        choices=[("", "Not rated"), *Judgement.choices],
        required=False,
    )
    report_url = forms.URLField(
        label="Report address",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Enter the report's address, like https://www.example.gov.uk/"},
    )
    ratings = forms.CharField(
        label="Ratings by theme or standard",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reinspection_date = DayField(label="Re-inspection date")
    reinspection_outcome = forms.CharField(
        label="Re-inspection outcome", max_length=300, required=False
    )

    def clean_ratings(self) -> list[tuple[str, str]]:
        ratings, problems = parse_rating_lines(self.cleaned_data.get("ratings", ""))
        if problems:
            raise forms.ValidationError(problems[0])
        return ratings

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fieldwork_start"), data.get("fieldwork_end")
        if start and end and end < start:
            self.add_error("fieldwork_end", "Fieldwork ended must be on or after it started")
        return data


class PublishedRatingsForm(forms.Form):
    ratings_file = forms.FileField(
        label="Published ratings (CSV)",
        error_messages={"required": "Choose the CSV file of published ratings"},
    )
