"""The GOV.UK table component ({% govuk_table %}, components/table.html): the table,
caption and column headings every page used to write out by hand (issue 23)."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from saferboard.core.templatetags.govuk import table_columns


def _render(source: str, **context: object) -> str:
    html = Template(source).render(Context(context))
    # Whitespace between tags is layout, not content.
    return re.sub(r">\s+<", "><", html).strip()


HEAD = '<thead class="govuk-table__head"><tr class="govuk-table__row">'
COL = '<th scope="col" class="govuk-table__header">'
NUM = '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'


def test_columns_numeric_and_width_classes_in_order() -> None:
    cols = table_columns("Area|Total:numeric|Notes:govuk-!-width-one-half numeric")
    assert [c["label"] for c in cols] == ["Area", "Total", "Notes"]
    assert cols[0]["classes"] == []
    assert cols[1]["classes"] == ["govuk-table__header--numeric"]
    assert cols[2]["classes"] == ["govuk-!-width-one-half", "govuk-table__header--numeric"]


def test_a_colon_in_a_heading_stays_in_the_heading() -> None:
    cols = table_columns("Rank: 1 is best|Time:numeric")
    assert [(c["label"], c["classes"]) for c in cols] == [
        ("Rank: 1 is best", []),
        ("Time", ["govuk-table__header--numeric"]),
    ]


def test_numeric_columns_with_a_medium_caption() -> None:
    html = _render(
        '{% govuk_table caption="Actions by RAG status" caption_size="m" '
        'columns="Area|Red:numeric" %}<tr class="govuk-table__row"><td>x</td></tr>'
        "{% endgovuk_table %}"
    )
    assert html == (
        '<table class="govuk-table">'
        '<caption class="govuk-table__caption govuk-table__caption--m">Actions by RAG status'
        "</caption>"
        f"{HEAD}{COL}Area</th>{NUM}Red</th></tr></thead>"
        '<tbody class="govuk-table__body"><tr class="govuk-table__row"><td>x</td></tr></tbody>'
        "</table>"
    )


def test_no_caption_with_id_and_classes() -> None:
    html = _render(
        '{% govuk_table columns="A|B" id="changes" classes="sabo-table" %}{% endgovuk_table %}'
    )
    assert html == (
        '<table class="govuk-table sabo-table" id="changes">'
        f"{HEAD}{COL}A</th>{COL}B</th></tr></thead>"
        '<tbody class="govuk-table__body"></tbody></table>'
    )
    assert "<caption" not in html


def test_hidden_caption_with_and_without_a_size() -> None:
    sized = _render(
        '{% govuk_table caption="Plans" caption_size="s" caption_hidden=True columns="A" %}'
        "{% endgovuk_table %}"
    )
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">'
        "Plans</caption>" in sized
    )
    unsized = _render(
        '{% govuk_table caption="Plans" caption_hidden=True columns="A" %}{% endgovuk_table %}'
    )
    assert '<caption class="govuk-table__caption govuk-visually-hidden">Plans</caption>' in unsized


def test_caption_with_variables_is_escaped_and_rows_see_the_page_context() -> None:
    html = _render(
        '{% govuk_table caption_size="s" columns="Case" %}Cases for {{ panel }}'
        "{% govuk_table_rows %}{% for c in cases %}<tr><td>{{ c }}</td></tr>{% endfor %}"
        "{% endgovuk_table %}",
        panel="A & B",
        cases=["<one>", "two"],
    )
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Cases for A &amp; B'
        "</caption>" in html
    )
    assert "<tr><td>&lt;one&gt;</td></tr><tr><td>two</td></tr></tbody>" in html


def test_literal_markup_is_kept_but_a_variable_heading_is_escaped() -> None:
    literal = _render(
        "{% govuk_table columns='<span class=\"govuk-visually-hidden\">Change</span>' %}"
        "{% endgovuk_table %}"
    )
    assert f'{COL}<span class="govuk-visually-hidden">Change</span></th>' in literal
    variable = _render("{% govuk_table columns=cols %}{% endgovuk_table %}", cols="<b>|C")
    assert f"{COL}&lt;b&gt;</th>{COL}C</th>" in variable


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% govuk_table "A|B" %}{% endgovuk_table %}')
