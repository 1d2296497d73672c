"""Forms of the strategy settings pages (GOV.UK wording; errors name the fix)."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import checkboxes
from saferboard.core.models import Organisation, Partnership
from saferboard.strategy.models import ImprovementAcceptor

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_HINT = "For example, 1/4/2024"
QUARTERS = [("", "No substantive quarter"), ("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


def _organisations(partnership: Partnership | None) -> Any:
    queryset = Organisation.objects.filter(end_date__isnull=True).order_by("name")
    return queryset.filter(partnership=partnership) if partnership else queryset.none()


class StrategyForm(forms.Form):
    title = forms.CharField(
        label="Name of the strategy",
        max_length=200,
        error_messages={"required": "Enter the name of the strategy"},
    )
    start_date = forms.DateField(
        label="Start date",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date the strategy starts",
            "invalid": "The start date must be a real date, like 1/4/2024",
        },
    )
    end_date = forms.DateField(
        label="End date",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date the strategy ends",
            "invalid": "The end date must be a real date, like 31/3/2027",
        },
    )
    improvements_accepted_by = forms.ChoiceField(
        label="Who accepts a RAG status that improves on the last one?",
        choices=ImprovementAcceptor.choices,
        widget=forms.RadioSelect,
        initial=ImprovementAcceptor.COORDINATOR,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_not_before(
            self, data, "start_date", "end_date", "The end date must be on or after the start date"
        )
        return data


class PriorityForm(forms.Form):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=99,
        required=False,
        error_messages={"min_value": "The number must be 1 or more", "invalid": "Enter a number"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the priority's title"}
    )
    ambition = forms.CharField(
        label="Ambition (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    aim = forms.CharField(
        label="Aims (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tackle = forms.CharField(
        label="What we will tackle (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One on each line, for example 'Residential burglary'",
    )
    leads = checkboxes(Organisation, "Lead organisations (optional)")
    substantive_quarter = forms.TypedChoiceField(
        label="The quarter in which this priority is the board's substantive item",
        choices=QUARTERS,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, partnership: Partnership | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = _organisations(partnership)  # type: ignore[attr-defined]

    @property
    def tackle_lines(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tackle", "").splitlines() if t.strip()]


class CommitmentForm(forms.Form):
    number = forms.IntegerField(
        label="Number",
        min_value=1,
        max_value=99,
        required=False,
        error_messages={"min_value": "The number must be 1 or more", "invalid": "Enter a number"},
    )
    title = forms.CharField(
        label="What we will do",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what the commitment is"},
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Lead organisation (optional)",
        empty_label="No lead organisation",
    )
    contributors = checkboxes(
        Organisation,
        "Contributing organisations",
        help_text="Each writes an update on this commitment in every round that covers it",
    )

    def __init__(self, *args: Any, partnership: Partnership | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_organisation", "contributors"):
            self.fields[name].queryset = _organisations(partnership)  # type: ignore[attr-defined]


class IndicatorForm(forms.Form):
    text = forms.CharField(
        label="How we will know we are on track",
        max_length=300,
        error_messages={"required": "Enter what shows the commitment is on track"},
        help_text="For example, 'Fewer residential burglaries than last year'",
    )
    measure: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Measure (optional)",
        empty_label="No measure: the line is printed as it is",
        help_text="The report prints the measure's latest stored figure beside the line",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from saferboard.measures.models import Measure

        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = Measure.objects.order_by("label")  # type: ignore[attr-defined]


class RetireForm(forms.Form):
    """A confirmation with an optional date (today when empty)."""

    retired_on = forms.DateField(
        label="Retire from (optional)",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="Leave empty for today. " + DATE_HINT,
        error_messages={"invalid": "The date must be a real date, like 1/4/2024"},
    )
