"""Narrative sanitising with hostile input, and tables of figures."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.strategy.content import (
    ALLOWED_TAGS,
    Figures,
    FiguresError,
    parse_figures,
    render_narrative,
    sanitise_html,
)

BAD_HREF = re.compile(r"""href\s*=\s*["']?\s*(javascript|vbscript|data):""")
HOSTILE = [
    '<script>alert("x")</script>Update',
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<p onclick="steal()">Text</p>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="  javascript:alert(1)">link</a>',
    '<a href="java&#x09;script:alert(1)">link</a>',
    "[click](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    '<table><tr><td onmouseover="x()">cell</td></tr></table>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<strong onfocus="x()" tabindex="1" autofocus>bold</strong>',
    "<!--<script>alert(1)</script>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_is_neutralised(hostile: str) -> None:
    html = render_narrative(hostile).lower()
    assert "<script" not in html and '<a href="javascript' not in html
    assert not BAD_HREF.search(html)
    assert not re.search(r"\son\w+\s*=", html)
    for tag in ("<img", "<svg", "<iframe", "<style", "<form", "<input", "<div", "<math"):
        assert tag not in html
    assert "style=" not in html and "tabindex" not in html


def test_allowed_formatting_survives() -> None:
    text = (
        "First paragraph with **bold** and _italic_.\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        "[Report](https://example.org/report) and [email](mailto:csp@example.org)\n\n"
        "| Ward | Arrests |\n|---|---|\n| Penge | 4 |\n"
    )
    html = render_narrative(text)
    for fragment in (
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<ul>",
        "<ol>",
        "<li>one</li>",
        'href="https://example.org/report"',
        'href="mailto:csp@example.org"',
        "<table>",
        "<th>Ward</th>",
        "<td>4</td>",
    ):
        assert fragment in html, fragment
    assert 'rel="noopener noreferrer nofollow"' in html


def test_pasted_html_keeps_allowed_tags_only() -> None:
    html = sanitise_html(
        '<h1 class="x">Title</h1><p><b>Bold</b> <i>it</i> <u>u</u> '
        '<a href="http://x.org" target="_blank" title="t">x</a></p>'
    )
    assert "<h1" not in html and "class=" not in html and "target=" not in html
    assert "<strong>Bold</strong>" in html and "<em>it</em>" in html
    assert 'href="http://x.org"' in html and "Title" in html


def test_empty_text_renders_nothing() -> None:
    assert render_narrative("") == "" and render_narrative("  \n ") == ""


class _Tags(HTMLParser):
    """Collects every real tag and attribute in a fragment (text is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]


@given(st.text(max_size=300), st.sampled_from(HOSTILE))
def test_any_text_comes_out_with_only_allowed_tags_and_safe_links(text: str, hostile: str) -> None:
    parser = _Tags()
    parser.feed(render_narrative(text + hostile + text))
    assert parser.tags <= ALLOWED_TAGS
    for tag, name, value in parser.attributes:
        assert (tag, name) in {("a", "href"), ("a", "rel")}, (tag, name)
        if name == "href":
            assert (value or "").split(":")[0].lower() in {"http", "https", "mailto"} or (
                ":" not in (value or "")
            ), value


def test_figures_parse_pipes_and_tabs() -> None:
    figures = parse_figures("Month | Installed\nApril | 14\n| May | 15 |", "Call blockers")
    assert figures == Figures(
        "Call blockers", ("Month", "Installed"), (("April", "14"), ("May", "15"))
    )
    assert parse_figures("Month\tInstalled\nApril\t14").rows == (("April", "14"),)
    assert parse_figures("| a | b |\n|---|---|\n| 1 | 2 |").rows == (("1", "2"),)
    assert parse_figures("") is None
    assert Figures.from_json(figures.to_json()) == figures
    assert parse_figures(figures.to_text(), "Call blockers") == figures
    assert figures.numeric_columns() == {1}


@pytest.mark.parametrize(
    ("text", "caption", "message"),
    [
        ("just one column\nx", "", "at least two"),
        ("a | b", "", "at least one row"),
        ("-", "", "not only a separator line"),  # found by the fuzz run: was IndexError
        ("| --- | --- |", "Figures", "not only a separator line"),
        ("a | b\n1 | 2 | 3", "", "Line 2 of the table has 3 cells"),
        ("|".join("abcdefghi") + "\n" + "|".join("123456789"), "", "at most 8 columns"),
        ("a | b\n" + "1 | 2\n" * 21, "", "at most 20 rows"),
        ("a | b\n1 | " + "x" * 121, "", "120 characters"),
        ("", "A caption", "Enter the table's rows"),
    ],
)
def test_bad_figures_are_refused(text: str, caption: str, message: str) -> None:
    with pytest.raises(FiguresError, match=message):
        parse_figures(text, caption)
