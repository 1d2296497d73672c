"""One GOV.UK form-field renderer (issue 23): every field tag (core ``govuk_field``,
actions ``form_field``, panels ``panel_field``) renders as recorded. The record was
taken from the three templates and re-taken when they became one; what the merge
changed is tested in ``test_form_rendering.py``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.template import Context, Template

EXPECTED = Path(__file__).with_name("field_html_expected.json")
CHOICES = [("", "Select one"), ("a", "Apple"), ("b", "Banana")]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Your full name")
    email = forms.EmailField(label="Email", required=False)
    count = forms.IntegerField(label="Count")
    day = forms.DateField(label="Day", required=False)
    fruit = forms.ChoiceField(label="Fruit", choices=CHOICES)
    kind = forms.ChoiceField(label="Kind", choices=CHOICES[1:], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Many", choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="Agree", required=False, help_text="Tick to agree")
    upload = forms.FileField(label="Upload", required=False)
    secret = forms.CharField(label="Secret", widget=forms.PasswordInput, required=False)


def _forms() -> dict[str, forms.Form]:
    return {
        "unbound": EveryWidgetForm(initial={"day": date(2025, 9, 30), "many": ["b"]}),
        "invalid": EveryWidgetForm(
            data={
                "name": "",
                "count": "x",
                "fruit": "b",
                "kind": "a",
                "many": ["a", "b"],
                "notes": "Some <b>text</b>",
                "agree": "on",
                "secret": "pw",
                "email": "no",
            }
        ),
    }


TAGS = {
    "govuk_field": '{% govuk_field field "A hint" "name" "20" %}',
    "govuk_field_plain": "{% govuk_field field %}",
    "form_field": "{% load sabo_forms %}{% form_field field %}",
    "form_field_args": '{% load sabo_forms %}{% form_field field "Hint" "10" "govuk-label--m" %}',
    "panel_field": "{% load panels_forms %}{% panel_field field %}",
    "panel_field_args": '{% load panels_forms %}{% panel_field field "Hint" "5" %}',
}


def render_all() -> dict[str, str]:
    rendered: dict[str, str] = {}
    for form_name, form in _forms().items():
        form.is_valid() if form.is_bound else None
        for field in form:
            for tag, source in TAGS.items():
                context: dict[str, Any] = {"field": field}
                key = f"{form_name}/{field.name}/{tag}"
                rendered[key] = Template(source).render(Context(context))
    return rendered


def test_every_field_tag_renders_as_before() -> None:
    expected = json.loads(EXPECTED.read_text())
    actual = render_all()
    assert sorted(actual) == sorted(expected)
    for key, html in expected.items():
        assert actual[key] == html, key


@pytest.mark.parametrize("tag", ["form_field", "panel_field", "govuk_field"])
def test_an_error_is_shown_with_its_field(tag: str) -> None:
    html = render_all()[f"invalid/count/{tag}"]
    assert "govuk-form-group--error" in html
    assert "Enter a whole number." in html
