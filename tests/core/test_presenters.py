"""RAG colours in one module, and the stylesheets that must spell them out agree with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import saferboard
from saferboard.core.presenters import (
    NOT_RATED,
    RAG_COLOURS,
    docx_fill,
    rag_colours,
    rag_tag,
    rag_tags,
)
from saferboard.core.rag import RAG_ORDER

PACKAGE = Path(saferboard.__file__).resolve().parent
STYLESHEETS = {
    "strategy print": PACKAGE / "strategy/static/strategy/print.css",
    "strategy web": PACKAGE / "strategy/static/strategy/strategy.css",
    "board pack print": PACKAGE / "reports/static/reports/print.css",
}
_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")


def _rules(css: str) -> dict[str, str]:
    return {selector: body for selector, body in _RULE.findall(css)}


def _colour(body: str, prop: str) -> str | None:
    match = re.search(rf"(?:^|;)\s*{prop}\s*:[^;]*?(#[0-9a-fA-F]{{6}})", body)
    return match.group(1).lower() if match else None


def test_every_status_has_colours_and_not_rated_is_grey() -> None:
    assert tuple(RAG_COLOURS) == RAG_ORDER
    assert rag_colours("amber").tag_class == "govuk-tag--orange"
    assert rag_colours("") is NOT_RATED and rag_colours(None).tag_class == "govuk-tag--grey"
    with pytest.raises(KeyError):
        rag_colours("purple")  # a misspelt status must not pass as 'not rated'


def test_docx_fill_is_the_tint_in_words_form() -> None:
    # '#fcd6c3' → 'FCD6C3' by hand: no '#', upper case.
    assert docx_fill("amber") == "FCD6C3"
    assert docx_fill("red") == "F4CDC6"
    assert {docx_fill(s) for s in RAG_ORDER} == {
        c.fill.lstrip("#").upper() for c in RAG_COLOURS.values()
    }


def test_tags_say_the_status_in_words() -> None:
    assert rag_tag("amber").text == "Amber" and rag_tag("amber").css_class == "govuk-tag--orange"
    assert rag_tag(None).text == "Not rated"
    assert [t.text for t in rag_tags("amber", "green")] == ["Amber", "Green"]


@pytest.mark.parametrize("name", sorted(STYLESHEETS))
def test_stylesheet_rag_colours_equal_the_modules(name: str) -> None:
    rules = _rules(STYLESHEETS[name].read_text(encoding="utf-8"))
    checked = 0
    for status, colours in [*RAG_COLOURS.items(), ("", NOT_RATED)]:
        tag = rules.get(colours.tag_class)
        if tag is not None:
            assert _colour(tag, "background") == colours.fill, (name, colours.tag_class)
            text = _colour(tag, "color")
            assert text in (None, colours.text), (name, colours.tag_class)
            checked += 1
        cell = rules.get(f"sabo-rag-cell--{status}") if status else None
        if cell is not None:
            assert _colour(cell, "border-left") == colours.line, (name, status)
            checked += 1
    # Each sheet colours all four statuses one way or the other.
    assert checked >= len(RAG_ORDER), name


def test_the_check_catches_a_wrong_colour() -> None:
    css = ".govuk-tag--orange { background: #ffd7a8; }"
    assert _colour(_rules(css)["govuk-tag--orange"], "background") != RAG_COLOURS["amber"].fill
