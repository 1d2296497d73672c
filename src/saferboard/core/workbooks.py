"""What a damaged ZIP archive, or a damaged spreadsheet, makes Python and openpyxl raise.

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

DAMAGED_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,  # also a member whose CRC does not match
    zlib.error,
    EOFError,
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an encrypted member
    OSError,
    ValueError,
)
"""What reading the members of an uploaded ZIP archive can raise on damage."""

DAMAGED_WORKBOOK_ERRORS: tuple[type[BaseException], ...] = (
    *DAMAGED_ZIP_ERRORS,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    SyntaxError,
)
"""What opening a workbook and reading its rows can raise on damage."""
