"""Strategies for hostile input: mangled bytes, hostile text, out-of-range dates.

Shared by every fuzz module. Byte mutations model what real uploads do to a file: cut
short, re-encoded, a header renamed, a quote left open, a huge or binary cell.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

# Text a spreadsheet would run as a formula (the cells the exports must quote).
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "=1",
]
CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\n") + "\x7f\u2028\u202e\ufeff"
ODD_DATES = [
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "31/02/2024",
    "29/02/2023",
    "1899-12-31",
    "2024-13-01",
    "-2024-01-01",
    "2024-1-1",
    "01/01/0001",
    "Sept 2025",
    "99999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
]
BIG_NUMBERS = ["9" * 400, "-" + "9" * 400, "1e309", "-1e309", "inf", "nan", "1,000,000,000,000"]


@functools.cache
def hostile_text_under(limit: int) -> st.SearchStrategy[str]:
    """One cell of hostile text shorter than ``limit`` characters (no line breaks unless
    a CSV quotes them).

    Built to size rather than filtered: a filter that throws away the huge cells wastes
    whole examples, and a strategy made afresh in every draw is validated afresh (both
    cost more than the import under test). Cached, so each size is built once.
    """
    parts = [
        st.sampled_from([t for t in [*FORMULAS, *ODD_DATES, *BIG_NUMBERS] if len(t) < limit]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=min(30, limit - 1)),
        st.text(alphabet=CONTROL + "ab,\"';=+-@", max_size=min(20, limit - 1)),
    ]
    # The longest cells this column may hold: from 1,000 characters up, or from half
    # the limit when the limit is lower.
    low = 1000 if limit > 1000 else max(1, limit // 2)
    high = min(200_000, limit - 1)
    if high >= low:
        parts.append(
            st.builds(lambda n, c: c * n, st.integers(low, high), st.sampled_from('x9é,"'))
        )
    return st.one_of(*parts)


hostile_text = hostile_text_under(200_001)
"""One cell of hostile text, up to 200,000 characters."""


def _splice(data: bytes, at: int, insert: bytes, cut: int) -> bytes:
    at = min(at, len(data))
    return data[:at] + insert + data[at + cut :]


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to three real-world mutations."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                [
                    "truncate",
                    "splice bytes",
                    "latin-1",
                    "utf-16",
                    "bom",
                    "nul",
                    "open quote",
                    "huge field",
                    "drop line",
                    "repeat line",
                    "swap header",
                    "lf only",
                    "extra comma",
                ]
            )
        )
        # Positions are drawn as fractions of the length, so what is drawn never depends
        # on the bytes themselves (a saved workbook differs from save to save).
        at = len(data) * draw(st.integers(0, 1000)) // 1000
        if kind == "truncate":
            data = data[:at]
        elif kind == "splice bytes":
            data = _splice(data, at, draw(st.binary(max_size=8)), draw(st.integers(0, 4)))
        elif kind == "latin-1":
            text = data.decode("utf-8", "replace") + "é£"
            data = text.encode("latin-1", "replace")
        elif kind == "utf-16":
            data = data.decode("utf-8", "replace").encode("utf-16")
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "nul":
            data = _splice(data, at, b"\x00", 0)
        elif kind == "open quote":
            data = _splice(data, at, b'"', 0)
        elif kind == "huge field":
            data = _splice(data, at, b"9" * draw(st.sampled_from([5000, 140_000])), 0)
        elif kind in {"drop line", "repeat line", "swap header"}:
            lines = data.split(b"\n")
            i = (len(lines) - 1) * draw(st.integers(0, 1000)) // 1000
            if kind == "drop line":
                del lines[i]
            elif kind == "repeat line":
                lines.insert(i, lines[i])
            elif len(lines) > 1:
                lines[0], lines[i] = lines[i], lines[0]
            data = b"\n".join(lines)
        elif kind == "lf only":
            data = data.replace(b"\r\n", b"\n")
        else:
            data = _splice(data, at, b",", 0)
    return data
