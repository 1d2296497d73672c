"""Shared form fields: a huge posted id is a field error, not a server error."""

from __future__ import annotations

import pytest
from django import forms
from django.http import QueryDict

from saferboard.core.form_fields import ModelMultipleChoiceField
from saferboard.core.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class OwnersForm(forms.Form):
    owners = ModelMultipleChoiceField(queryset=Organisation.objects.all())


def posted(*ids: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist("owners", list(ids))
    return data


def test_ids_in_range_are_chosen_and_a_huge_one_is_an_invalid_choice() -> None:
    council = OrganisationFactory()
    form = OwnersForm(posted(str(council.pk)))
    assert form.is_valid() and list(form.cleaned_data["owners"]) == [council]
    for huge in ("9" * 20, "-" + "9" * 20, str(2**63)):
        form = OwnersForm(posted(str(council.pk), huge))
        assert not form.is_valid()  # Django's own field raised OverflowError here
        assert "is not a valid value" in form.errors["owners"][0]
    form = OwnersForm(posted("x", "9" * 5000))
    assert not form.is_valid() and form.errors["owners"]
