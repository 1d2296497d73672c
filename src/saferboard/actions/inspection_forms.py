"""Forms for the inspection a plan answers and for uploading published ratings."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.actions.forms import RecommendationForm
from saferboard.actions.inspection_services import parse_rating_lines
from saferboard.actions.models import Action, Inspectorate, Judgement, Recommendation
from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import DayField, ModelMultipleChoiceField


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
        check_not_before(
            self,
            data,
            "fieldwork_start",
            "fieldwork_end",
            "Fieldwork ended must be on or after it started",
        )
        return data


class PublishedRatingsForm(forms.Form):
    ratings_file = forms.FileField(
        label="Published ratings (CSV)",
        error_messages={"required": "Choose the CSV file of published ratings"},
    )


class RecommendationEditForm(RecommendationForm):
    """A recommendation's words, addressees and response, and the plan's actions that
    answer it (an action may answer one recommendation)."""

    actions = ModelMultipleChoiceField(
        label="Actions that answer it",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        self.recommendation = recommendation
        super().__init__(*args, plan=recommendation.plan, **kwargs)
        field = self.fields["actions"]
        actions = Action.objects.filter(plan=recommendation.plan).select_related("recommendation")
        field.queryset = actions.order_by("position", "pk")  # type: ignore[attr-defined]
        field.label_from_instance = lambda action: _action_choice(  # type: ignore[attr-defined]
            action, recommendation
        )

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        taken = Recommendation.objects.filter(plan=self.plan, number=number).exclude(
            pk=self.recommendation.pk
        )
        if taken.exists():
            raise forms.ValidationError(f"Recommendation {number} already exists in this plan")
        return number


def _action_choice(action: Action, editing: Recommendation) -> str:
    """'1a: Audit assessments (now under recommendation 2)': choosing it moves it."""
    text = f"{action.reference}: {action.description[:120]}"
    current = action.recommendation
    if current is not None and current.pk != editing.pk:
        text += f" (now under recommendation {current.number})"
    return text
