"""Forms for boards and meetings, with GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms

from saferboard.core.form_fields import DayField, checkboxes
from saferboard.core.models import Organisation, Person
from saferboard.meetings.agenda import Slot, numbers
from saferboard.meetings.board_forms import active_people
from saferboard.meetings.models import AgendaItem, AttendanceKind, BoardMember, Meeting
from saferboard.reports.sections import AGENDA_KINDS


class MeetingForm(forms.Form):
    date = DayField(label="Date", required=True, help_text="For example, 14/10/2025")
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I%p", "%I.%M%p"],
        help_text="For example, 14:00",
        error_messages={"invalid": "Enter the start time like 14:00"},
    )
    place = forms.CharField(label="Place", required=False, max_length=250)
    online = forms.BooleanField(label="The meeting is online (or hybrid)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = "Enter the date of the meeting"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("place") and not data.get("online"):
            self.add_error("place", "Enter where the meeting is, or say it is online")
        return data


class AgendaItemForm(forms.Form):
    """An agenda item, with what it contains chosen by the clerk.

    On a new item ``kind`` may be left unchosen: the view then fills in what the title
    suggests and shows the form again, saying so, for the clerk to confirm or change.
    Changing an item, the kind is required (it was chosen before)."""

    title = forms.CharField(
        label="Title", max_length=250, error_messages={"required": "Enter the item's title"}
    )
    kind = forms.ChoiceField(
        label="What the item contains in the pack",
        choices=[(value, label) for value, label, _hint in AGENDA_KINDS],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select what the item contains from the list"},
    )
    parent = forms.ModelChoiceField(
        label="Sub-item of",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="None: it is a main item",
        help_text="A sub-item is numbered after its main item: 7a, 7b.",
        error_messages={"invalid_choice": "Select a main item of this agenda"},
    )
    presenter = forms.CharField(label="Presenter", required=False, max_length=200)
    papers = forms.CharField(
        label="Papers", required=False, widget=forms.Textarea, help_text="One paper per line."
    )
    exempt = forms.BooleanField(
        label="Exempt from publication (Part 2)",
        required=False,
        help_text="Only board members, coordinators and administrators will see it.",
    )
    exempt_reason = forms.CharField(
        label="Why it is exempt",
        required=False,
        max_length=250,
        help_text="For example, information about a named child",
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting | None = None,
        item: AgendaItem | None = None,
        numbers: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.hints = {value: hint for value, _label, hint in AGENDA_KINDS}
        mains = AgendaItem.objects.none()
        if meeting is not None:
            mains = meeting.agenda_items.filter(parent__isnull=True).order_by("position", "pk")
        if item is not None:
            mains = mains.exclude(pk=item.pk)
            self.fields["kind"].required = True
            self.fields["kind"].error_messages["required"] = "Select what the item contains"
        numbers = numbers or {}
        field = self.fields["parent"]
        field.queryset = mains  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{numbers.get(i.pk, i.position)}. {i.title}"
        )

    def kind_options(self) -> list[tuple[str, str, str, bool]]:
        """(value, label, hint, checked) for each kind: the template renders the radios
        with a hint each, saying what the pack prints."""
        chosen = str(self["kind"].value() or "")
        return [(v, label, hint, v == chosen) for v, label, hint in AGENDA_KINDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("exempt") and not data.get("exempt_reason", "").strip():
            self.add_error("exempt_reason", "Enter why the item is exempt")
        return data


MEMBER_CHOICES = [
    ("", "Not recorded"),
    (AttendanceKind.PRESENT, "Present"),
    (AttendanceKind.APOLOGIES, "Apologies"),
    (AttendanceKind.ABSENT, "Absent"),
    (AttendanceKind.SUBSTITUTE, "Sent a substitute"),
]


class AttendanceForm(forms.Form):
    """One select per board member, a substitute's name for each, and who else came."""

    also_present = forms.CharField(
        label="Also present",
        required=False,
        widget=forms.Textarea,
        help_text="One person per line, as ‘Name, Organisation’.",
    )

    def __init__(
        self,
        *args: Any,
        members: list[BoardMember],
        named_substitutes: dict[int, list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        named_substitutes = named_substitutes or {}
        for member in members:
            # Named substitutes are a hint, never a pre-filled answer: who came is recorded.
            named = named_substitutes.get(member.pk)
            hint = "Only if a substitute came"
            if named:
                hint += f". Named substitutes: {', '.join(named)}"
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.person.full_name} ({member.organisation.name}, {member.role})",
                choices=MEMBER_CHOICES,
                required=False,
            )
            self.fields[f"substitute_{member.pk}"] = forms.CharField(
                label=f"Substitute for {member.person.full_name}",
                required=False,
                max_length=200,
                help_text=hint,
            )

    def member_rows(self) -> list[tuple[BoardMember, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"member_{m.pk}"], self[f"substitute_{m.pk}"]) for m in self.members]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for member in self.members:
            kind = data.get(f"member_{member.pk}")
            name = (data.get(f"substitute_{member.pk}") or "").strip()
            if kind == AttendanceKind.SUBSTITUTE and not name:
                self.add_error(
                    f"substitute_{member.pk}",
                    f"Enter the name of the substitute for {member.person.full_name}",
                )
        for number, line in enumerate(self.also_present_lines(data), 1):
            if not line[0]:
                self.add_error("also_present", f"Line {number} of ‘Also present’ has no name")
        return data

    @staticmethod
    def also_present_lines(data: dict[str, Any]) -> list[tuple[str, str]]:
        lines = []
        for raw in (data.get("also_present") or "").splitlines():
            if not raw.strip():
                continue
            name, _, organisation = raw.partition(",")
            lines.append((name.strip(), organisation.strip()))
        return lines


class MinuteForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=250,
        help_text="Leave empty to use the agenda item's title.",
    )
    text = forms.CharField(label="Minute", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    resolutions = forms.CharField(
        label="Decisions",
        required=False,
        widget=forms.Textarea,
        help_text="One per line, after ‘RESOLVED that’.",
    )
    exempt = forms.BooleanField(
        label="Exempt from publication (Part 2)",
        required=False,
        help_text="An exempt agenda item's minute is always exempt.",
    )
    suffix = forms.RegexField(
        label="Letter after the number (optional)",
        required=False,
        max_length=3,
        regex=r"^\s*[a-zA-Z]{1,3}\s*$",
        help_text="Only for a minute that follows the last one as 43a: enter ‘a’. "
        "Leave empty to take the next number.",
        error_messages={"invalid": "Enter a letter, like the ‘a’ of 43a"},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        items = meeting.agenda_items.order_by("position", "pk")
        numbered = numbers([Slot(i.pk, i.parent_id) for i in items])
        field.queryset = items  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{numbered.get(i.pk, i.position)}. {i.title}"
        )
        field.empty_label = "Not on the agenda"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        item = data.get("agenda_item")
        if not data.get("title", "").strip():
            if item is None:
                self.add_error("title", "Enter the title, or choose the agenda item")
            else:
                data["title"] = item.title
        if item is not None and item.exempt:
            data["exempt"] = True
        return data


class MinuteEditForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=250, error_messages={"required": "Enter the title"}
    )
    text = forms.CharField(label="Minute", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    resolution = forms.CharField(
        label="Add a decision",
        required=False,
        widget=forms.Textarea,
        help_text="After ‘RESOLVED that’.",
    )


class RaiseActionForm(forms.Form):
    description = forms.CharField(
        label="Action", widget=forms.Textarea, error_messages={"required": "Enter the action"}
    )
    owners = checkboxes(Person, "Owners")
    owner_organisations = checkboxes(Organisation, "Owner organisations")
    due = DayField(label="Due date", end_of_month=True, help_text="For example, 31/01/2026")

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        board = meeting.board
        # Anyone active in the partnership may own an action, not only board members:
        # boards ask officers who do not sit on them to take things away.
        self.fields["owners"].queryset = active_people(board.partnership)  # type: ignore[attr-defined]
        self.fields["owner_organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(partnership=board.partnership).order_by("name")
        )

    def owner_options(self) -> list[tuple[int, str, str, bool]]:
        """(id, name, organisation, checked) per person: the template shows each
        person's organisation as the checkbox's hint."""
        value = self["owners"].value() or []
        chosen = {str(v) for v in value}
        return [
            (p.pk, p.full_name, p.organisation.name, str(p.pk) in chosen)
            for p in self.fields["owners"].queryset  # type: ignore[attr-defined]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("owners") and not data.get("owner_organisations"):
            self.add_error("owners", "Choose who owns the action")
        return data


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label="Correction",
        widget=forms.Textarea,
        error_messages={"required": "Enter the correction"},
    )
    minute_number = forms.RegexField(
        label="Minute number",
        required=False,
        max_length=12,
        regex=r"^\s*\d+\s*[a-zA-Z]{0,3}\s*$",
        help_text="For example, 43 or 43a. Leave empty for the whole minutes "
        "(for example, attendance).",
        error_messages={"invalid": "Enter a minute number, like 43 or 43a"},
    )

    def clean_minute_number(self) -> str:
        return "".join(str(self.cleaned_data.get("minute_number") or "").split()).lower()


class RatesForm(forms.Form):
    start = DayField(label="From")
    end = DayField(label="To", end_of_month=True)
