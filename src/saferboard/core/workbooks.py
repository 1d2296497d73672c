"""What a damaged spreadsheet makes openpyxl raise.

Uploaded workbooks are untrusted bytes, and openpyxl fails on damage in many ways: a
broken zip directory or deflate stream (``BadZipFile``, ``zlib.error``, ``EOFError``),
a compression method byte turned into nonsense (``NotImplementedError``), a missing
part (``KeyError``), bad XML (``SyntaxError`` covers the XML parsers' ``ParseError``),
odd values (``ValueError``, ``TypeError``). Read-only workbooks are parsed lazily, so
these can surface while rows are read as well as when the file opens. Each importer
catches this tuple around both and refuses the file by name; anything else is a bug.
"""

from __future__ import annotations

import zipfile
import zlib

DAMAGED_WORKBOOK_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
)
