"""Forms for action plans, with GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.actions.importing import FIELDS
from saferboard.actions.models import PlanKind, Recommendation, Response
from saferboard.actions.timescale import Cadence
from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import (
    DayField,
    checkboxes,
    required_field,
)
from saferboard.core.models import Organisation, Partnership, Person, RagStatus


class PlanForm(forms.Form):
    title = required_field(forms.CharField(label="Title", max_length=250), "Enter the plan's title")
    kind = forms.ChoiceField(
        label="Kind of plan",
        choices=[c for c in PlanKind.choices if c[0] != PlanKind.BOARD_LOG],
        widget=forms.RadioSelect,
    )
    owner = required_field(
        forms.ModelChoiceField(label="Owner organisation", queryset=Organisation.objects.none()),
        "Select the organisation that owns the plan",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    restricted = forms.BooleanField(
        label="Restricted",
        required=False,
        help_text="Only the owner organisation, action leads, coordinators and administrators "
        "can see a restricted plan.",
    )

    def __init__(self, *args: Any, partnership: Partnership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(partnership=partnership).order_by("name")
        self.fields["owner"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = "Select an organisation"  # type: ignore[attr-defined]


class RecommendationForm(forms.Form):
    number = required_field(
        forms.IntegerField(label="Number", min_value=1, max_value=999),
        "Enter the recommendation's number",
    )
    area = forms.CharField(label="Area", max_length=200, required=False)
    wording = required_field(
        forms.CharField(label="Recommendation", widget=forms.Textarea),
        "Enter the recommendation as the inspection worded it",
    )
    response = forms.ChoiceField(
        label="Response",
        choices=[("", "Not recorded"), *Response.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    response_reason = forms.CharField(
        label="Reason for the response", required=False, widget=forms.Textarea
    )
    addressees = forms.CharField(label="Addressed to", max_length=300, required=False)

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        self.plan = plan
        super().__init__(*args, **kwargs)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if self.plan and Recommendation.objects.filter(plan=self.plan, number=number).exists():
            raise forms.ValidationError(f"Recommendation {number} already exists in this plan")
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("response") in {Response.PARTLY, Response.NOT_AGREED}
            and not data.get("response_reason", "").strip()
        ):
            self.add_error("response_reason", "Enter why the recommendation is not fully agreed")
        return data


class ActionForm(forms.Form):
    recommendation = forms.ModelChoiceField(
        label="Recommendation", queryset=Recommendation.objects.none(), required=False
    )
    description = required_field(
        forms.CharField(label="Action", widget=forms.Textarea), "Enter the action"
    )
    intended_outcome = forms.CharField(
        label="Intended outcome", required=False, widget=forms.Textarea
    )
    lead_people = checkboxes(Person, "Lead people")
    lead_organisations = checkboxes(Organisation, "Lead organisations")
    commence_date = DayField(label="Commence date", help_text="For example, September 2025")
    completion_date = DayField(
        label="Completion date",
        end_of_month=True,
        help_text="For example, 31/03/2026. Leave empty if the action is ongoing.",
    )
    ongoing = forms.BooleanField(label="The action is ongoing", required=False)
    review_cadence = forms.ChoiceField(
        label="Review",
        choices=[("", "No regular review"), *((c.value, c.label) for c in Cadence)],
        required=False,
    )
    steps = forms.CharField(
        label="Progress steps",
        required=False,
        widget=forms.Textarea,
        help_text="One step per line.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, plan: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = plan.partnership
        recs = Recommendation.objects.filter(plan=plan)
        self.fields["recommendation"].queryset = recs  # type: ignore[attr-defined]
        self.fields["recommendation"].empty_label = "None"  # type: ignore[attr-defined]
        if not recs.exists():
            del self.fields["recommendation"]
        self.fields["lead_people"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            organisation__partnership=partnership
        ).order_by("full_name")
        self.fields["lead_organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(partnership=partnership).order_by("name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        end = data.get("completion_date")  # read first: a refusal below removes it
        check_not_before(
            self,
            data,
            "commence_date",
            "completion_date",
            "Completion date must be on or after the commence date",
        )
        if data.get("ongoing") and end:
            self.add_error(
                "completion_date", "Leave the completion date empty for an ongoing action"
            )
        return data


RAG_CHOICES = [("", "Leave the RAG status as it is"), *RagStatus.choices]


class UpdateForm(forms.Form):
    text = forms.CharField(label="Progress update", required=False, widget=forms.Textarea)
    rag_status = forms.ChoiceField(
        label="RAG status", choices=RAG_CHOICES, required=False, widget=forms.RadioSelect
    )
    rag_reason = forms.CharField(
        label="Reason for the RAG status", required=False, widget=forms.Textarea
    )
    evidence = forms.FileField(
        label="Evidence",
        required=False,
        help_text="Needed to improve the RAG status. PDF, Word, Excel, PowerPoint, CSV, text "
        "or image, smaller than 10MB.",
    )


class CloseForm(forms.Form):
    reason = required_field(
        forms.CharField(label="Why is the action being closed?", widget=forms.Textarea),
        "Enter why the action is being closed",
    )


class StepForm(forms.Form):
    text = required_field(
        forms.CharField(label="New progress step", max_length=500), "Enter the step"
    )


class ReviewForm(forms.Form):
    note = forms.CharField(label="Note of the review", required=False, widget=forms.Textarea)


class BlueDecisionForm(forms.Form):
    """The board's decision on a lead's proposed Blue."""

    decision = required_field(
        forms.ChoiceField(
            label="Does the board accept that the action is complete?",
            choices=[
                ("accept", "Yes: record Blue and close the action"),
                ("reject", "No: return it to the lead"),
            ],
            widget=forms.RadioSelect,
        ),
        "Select whether the board accepts the Blue",
    )
    reason = forms.CharField(
        label="Reason (needed when returning it to the lead)",
        required=False,
        widget=forms.Textarea,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why the Blue is not accepted")
        return data


class ImportUploadForm(PlanForm):
    spreadsheet = required_field(
        forms.FileField(
            label="Spreadsheet",
            help_text="An XLSX or CSV file, smaller than 5MB. The first sheet is read.",
        ),
        "Select the spreadsheet",
    )
    field_order = ["spreadsheet", "title", "kind", "owner", "description", "restricted"]


class MappingForm(forms.Form):
    """One select per spreadsheet column: which field does it hold?"""

    def __init__(self, *args: Any, headers: list[str], initial_mapping: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from saferboard.actions.importing import column_letter

        for index, header in enumerate(headers):
            label = f"Column {column_letter(index)}"
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"{label}: {header}" if header else f"{label} (no heading)",
                choices=FIELDS,
                required=False,
                initial=initial_mapping[index] if index < len(initial_mapping) else "",
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(name, "") or "" for name in self.fields]
