"""Reading an uploaded file into text or cells: one policy for every importer.

Encodings: importers used to differ (action plans tried UTF-8 then Windows-1252;
population files UTF-8 then latin-1). The one policy is the union, in this fixed
order: UTF-8 (a byte-order mark dropped), then Windows-1252 (what Excel on Windows
writes as "CSV"), then latin-1, which decodes any bytes, so a file is never refused
for its encoding alone; an importer that must refuse non-UTF-8 text checks
:attr:`DecodedText.encoding`.

Spreadsheets are read read-only (streamed) and bounded by rows, columns and expanded
size (:func:`saferboard.core.workbooks.read_bounded_sheet`); archive members are read a
megabyte at a time and zip bombs refused by ratio (:mod:`saferboard.core.archives`).
Both are re-exported here so an importer needs only this module.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from saferboard.core.archives import bomb_reason, member_chunks, read_member
from saferboard.core.workbooks import (
    DAMAGED_WORKBOOK_ERRORS,
    DAMAGED_ZIP_ERRORS,
    SheetGrid,
    SheetRefused,
    read_bounded_sheet,
)

__all__ = [
    "DAMAGED_WORKBOOK_ERRORS",
    "DAMAGED_ZIP_ERRORS",
    "ENCODINGS",
    "DecodedText",
    "SheetGrid",
    "SheetRefused",
    "bomb_reason",
    "csv_rows",
    "decode_text",
    "member_chunks",
    "read_bounded_sheet",
    "read_member",
    "sniff_dialect",
]

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "cp1252", "latin-1")
"""Tried in this order; the first that decodes the whole file wins."""


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str


def decode_text(data: bytes, encodings: tuple[str, ...] = ENCODINGS) -> DecodedText:
    """The file's text under the first of ``encodings`` that decodes all of it.

    Raises ``UnicodeDecodeError`` only when given a list without latin-1 and none fits.
    """
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError as failed:
            error = failed
    if error is None:
        raise ValueError("decode_text needs at least one encoding")
    raise error


def sniff_dialect(text: str, *, delimiters: str = ",;\t|") -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of ``text``, judged on its first lines: comma-separated unless
    the sample clearly uses a semicolon, tab or bar (European Excel writes semicolons).
    """
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=delimiters)
    except csv.Error:  # one column, or too little to judge
        return csv.excel


def csv_rows(
    text: str, *, dialect: type[csv.Dialect] | csv.Dialect = csv.excel
) -> Iterator[list[str]]:
    """The rows of CSV ``text``; ``csv.Error`` propagates for the importer to locate."""
    return csv.reader(io.StringIO(text, newline=""), dialect)
