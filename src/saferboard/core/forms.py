"""Forms for the core pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from saferboard.core.form_checks import check_not_before
from saferboard.core.form_fields import DayField
from saferboard.core.models import (
    AuditAction,
    Organisation,
    OrganisationType,
    Partnership,
    Person,
)
from saferboard.core.organisation_settings import descendants


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK wording."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditAction.choices], required=False, label="Action"
    )
    actor = forms.CharField(required=False, label="User", max_length=150)
    object_type = forms.CharField(required=False, label="Object type", max_length=100)


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]  # generic in stubs
    """Django's set-password form (with the password validators) in GOV.UK wording."""

    # An error message, not a password.
    error_messages = {"password_mismatch": "The passwords do not match"}  # nosec B105

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the password again"


class PasswordLinkRequestForm(forms.Form):
    """Ask for a one-time link by email: the address only."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]  # generic in stubs
    """A partner organisation's set-up. The end date (retiring it) is on the edit form only."""

    start_date = DayField(
        label="Partner from",
        required=True,
        help_text="The day it joined the partnership. For example, 1/4/2024",
        error_messages={"required": "Enter the day it joined the partnership"},
    )
    end_date = DayField(
        label="Left the partnership on",
        help_text="Leave blank while it is a partner. An organisation that has left stays "
        "in the history, shown as having left.",
    )

    class Meta:
        model = Organisation
        fields = ["name", "type", "parent", "is_responsible_authority", "start_date", "end_date"]
        labels = {
            "name": "Name",
            "type": "Type of organisation",
            "parent": "Part of",
            "is_responsible_authority": "A responsible authority",
        }
        help_texts = {
            "parent": "For example, the council a council department belongs to. Leave blank "
            "if it is not part of another partner.",
            "is_responsible_authority": "A statutory responsible authority under the Crime "
            "and Disorder Act 1998 (council, police, probation, fire and rescue, health).",
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "type": {"required": "Select the type of organisation"},
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        parents = Organisation.objects.filter(partnership=partnership)
        if self.instance.pk:
            parents = parents.exclude(pk__in={self.instance.pk, *descendants(self.instance)})
        else:
            del self.fields["end_date"]
        parent = self.fields["parent"]
        parent.queryset = parents.order_by("name")  # type: ignore[attr-defined]
        parent.empty_label = "Not part of another partner"  # type: ignore[attr-defined]
        self.fields["type"].choices = [("", "Select a type"), *OrganisationType.choices]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = Organisation.objects.filter(partnership=self.partnership, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise ValidationError(f"There is already an organisation called {name}")
        if not slugify(name):
            raise ValidationError("Enter a name with at least one letter or number")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_not_before(
            self,
            cleaned,
            "start_date",
            "end_date",
            "The day it left must be on or after the day it joined",
        )
        return cleaned

    def _post_clean(self) -> None:
        # Django would copy the values onto the instance here; the service does it instead,
        # after taking the audit's "before" snapshot. The form's own checks cover the model's.
        pass


class PersonForm(forms.ModelForm):  # type: ignore[type-arg]  # generic in stubs
    """A person's details. The email is fixed for a coordinator once the person can sign
    in (see people_settings.may_change_email)."""

    class Meta:
        model = Person
        fields = ["full_name", "job_title", "email", "phone", "organisation"]
        labels = {
            "full_name": "Full name",
            "job_title": "Job title",
            "email": "Email address",
            "phone": "Phone number (optional)",
            "organisation": "Organisation they work for",
        }
        help_texts = {
            "email": "Invitations and password links are sent here.",
            "job_title": "Optional. For example, Community safety manager",
        }
        error_messages = {
            "full_name": {"required": "Enter the person's full name"},
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.com"
            },
            "organisation": {"required": "Select the organisation they work for"},
        }

    def __init__(self, *args: Any, lock_email: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        organisations = Organisation.objects.active_on(today)
        if self.instance.pk:  # keep the one they are at, even if it has since left
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.organisation_id
            )
        field = self.fields["organisation"]
        field.queryset = organisations.distinct().order_by("name")  # type: ignore[attr-defined]
        field.empty_label = "Select an organisation"  # type: ignore[attr-defined]
        if lock_email:
            self.fields["email"].disabled = True
            self.fields[
                "email"
            ].help_text = (
                "Only an administrator can change the email address of someone who can sign in."
            )

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip()
        if email and (
            Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists()
        ):
            raise ValidationError("Someone else already has this email address")
        return email

    def _post_clean(self) -> None:
        # As OrganisationForm: the service copies the values after its audit snapshot.
        pass


class RoleForm(forms.Form):
    """Give a person a role for an organisation from a day (today when left blank)."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        error_messages={"required": "Select the organisation the role is for"},
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    start_date = DayField(
        label="Starts on (optional)",
        help_text="Leave blank to start today. For example, 1/4/2026",
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.active_on(timezone.localdate()).order_by("name")
        )
