"""Forms for the panel pages, with GOV.UK error wording."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import DATE_INPUT_FORMATS
from saferboard.core.models import Organisation, Person
from saferboard.panels.models import (
    Case,
    EscalationKind,
    Ethnicity,
    Panel,
    PanelRole,
    Sex,
)
from saferboard.panels.services import TRANSITIONS

SCORES = [(n, str(n)) for n in range(1, 5)]


def date_field(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    lower = label[0].lower() + label[1:]
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(),
        help_text="For example, 27/3/2025",
        error_messages={
            "required": f"Enter the {lower}",
            "invalid": f"The {lower} must be a real date, like 27/3/2025",
        },
    )


def text(label: str, *, required: bool = True, max_length: int | None = None) -> forms.CharField:
    lower = label[0].lower() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": f"Enter the {lower}"},
    )


def long_text(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    lower = label[0].lower() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={"required": f"Enter the {lower}"},
    )


def organisation_field(label: str, panel: Panel, *, required: bool = True) -> forms.Field:
    return forms.ModelChoiceField(
        label=label,
        queryset=panel.member_organisations.order_by("name"),
        required=required,
        empty_label="Choose an organisation",
        error_messages={"required": f"Choose the {label.lower()}"},
    )


def score_field(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose the {label.lower()} score"},
    )


def person_fact(label: str, choices: list[tuple[str, str]]) -> forms.ChoiceField:
    """A fact about a person, chosen, never pre-selected: the list opens on "Choose…",
    and an answer is required ("Not known" and "Prefer not to say" are answers)."""
    lower = label.lower()
    return forms.ChoiceField(
        label=label,
        choices=[("", f"Choose {lower}"), *choices],
        required=True,
        help_text="Choose “Not known” if you do not know, or “Prefer not to say” if the "
        "person declined to say",
        error_messages={
            "required": f"Choose the person’s {lower}, or “Not known” or “Prefer not to say”"
        },
    )


class AssessmentFields:
    """Likelihood, impact, rationale and agency, optional together or required together."""

    def check_assessment(self, cleaned: dict[str, Any], *, required: bool) -> None:
        parts = ["likelihood", "impact", "rationale", "agency"]
        given = [p for p in parts if cleaned.get(p) not in (None, "")]
        if not required and not given:
            return
        for part in parts:
            if cleaned.get(part) in (None, "") and part not in self.errors:  # type: ignore[attr-defined]
                self.add_error(part, f"Enter the {part} of the risk assessment")  # type: ignore[attr-defined]


class ReferralForm(AssessmentFields, forms.Form):
    full_name = text("Full name", max_length=200)
    date_of_birth = date_field("Date of birth")
    address = long_text("Address", required=False)
    referral_date = date_field("Referral date")
    referral_reason = long_text("Reason for referral")
    ethnicity = person_fact("Ethnicity", Ethnicity.choices)
    sex = person_fact("Sex", Sex.choices)
    youth_justice_ref = text("Youth justice pseudonymous id", required=False, max_length=64)
    flags = forms.MultipleChoiceField(
        label="Flags", required=False, widget=forms.CheckboxSelectMultiple
    )
    likelihood = score_field("Likelihood", required=False)
    impact = score_field("Impact", required=False)
    rationale = long_text("Rationale", required=False)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral_source"] = organisation_field("Referring organisation", panel)
        self.fields["lead_agency"] = organisation_field("Lead agency", panel, required=False)
        self.fields["agency"] = organisation_field("Assessing agency", panel, required=False)
        self.fields["flags"].choices = panel.flag_choices()  # type: ignore[attr-defined]
        self.fields["referral_date"].initial = timezone.localdate()
        self.order_fields(
            [
                "full_name",
                "date_of_birth",
                "address",
                "referral_source",
                "referral_date",
                "referral_reason",
                "lead_agency",
                "flags",
                "ethnicity",
                "sex",
                "youth_justice_ref",
            ]
        )

    def clean_date_of_birth(self) -> date:
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past")
        return dob  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_assessment(cleaned, required=False)
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status"},
    )
    reason = long_text("Reason")
    effective_on = date_field("Date of the change")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[case.status]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Case._meta.get_field("status").choices  # type: ignore[union-attr]
            if value in allowed
        ]
        self.fields["effective_on"].initial = timezone.localdate()


class AssessmentForm(AssessmentFields, forms.Form):
    likelihood = score_field("Likelihood")
    impact = score_field("Impact")
    rationale = long_text("Rationale")
    assessed_on = date_field("Date of the assessment")

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"] = organisation_field("Assessing agency", panel)
        self.fields["assessed_on"].initial = timezone.localdate()


CONTRIBUTION_ROWS = 3


class ReviewForm(AssessmentFields, forms.Form):
    meeting_date = date_field("Meeting date")
    summary = long_text("Summary of the discussion")
    likelihood = score_field("Likelihood", required=False)
    impact = score_field("Impact", required=False)
    rationale = long_text("Rationale", required=False)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].initial = timezone.localdate()
        for n in range(1, CONTRIBUTION_ROWS + 1):
            self.fields[f"agency_{n}"] = organisation_field(f"Agency {n}", panel, required=False)
            self.fields[f"shared_{n}"] = long_text(f"What agency {n} shared", required=False)
        self.fields["agency"] = organisation_field("Assessing agency", panel, required=False)

    def contribution_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"agency_{n}"], self[f"shared_{n}"]) for n in range(1, CONTRIBUTION_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in range(1, CONTRIBUTION_ROWS + 1):
            agency, shared = cleaned.get(f"agency_{n}"), cleaned.get(f"shared_{n}", "")
            if shared and not agency:
                self.add_error(f"agency_{n}", f"Choose the agency that shared item {n}")
            if agency and not shared:
                self.add_error(f"shared_{n}", f"Enter what agency {n} shared")
        self.check_assessment(cleaned, required=False)
        return cleaned

    def contributions(self) -> list[tuple[Organisation, str]]:
        rows = []
        for n in range(1, CONTRIBUTION_ROWS + 1):
            if self.cleaned_data.get(f"agency_{n}"):
                rows.append((self.cleaned_data[f"agency_{n}"], self.cleaned_data[f"shared_{n}"]))
        return rows


class ActionForm(forms.Form):
    description = long_text("Action")
    due_date = date_field("Due date")

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"] = organisation_field("Owning organisation", panel)
        self.fields["owner"] = forms.ModelChoiceField(
            label="Named owner",
            queryset=Person.objects.filter(
                organisation__in=panel.member_organisations.all()
            ).select_related("organisation"),
            required=False,
            empty_label="No named owner",
        )
        self.fields["owner"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.full_name} ({p.organisation.name})"
        )
        self.fields["due_date"].initial = timezone.localdate() + timedelta(days=28)
        self.order_fields(["description", "owner_organisation", "owner", "due_date"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner, organisation = cleaned.get("owner"), cleaned.get("owner_organisation")
        if owner and organisation and owner.organisation_id != organisation.pk:
            self.add_error("owner", "The named owner must work for the owning organisation")
        return cleaned


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Step",
        choices=EscalationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step"},
    )
    other_detail = text("If other, what", required=False, max_length=200)
    issued_on = date_field("Date issued")
    expires_on = date_field("Expiry date", required=False)
    notes = long_text("Notes", required=False)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_by"] = organisation_field("Issuing organisation", panel)
        self.fields["issued_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == EscalationKind.OTHER and not cleaned.get("other_detail"):
            self.add_error("other_detail", "Enter what the other step is")
        check_not_before(
            self,
            cleaned,
            "issued_on",
            "expires_on",
            "The expiry date must be on or after the date issued",
        )
        return cleaned


class BreachForm(forms.Form):
    occurred_on = date_field("Date of the breach")
    notes = long_text("Notes", required=False)


class SearchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        min_length=2,
        max_length=200,
        error_messages={
            "required": "Enter the name to search for",
            "min_length": "Enter at least 2 letters of the name",
        },
    )
    reason = forms.CharField(
        label="Why are you searching?",
        widget=forms.Textarea,
        max_length=500,
        help_text="Recorded in the audit log. Do not include the name here.",
        error_messages={"required": "Enter why you are searching for this person"},
    )


class MemberForm(forms.Form):
    role = forms.ChoiceField(
        label="Role on the panel",
        choices=PanelRole.choices,
        initial=PanelRole.MEMBER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            label="Person",
            queryset=Person.objects.filter(
                organisation__in=panel.member_organisations.all(), user__isnull=False
            ).select_related("organisation"),
            empty_label="Choose a person",
            error_messages={"required": "Choose the person to add"},
        )
        field.label_from_instance = lambda p: f"{p.full_name} ({p.organisation.name})"  # type: ignore[method-assign]
        self.fields["person"] = field
        self.order_fields(["person", "role"])


class SubjectAccessForm(forms.Form):
    sar_reference = text("Subject access request reference", max_length=60)
    full_name = text("Full name", max_length=200)
    date_of_birth = date_field("Date of birth")


class AuditSearchForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example, EXP-7K2M9Q4T1B",
        error_messages={"required": "Enter the case reference"},
    )
