"""Forms for the clerk's records of a meeting: questions, declarations of interest and
papers' cover sheets, with GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import DayField
from saferboard.core.models import Person
from saferboard.meetings.models import (
    AgendaItem,
    InterestKind,
    Meeting,
    Purpose,
    QuestionerKind,
)


def _text(label: str, *, required: bool = False, hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=20000,
    )


class QuestionForm(forms.Form):
    """A question to the board, and its answer once given.

    The consent box is never ticked for the questioner: it starts unticked on a new
    question and is ticked only when the clerk records that they agreed."""

    asker_kind = forms.ChoiceField(
        label="Who asked the question",
        choices=QuestionerKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether a councillor or a member of the public asked",
            "invalid_choice": "Select whether a councillor or a member of the public asked",
        },
    )
    asker_name = forms.CharField(
        label="Their name",
        max_length=200,
        help_text="Shown to signed-in staff. A member of the public's name is published "
        "only if they agree.",
        error_messages={"required": "Enter the name of the person who asked"},
    )
    name_public = forms.BooleanField(
        label="They agree to their name being published",
        required=False,
        initial=False,
        help_text="Leave this unticked unless they said yes. A councillor's name is always "
        "published.",
    )
    text = _text("Question", required=True, rows=5)
    received_on = DayField(label="Date received", required=True, help_text="For example, 2/3/2027")
    answer = _text("Answer", hint="Leave empty until the question is answered.")
    answered_by = forms.CharField(
        label="Answered by", required=False, max_length=200, help_text="For example, the chair"
    )
    answered_on = DayField(label="Date answered", help_text="For example, 10/3/2027")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the question"
        self.fields["received_on"].error_messages["required"] = (
            "Enter the date the question was received"
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        # The dates as given: a refusal below removes its field from ``data``.
        given = dict(data)
        received = data.get("received_on")
        if received and received > timezone.localdate():
            self.add_error("received_on", "The date received must be today or in the past")
        if data.get("answered_on") and not (data.get("answer") or "").strip():
            self.add_error("answer", "Enter the answer, or leave the date answered empty")
        check_not_before(
            self,
            given,
            "received_on",
            "answered_on",
            "The date answered must be on or after the date received",
        )
        return data


class DeclarationForm(forms.Form):
    """A declaration of interest at a meeting."""

    person = forms.ModelChoiceField(
        label="Who declared the interest",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Someone else (enter their name below)",
        help_text="The board's members and the people who attended.",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    name = forms.CharField(
        label="Their name, if they are not in the list", required=False, max_length=200
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="General (no one item)",
        error_messages={"invalid_choice": "Select an item from the agenda"},
    )
    kind = forms.ChoiceField(
        label="Kind of interest",
        choices=InterestKind.choices,
        widget=forms.RadioSelect,
        help_text="As the code of conduct defines them.",
        error_messages={
            "required": "Select the kind of interest",
            "invalid_choice": "Select the kind of interest",
        },
    )
    nature = _text("What the interest is", required=True, rows=3)
    left_room = forms.BooleanField(
        label="They left the room for the item and took no part", required=False
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        people: list[Person],
        numbers: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nature"].error_messages["required"] = "Enter what the interest is"
        self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in people]
        ).order_by("full_name")
        items = AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk")
        field = self.fields["agenda_item"]
        field.queryset = items  # type: ignore[attr-defined]
        field.label_from_instance = lambda i: f"{numbers.get(i.pk, i.position)}. {i.title}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        if data.get("person") is None and not (data.get("name") or "").strip():
            self.add_error("name", "Select who declared the interest, or enter their name")
        return data


class CoverSheetForm(forms.Form):
    """A paper's report cover sheet."""

    report_number = forms.CharField(
        label="Report number", required=False, max_length=50, help_text="For example, SPB/26/014"
    )
    author = forms.CharField(
        label="Author",
        max_length=200,
        help_text="Name and job title",
        error_messages={"required": "Enter the report's author"},
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the report's purpose",
            "invalid_choice": "Select the report's purpose",
        },
    )
    summary = _text("Summary", required=True, rows=5)
    recommendations = _text(
        "Recommendations", hint="One per line. Leave empty if the paper is for noting."
    )
    financial = _text("Financial implications", hint="Leave empty for ‘None identified’.", rows=2)
    legal = _text("Legal implications", hint="Leave empty for ‘None identified’.", rows=2)
    equalities = _text("Equalities implications", hint="Leave empty for ‘None identified’.", rows=2)
    children = _text(
        "Implications for children and young people",
        hint="Leave empty for ‘None identified’.",
        rows=2,
    )
    background_papers = _text("Background papers", hint="One per line.", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter a summary of the report"
