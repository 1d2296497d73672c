"""What partners write: formatted narrative, made safe, and small tables of figures.

Partners write in a light plain-text format (blank lines between paragraphs, ``- `` for
bullets, ``1.`` for numbered lists, ``**bold**``, ``_italic_``, ``[text](https://…)``
and ``| pipe | tables |``), or paste HTML. Either way the text is turned into HTML by
markdown-it and then cleaned by nh3 (the maintained Rust sanitiser ``ammonia``) to an
allow-list: paragraphs, lists, bold, italic, http/https/mailto links and simple tables.
Only the cleaned HTML is ever rendered; what the partner typed is kept to edit again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "ul", "ol", "li", "strong", "em", "a", "table", "thead", "tbody", "tr", "th", "td"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
# markdown-it turns <b>/<i> typed by hand into nothing useful once sanitised; map them.
_SYNONYMS = re.compile(r"<(/?)(b|i)(\s[^>]*)?>", re.IGNORECASE)


def sanitise_html(html: str) -> str:
    """Clean HTML to the narrative allow-list (everything else is dropped or unwrapped)."""
    html = _SYNONYMS.sub(lambda m: f"<{m[1]}{'strong' if m[2].lower() == 'b' else 'em'}>", html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def render_narrative(text: str) -> str:
    """The safe HTML for what a partner typed (empty text gives an empty string)."""
    if not text.strip():
        return ""
    return sanitise_html(_markdown.render(text.replace("\r\n", "\n")))


# Tables of figures --------------------------------------------------------------------

MAX_FIGURE_COLUMNS = 8
MAX_FIGURE_ROWS = 20
MAX_FIGURE_CELL = 120
_NUMBER = re.compile(r"^[£$€]?[-+−]?\d[\d,]*(\.\d+)?%?$")


class FiguresError(ValueError):
    """The typed table cannot be read; the message says where."""


@dataclass(frozen=True)
class Figures:
    """A small table: a caption, column headings and rows of text cells."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Whether the table counts people (the public board pack then hides small counts);
    # None: decided from its headings (reports.disclosure.table_counts_people).
    counts_people: bool | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Figures | None:
        if not data or not data.get("columns"):
            return None
        return cls(
            caption=str(data.get("caption", "")),
            columns=tuple(str(c) for c in data["columns"]),
            rows=tuple(tuple(str(c) for c in row) for row in data.get("rows", [])),
            counts_people=flag if isinstance(flag := data.get("counts_people"), bool) else None,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "caption": self.caption,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }
        if self.counts_people is not None:
            data["counts_people"] = self.counts_people
        return data

    def to_text(self) -> str:
        """Back to the form's one-row-a-line text, for editing."""
        return "\n".join(" | ".join(r) for r in (self.columns, *self.rows))

    def numeric_columns(self) -> set[int]:
        """Columns whose every non-empty cell is a number (right-aligned in tables)."""
        numeric = set()
        for i in range(len(self.columns)):
            cells = [row[i] for row in self.rows if row[i].strip()]
            if cells and all(is_number(c) for c in cells):
                numeric.add(i)
        return numeric


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip().replace(" ", "")))


def parse_figures(
    text: str, caption: str = "", counts_people: bool | None = None
) -> Figures | None:
    """Read a table typed one row a line, cells split by ``|`` or tabs (as pasted from a
    spreadsheet); the first line holds the headings. Blank text means no table."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        if caption.strip():
            raise FiguresError("Enter the table's rows, or remove its caption")
        return None
    # Markdown-style separator rows (| --- | --- |) are skipped.
    lines = [line for line in lines if not re.fullmatch(r"[\s|:\-\t]+", line)]
    if not lines:  # only separator rows: say so rather than drop what was typed
        raise FiguresError("Enter the table's headings and rows, not only a separator line")
    rows = [_split_row(line) for line in lines]
    columns, body = rows[0], rows[1:]
    if len(columns) < 2:
        raise FiguresError("Separate the table's columns with | or a tab: it needs at least two")
    if len(columns) > MAX_FIGURE_COLUMNS:
        raise FiguresError(f"A table of figures can have at most {MAX_FIGURE_COLUMNS} columns")
    if not body:
        raise FiguresError("Enter at least one row of figures under the headings")
    if len(body) > MAX_FIGURE_ROWS:
        raise FiguresError(f"A table of figures can have at most {MAX_FIGURE_ROWS} rows")
    for number, row in enumerate(body, start=2):
        if len(row) != len(columns):
            raise FiguresError(
                f"Line {number} of the table has {len(row)} cells but the headings have "
                f"{len(columns)}"
            )
    for row in rows:
        for cell in row:
            if len(cell) > MAX_FIGURE_CELL:
                raise FiguresError(
                    f"Each cell of the table must be {MAX_FIGURE_CELL} characters or fewer"
                )
    return Figures(
        caption=caption.strip(),
        columns=tuple(columns),
        rows=tuple(tuple(r) for r in body),
        counts_people=counts_people,
    )


def _split_row(line: str) -> list[str]:
    if "\t" in line:
        cells = line.split("\t")
    else:
        text = line.strip()
        if text.startswith("|"):
            text = text[1:]
        if text.endswith("|"):
            text = text[:-1]
        cells = text.split("|")
    return [c.strip() for c in cells]
