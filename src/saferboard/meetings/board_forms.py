"""Forms for setting boards up: the board, its members and substitutes, its standing agenda.

The forms check what a person typed; the set-up rules themselves (a sub-group's parent,
one seat per person, a retired board) live in the services, whose refusals the views
put back on the form's fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from saferboard.core.form_fields import DayField, required_field
from saferboard.core.models import Organisation, Partnership, Person
from saferboard.meetings.models import Board, BoardKind, Cadence, MemberRole


def active_people(partnership: Partnership) -> QuerySet[Person]:
    """The partnership's people who can take a seat: not those whose account has been
    deactivated (people without an account, partners who never sign in, stay)."""
    return (
        Person.objects.filter(organisation__partnership=partnership)
        .exclude(user__is_active=False)
        .select_related("organisation")
        .order_by("full_name")
    )


class BoardForm(forms.Form):
    name = required_field(forms.CharField(label="Name", max_length=200), "Enter the board's name")
    kind = required_field(
        forms.ChoiceField(
            label="Kind of board", choices=BoardKind.choices, widget=forms.RadioSelect
        ),
        "Select what kind of board it is",
    )
    parent = forms.ModelChoiceField(
        label="The board it reports to",
        queryset=Board.objects.none(),
        required=False,
        empty_label="None",
        help_text="Only for a sub-group, which must name the board it reports to.",
        error_messages={"invalid_choice": "Select a board from the list"},
    )
    cadence = required_field(
        forms.ChoiceField(
            label="How often it meets", choices=Cadence.choices, widget=forms.RadioSelect
        ),
        "Select how often the board meets",
    )
    cadence_note = forms.CharField(
        label="If other, how often",
        required=False,
        max_length=200,
        help_text="For example, six weeks before each full council meeting",
    )
    first_minute_number = forms.IntegerField(
        label="First minute number",
        required=False,
        min_value=1,
        max_value=999999,
        initial=1,
        help_text="The number the board's first minute in Saferboard takes, to carry on "
        "from minutes kept before (for example, 36). It cannot change once the board has "
        "minutes here. Leave empty to start at 1 (or, changing a board, to keep its number).",
        error_messages={
            "invalid": "Enter the first minute number as a whole number, like 36",
            "min_value": "The first minute number must be 1 or more",
            "max_value": "The first minute number must be 999999 or less",
        },
    )

    question_clear_days = forms.IntegerField(
        label="Deadline for questions, in clear working days before a meeting",
        required=False,
        min_value=0,
        max_value=30,
        help_text="As the standing orders set it: with 3, questions for a Thursday meeting "
        "must arrive by the Friday before. Weekends and bank holidays in England and Wales "
        "do not count. Leave empty for 3 (or, changing a board, to keep its number).",
        error_messages={
            "invalid": "Enter the number of clear working days as a whole number, like 3",
            "min_value": "The number of clear working days must be 0 or more",
            "max_value": "The number of clear working days must be 30 or less",
        },
    )

    def __init__(
        self, *args: Any, partnership: Partnership, board: Board | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = Board.objects.filter(partnership=partnership, retired_on__isnull=True)
        if board is not None:
            parents = parents.exclude(pk=board.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class RetireBoardForm(forms.Form):
    retired_on = required_field(
        DayField(label="Retired from", required=True, help_text="For example, 31/03/2026"),
        "Enter the day the board is retired from",
    )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person",
        queryset=Person.objects.none(),
        empty_label="Select a person",
        error_messages={
            "required": "Select the person joining the board",
            "invalid_choice": "Select a person from the list",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they represent",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Their own organisation",
        help_text="Leave as their own organisation unless they sit for another.",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    role = required_field(
        forms.ChoiceField(label="Role", choices=MemberRole.choices, widget=forms.RadioSelect),
        "Select the member's role",
    )
    start_date = required_field(
        DayField(label="Member from", required=True, help_text="For example, 1/04/2026"),
        "Enter the day their seat starts",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people(partnership)  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.full_name} ({p.organisation.name})"
        )
        # A new seat is for an organisation that is a partner now.
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(partnership=partnership)
            .active_on(timezone.localdate())
            .order_by("name")
        )


class MemberEditForm(forms.Form):
    role = required_field(
        forms.ChoiceField(label="Role", choices=MemberRole.choices, widget=forms.RadioSelect),
        "Select the member's role",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they represent",
        queryset=Organisation.objects.none(),
        error_messages={
            "required": "Select the organisation they represent",
            "invalid_choice": "Select an organisation from the list",
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("name")


class EndForm(forms.Form):
    end_date = required_field(
        DayField(label="Last day", required=True, help_text="For example, 31/03/2026"),
        "Enter the last day",
    )


class SubstituteForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Substitute",
        queryset=Person.objects.none(),
        empty_label="Select a person",
        error_messages={
            "required": "Select the substitute",
            "invalid_choice": "Select a person from the list",
        },
    )
    start_date = DayField(
        label="Named from",
        help_text="Leave blank for today. For example, 1/04/2026",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people(partnership)  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.full_name} ({p.organisation.name})"
        )


class StandingItemForm(forms.Form):
    title = required_field(forms.CharField(label="Title", max_length=250), "Enter the item's title")
    presenter = forms.CharField(label="Presenter", required=False, max_length=200)
