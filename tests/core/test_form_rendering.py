"""The one field template (issue 23): what the merge of the three templates kept and
what it mended, on small forms whose HTML is worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.template import Context, Template

from saferboard.core.form_rendering import field_context, shown_value

CHOICES = [("", "None"), ("a", "Apple"), ("b", "Banana")]


class SmallForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=CHOICES, widget=forms.RadioSelect)
    count = forms.IntegerField(label="Count")
    secret = forms.CharField(label="Secret", widget=forms.PasswordInput)
    at = forms.TimeField(label="At", required=False, input_formats=["%H:%M"])


def render(tag: str, form: forms.Form, name: str, args: str = "") -> str:
    source = {
        "form_field": "{% load sabo_forms %}{% form_field field ARGS %}",
        "panel_field": "{% load panels_forms %}{% panel_field field ARGS %}",
        "govuk_field": "{% govuk_field field ARGS %}",
    }[tag].replace("ARGS", args)
    return Template(source).render(Context({"field": form[name]}))


def test_a_choice_list_is_a_fieldset_whose_first_shown_option_has_the_fields_id() -> None:
    form = SmallForm(data={"count": "x"})
    form.is_valid()
    html = render("form_field", form, "kind", '"Pick one"')
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_kind-hint id_kind-error">' in html
    assert '<div id="id_kind-hint" class="govuk-hint">Pick one</div>' in html
    assert '<p id="id_kind-error" class="govuk-error-message">' in html
    # The error summary links to #id_kind: the first option shown carries that id.
    assert 'id="id_kind" name="kind" type="radio" value=""' in html
    assert 'id="id_kind_1" name="kind" type="radio" value="a"' in html
    # The panel layout leaves the blank choice out; its first shown option takes the id.
    panel = render("panel_field", form, "kind")
    assert 'value=""' not in panel
    assert 'id="id_kind" name="kind" type="radio" value="a"' in panel
    assert 'id="id_kind_2" name="kind" type="radio" value="b"' in panel
    assert panel.count('id="id_kind"') == 1  # the group no longer repeats the id


def test_describedby_names_only_what_is_there() -> None:
    form = SmallForm(data={"count": "x"})
    form.is_valid()
    for tag in ("form_field", "panel_field", "govuk_field"):
        html = render(tag, form, "count")
        assert 'aria-describedby="id_count-error"' in html, tag
        assert 'class="govuk-label"' in html, tag  # no stray space after the class
    assert "aria-describedby" not in render("form_field", SmallForm(), "count")


def test_a_password_is_never_sent_back() -> None:
    form = SmallForm(data={"secret": "pw", "count": "1"})
    form.is_valid()
    for tag in ("form_field", "panel_field", "govuk_field"):
        assert 'value="pw"' not in render(tag, form, "secret"), tag


def test_values_are_shown_as_the_field_reads_them_back() -> None:
    assert shown_value(date(2025, 9, 30), ["%d/%m/%Y"]) == "30/09/2025"
    assert shown_value(date(2025, 9, 30), ["%Y-%m-%d"]) == "2025-09-30"
    assert shown_value(datetime(2025, 9, 30, 14, 5), ["%d/%m/%Y %H:%M"]) == "30/09/2025 14:05"
    assert shown_value(time(14, 0)) == "14:00"
    assert shown_value(0) == "0" and shown_value(None) == "" and shown_value("") == ""
    html = render("form_field", SmallForm(initial={"at": time(9, 30)}), "at")
    assert 'value="09:30"' in html


def test_options_and_flags_of_the_context() -> None:
    context = field_context(SmallForm()["kind"], skip_blank_choices=True)
    assert [o["id"] for o in context["options"]] == ["id_kind", "id_kind_2"]
    assert context["component"] == "radios" and context["describedby"] == ""
    count = field_context(SmallForm()["count"], no_spellcheck=True)
    assert count["input_type"] == "number" and not count["spellcheck_off"]
