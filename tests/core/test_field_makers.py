"""required_field and checkboxes: the field declarations several apps' forms share."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.http import QueryDict

from saferboard.core.form_fields import (
    DATE_INPUT_FORMATS,
    ModelMultipleChoiceField,
    checkboxes,
    required_field,
)
from saferboard.core.models import Organisation, Person
from tests.factories import OrganisationFactory


class _Form(forms.Form):
    name = required_field(forms.CharField(label="Name"), "Enter the board's name")
    leads = checkboxes(Organisation, "Lead organisations", help_text="Tick any")
    people = checkboxes(Person, "People")

    def __init__(self, *args: object, organisations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if organisations is not None:
            self.fields["leads"].queryset = organisations  # type: ignore[attr-defined]


def test_required_field_names_the_field_when_it_is_left_empty() -> None:
    form = _Form({"name": ""})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter the board's name"]


def test_checkboxes_are_optional_range_checked_checkboxes_offering_nothing_at_first() -> None:
    field = _Form().fields["leads"]
    assert isinstance(field, ModelMultipleChoiceField)
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)
    assert (field.label, field.required, field.help_text) == (
        "Lead organisations",
        False,
        "Tick any",
    )
    assert field.queryset.model is Organisation and not field.queryset.exists()  # type: ignore[attr-defined]
    assert _Form().fields["people"].queryset.model is Person  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_checkboxes_choose_from_the_queryset_the_form_sets() -> None:
    council = OrganisationFactory()
    data = QueryDict(mutable=True)
    data["name"] = "Board"
    data.setlist("leads", [str(council.pk)])
    assert not _Form(data).is_valid()  # nothing offered until the form sets the queryset
    form = _Form(data, organisations=Organisation.objects.filter(pk=council.pk))
    assert form.is_valid() and list(form.cleaned_data["leads"]) == [council]
    assert list(form.cleaned_data["people"]) == []


@pytest.mark.parametrize("typed", ["27/3/2025", "27 3 2025", "2025-03-27", "27/3/25"])
def test_a_date_field_reads_each_way_people_type_a_day(typed: str) -> None:
    field = forms.DateField(input_formats=DATE_INPUT_FORMATS)
    assert field.clean(typed) == date(2025, 3, 27)
