"""Text cells that a spreadsheet shows but never runs (CSV and formula injection).

Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some read one starting with a tab or carriage return the same way once the
whitespace is trimmed, so ``=cmd|' /C calc'!A0`` typed into a free-text field could run
on the reader's machine. Every CSV and XLSX export passes its values through
:func:`safe_cell`: such text gets a leading apostrophe, which a spreadsheet hides and
treats as "this is text". Only text is touched: the number -5 stays a number, while the
text "-5 fewer" becomes "'-5 fewer".
"""

from __future__ import annotations

from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = TypeVar("Value")


def safe_text(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Value) -> Value | str:
    """A value as an export should write it: formula-like text quoted, anything else
    (numbers, dates, ``None``) unchanged."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def restore_text(text: str) -> str:
    """Undo :func:`safe_text` on text read back from a cell Saferboard wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
