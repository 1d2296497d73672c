"""The form-page and confirmation-page layouts (issue 23): one skeleton for simple pages."""

from __future__ import annotations

import re

from django import forms
from django.template import engines

PAGE = """{% extends "layouts/form_page.html" %}
{% block title %}Add a thing{% endblock %}
{% block back_href %}/things/{% endblock %}
{% block back_text %}Things{% endblock %}
{% block caption_text %}Settings: things{% endblock %}
{% block heading %}Add a thing{% endblock %}
{% block lead %}<p class="govuk-body">Lead text.</p>{% endblock %}
{% block form_attrs %} action="/things/new/"{% endblock %}
{% block fields %}<input name="name">{% endblock %}
{% block submit %}Add the thing{% endblock %}
"""


class ThingForm(forms.Form):
    name = forms.CharField(label="Name")


def _render(source: str, **context: object) -> str:
    html = engines["django"].from_string(source).render(context)
    return re.sub(r"\s+", " ", html)


def test_a_form_page_lays_out_back_link_caption_heading_form_and_button(db) -> None:  # type: ignore[no-untyped-def]
    html = _render(PAGE, form=ThingForm())
    assert '<a href="/things/" class="govuk-back-link">Things</a>' in html
    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    assert main.index('<span class="govuk-caption-l">Settings: things</span>') < main.index(
        '<h1 class="govuk-heading-l">Add a thing</h1>'
    )
    assert '<form method="post" action="/things/new/" novalidate>' in main
    assert 'name="csrfmiddlewaretoken"' not in main  # no request, so no token to render
    button = '<button type="submit" class="govuk-button" data-module="govuk-button">'
    assert button + "Add the thing</button>" in main
    assert "govuk-error-summary" not in main


def test_a_form_page_sums_up_the_errors_of_a_bound_form(db) -> None:  # type: ignore[no-untyped-def]
    html = _render(PAGE, form=ThingForm(data={}))
    assert 'class="govuk-error-summary"' in html
    assert '<li><a href="#id_name">This field is required.</a></li>' in html


def test_a_page_can_leave_out_the_caption_and_the_back_link(db) -> None:  # type: ignore[no-untyped-def]
    source = PAGE + "{% block caption %}{% endblock %}{% block before_content %}{% endblock %}"
    html = _render(source, form=ThingForm())
    assert "govuk-caption-l" not in html
    assert "govuk-back-link" not in html


def test_a_confirmation_page_has_a_warning_button_beside_its_cancel_link(db) -> None:  # type: ignore[no-untyped-def]
    source = PAGE.replace("layouts/form_page.html", "layouts/confirm_page.html") + (
        "{% block cancel_href %}/things/1/{% endblock %}"
    )
    html = _render(source)  # no form: a confirmation asks nothing, so sums up no errors
    assert (
        '<div class="govuk-button-group"> <button type="submit" class="govuk-button '
        'govuk-button--warning" data-module="govuk-button">Add the thing</button> '
        '<a class="govuk-link" href="/things/1/">Cancel</a> </div>'
    ) in html
    assert "govuk-error-summary" not in html
