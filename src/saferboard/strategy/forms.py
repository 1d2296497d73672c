"""Forms for opening rounds, writing updates and reviewing them (GOV.UK wording)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django import forms

from saferboard.core.form_fields import ModelMultipleChoiceField
from saferboard.core.models import RagStatus
from saferboard.core.periods import Period, PeriodKind
from saferboard.strategy.content import FiguresError, parse_figures
from saferboard.strategy.models import Commitment, Priority, Strategy
from saferboard.strategy.services import LineChange

RAG_CHOICES = [
    (RagStatus.RED.value, "Red"),
    (RagStatus.AMBER.value, "Amber"),
    (RagStatus.GREEN.value, "Green"),
    (RagStatus.BLUE.value, "Blue"),
]
RAG_HINTS = {
    "red": "Not on track: significant problems, or not started",
    "amber": "Partly on track: some problems to resolve",
    "green": "On track, or delivered this year",
    "blue": "Complete, or can no longer be progressed",
}


def quarters_of(strategy: Strategy) -> list[Period]:
    """Every financial quarter the strategy covers, in order."""
    quarters = []
    quarter = Period.containing(strategy.start_date, PeriodKind.FINANCIAL_QUARTER)
    while quarter.start <= strategy.end_date:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def quarter_key(period: Period) -> str:
    fy = period.start.year if period.start.month >= 4 else period.start.year - 1
    q = ((period.start.month - 4) % 12) // 3 + 1
    return f"{fy}-{q}"


class OpenRoundForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Which quarter is this round for?",
        error_messages={"required": "Select the quarter", "invalid_choice": "Select the quarter"},
    )
    deadline_day = forms.CharField(required=False, max_length=2)
    deadline_month = forms.CharField(required=False, max_length=2)
    deadline_year = forms.CharField(required=False, max_length=4)
    is_end_of_year = forms.BooleanField(
        required=False,
        label="This is the end-of-year round: every partner updates on every commitment",
    )
    substantive = ModelMultipleChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        label="Which priorities are the substantive item at this quarter's board?",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, strategy: Strategy, taken: set[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["quarter"].choices = [
            (quarter_key(q), f"{q.label} ({q.start:%B} to {q.end:%B %Y})")
            for q in quarters_of(strategy)
            if quarter_key(q) not in taken
        ]
        # A retired priority is no longer part of new rounds.
        self.fields["substantive"].queryset = strategy.priorities.filter(
            retired_on__isnull=True
        ).order_by("number")

    def clean(self) -> dict:
        data = super().clean()
        day, month, year = (
            (data.get(f"deadline_{part}") or "").strip() for part in ("day", "month", "year")
        )
        if not (day or month or year):
            self.add_error("deadline_day", "Enter the deadline for partners' updates")
        else:
            try:
                data["deadline"] = date(int(year), int(month), int(day))
            except ValueError:
                self.add_error("deadline_day", "The deadline must be a real date")
        if not data.get("substantive") and not data.get("is_end_of_year"):
            self.add_error(
                "substantive",
                "Select at least one substantive priority, or say this is the end-of-year round",
            )
        if data.get("quarter"):
            fy, q = (int(x) for x in data["quarter"].split("-"))
            data["financial_year"], data["quarter_number"] = fy, q
            period = Period.financial_quarter(fy, q)
            if "deadline" in data and data["deadline"] <= period.start:
                self.add_error("deadline_day", "The deadline must be after the quarter starts")
        return data


class UpdateForm(forms.Form):
    field_order = ["narrative"]  # the error summary's general errors link to the first field
    version = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        required=False,
        label="Your update",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20_000,
        error_messages={"max_length": "Your update must be 20,000 characters or fewer"},
    )
    case_study = forms.CharField(
        required=False,
        label="Case study (optional)",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={"max_length": "The case study must be 10,000 characters or fewer"},
    )
    figures_caption = forms.CharField(
        required=False, label="Table caption (optional)", max_length=200
    )
    figures = forms.CharField(
        required=False,
        label="Table of figures (optional)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
    )
    figures_people = forms.ChoiceField(
        required=False,
        label="Does the table count people?",
        choices=[
            ("", "Decide from its headings (people, children, victims, custody, arrests…)"),
            ("yes", "Yes: counts of 1 to 4 are hidden in the public board pack"),
            ("no", "No, it counts no people"),
        ],
        widget=forms.RadioSelect,
    )
    rag_status = forms.ChoiceField(
        required=False, choices=RAG_CHOICES, label="Proposed RAG status", widget=forms.RadioSelect
    )
    rag_second_status = forms.ChoiceField(
        required=False,
        choices=[("", "No – one status"), *RAG_CHOICES],
        label="Is the status split? Give the second status",
        widget=forms.RadioSelect,
    )
    rag_reason = forms.CharField(
        required=False,
        label="Reason for the RAG status",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )
    evidence_file = forms.FileField(required=False, label="Attach evidence (optional)")
    evidence_description = forms.CharField(
        required=False, label="What the evidence shows (optional)", max_length=300
    )

    def clean(self) -> dict:
        data = super().clean()
        try:
            people = {"yes": True, "no": False}.get(data.get("figures_people") or "")
            figures = parse_figures(
                data.get("figures", ""), data.get("figures_caption", ""), counts_people=people
            )
        except FiguresError as error:
            self.add_error("figures", str(error))
        else:
            data["figures_json"] = figures.to_json() if figures else {}
        first, second = data.get("rag_status"), data.get("rag_second_status")
        if second and not first:
            self.add_error("rag_status", "Choose the first status of the split rating")
        elif second and second == first:
            self.add_error(
                "rag_second_status", "The second status must be different from the first"
            )
        return data


class ReviewForm(forms.Form):
    field_order = ["decision"]
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[
            ("accept", "Accept the update and its RAG status"),
            ("return", "Return it to the partner with a comment"),
        ],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Select whether to accept or return the update"},
    )
    comment = forms.CharField(
        required=False,
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2_000,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter a comment saying what needs to change")
        return data


def line_changes(data: Mapping[str, str], lines: list[Commitment]) -> list[LineChange]:
    """The sub-commitment ratings posted with the update form (an unknown status is
    read as no rating, never an error page)."""
    statuses = {value for value, _ in RAG_CHOICES}
    changes = []
    for sub in lines:
        status = data.get(f"line-{sub.pk}", "")
        if status not in statuses:
            continue
        changes.append(
            LineChange(
                sub_commitment_id=sub.pk,
                rag_status=status,
                rag_reason=(data.get(f"line-{sub.pk}-reason", "") or "")[:1_000],
            )
        )
    return changes


class CorrectionForm(forms.Form):
    field_order = ["narrative"]
    version = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        required=False,
        label="The update, corrected",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20_000,
    )
    case_study = forms.CharField(
        required=False,
        label="The case study, corrected",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        error_messages={"required": "Enter the reason for the correction"},
    )
