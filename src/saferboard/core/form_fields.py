"""Form fields shared by the forms of every app."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models

from saferboard.core.dates import parse_date

if TYPE_CHECKING:
    _ModelMultipleChoiceField = forms.ModelMultipleChoiceField[models.Model]
else:  # not subscriptable at run time
    _ModelMultipleChoiceField = forms.ModelMultipleChoiceField

_F = TypeVar("_F", bound=forms.Field)

# How people type a day in a date field: 27/3/2025, 27 3 2025, 2025-03-27 or 27/3/25.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y"]


def required_field(field: _F, message: str) -> _F:
    """``field``, saying ``message`` when it is left empty (Django's "This field is
    required." names no field, which a GOV.UK error summary must)."""
    field.error_messages["required"] = message
    return field


class ModelMultipleChoiceField(_ModelMultipleChoiceField):
    """Django's field, refusing an id outside the database column's range as an invalid
    choice.

    Django checks the range for a single id (an exact lookup) but not for the ``IN``
    lookup it uses for several: a posted id of twenty digits raised OverflowError on
    SQLite and would raise DataError on PostgreSQL, a server error instead of a field
    error (found by fuzzing the forms).
    """

    def _check_values(self, value: Any) -> Any:
        if self.queryset is None:  # never, once the form has set it
            return super()._check_values(value)  # type: ignore[misc]  # private: not in the stubs
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(field, models.IntegerField) and isinstance(value, list | tuple):
            ops = connections[self.queryset.db].ops
            low, high = ops.integer_field_range(field.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # not a number: Django's own check refuses it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private: not in the stubs


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message on its field when the form has
    that field, otherwise (or for a refusal of the whole) above the form."""
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error)


class DayField(forms.CharField):
    """A date typed as people write them: '30/09/2025', '30 September 2025', 'Sept 2025'."""

    def __init__(self, *args: Any, end_of_month: bool = False, **kwargs: Any) -> None:
        self.end_of_month = end_of_month
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, date):
            return f"{value.day} {value:%B %Y}"
        return value

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        day = None if len(text) > 40 else parse_date(text, end_of_month=self.end_of_month)
        if day is None:
            raise forms.ValidationError(
                f"{self.label} must be a real date, like 30/09/2025 or 30 September 2025"
            )
        return day


def checkboxes(model: type[models.Model], label: str, **options: Any) -> ModelMultipleChoiceField:
    """Optional checkboxes of ``model``'s objects (people, organisations), offering none
    until the form's ``__init__`` sets the queryset it may choose from (its partnership's)."""
    options.setdefault("required", False)
    return ModelMultipleChoiceField(
        label=label,
        queryset=model._default_manager.none(),
        widget=forms.CheckboxSelectMultiple,
        **options,
    )
