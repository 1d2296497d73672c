"""Real page ranges for the agenda, computed from the laid-out document.

Each agenda item's content starts at an element with id ``item-N`` and ends at one
with id ``item-N-end``. After WeasyPrint lays the document out we read the page each
anchor landed on (``page.anchors``), which gives the item's range. Printing those
ranges in the agenda can itself move pages (a longer agenda pushes everything on), so
we render again with the ranges written in and repeat until the ranges stop changing.
The first pass writes the widest text a range can take, so the second pass almost
always confirms the first.

The ranges are checked independently in the tests by reading the finished PDF back
with pypdf (bookmarks and page text).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.document import Document

MAX_PASSES = 5


class PaginationUnstable(RuntimeError):
    """The page ranges kept changing: the layout oscillates (never seen in practice)."""


@dataclass(frozen=True)
class PageRange:
    start: int
    end: int

    @property
    def label(self) -> str:
        """'(Pages 5 - 20)' as the agenda prints it, or '(Page 5)'."""
        if self.start == self.end:
            return f"(Page {self.start})"
        return f"(Pages {self.start} - {self.end})"

    @property
    def count(self) -> int:
        return self.end - self.start + 1


def placeholder(pages: int) -> PageRange:
    """The widest range a document of up to ``pages`` pages can print (first pass)."""
    widest = int("8" * len(str(max(pages, 1))))
    return PageRange(widest, widest)


def anchor_pages(document: Document) -> dict[str, int]:
    """The 1-based page number each anchor (element id) first lands on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def item_ranges(pages: dict[str, int], item_ids: Sequence[str]) -> dict[str, PageRange]:
    """Ranges from the start anchor ``id`` and end anchor ``id-end`` of each item."""
    ranges = {}
    for ident in item_ids:
        if ident not in pages:
            raise KeyError(f"Anchor {ident!r} is not in the rendered document")
        start = pages[ident]
        end = pages.get(f"{ident}-end", start)
        ranges[ident] = PageRange(start, max(start, end))
    return ranges


def paginate(
    render: Callable[[dict[str, PageRange] | None], Document],
    item_ids: Sequence[str],
    *,
    max_passes: int = MAX_PASSES,
) -> tuple[Document, dict[str, PageRange], int]:
    """Render until the ranges printed in the agenda are the ranges the items occupy.

    ``render(ranges)`` lays out the whole pack, printing ``ranges`` in the agenda
    (``None`` on the first pass: print placeholders). Returns the final document, the
    ranges and the number of passes.
    """
    document = render(None)
    ranges = item_ranges(anchor_pages(document), item_ids)
    for passes in range(2, max_passes + 1):
        document = render(ranges)
        found = item_ranges(anchor_pages(document), item_ids)
        if found == ranges:
            return document, ranges, passes
        ranges = found
    raise PaginationUnstable(f"Page ranges did not settle after {max_passes} passes")


def pdf_outline(pdf: bytes) -> list[tuple[str, int, int]]:
    """(title, 1-based page, depth) for every bookmark in a PDF, read with pypdf."""
    from pypdf import PdfReader
    from pypdf.generic import Destination

    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, int, int]] = []

    def walk(entries: Sequence[object], depth: int) -> None:
        for entry in entries:
            if isinstance(entry, list):  # a bookmark's children
                walk(entry, depth + 1)
            elif isinstance(entry, Destination):
                page = reader.get_destination_page_number(entry)
                if page is None:
                    raise ValueError(f"The bookmark {entry.title!r} points to no page")
                found.append((str(entry.title), page + 1, depth))
            else:
                raise TypeError(f"Not a bookmark: {entry!r}")

    walk(reader.outline, 0)
    return found
