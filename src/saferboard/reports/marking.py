"""The protective marking a pack carries, and how each rendering shows it.

A restricted pack (exempt items, no disclosure control) is OFFICIAL-SENSITIVE under
the Government Security Classifications: the marking is in every page's header and
footer of the PDF and the Word document, and in a banner at the top and bottom of the
web pack. A public pack is published to anyone and carries no marking (the existing
packs never carried "OFFICIAL" either).
"""

from __future__ import annotations

from typing import Any

RESTRICTED_MARKING = "OFFICIAL-SENSITIVE"


def marking_for(*, public: bool) -> str:
    """The marking for a pack's audience: '' for the public pack."""
    return "" if public else RESTRICTED_MARKING


def print_css(marking: str) -> str:
    """``@page`` rules putting ``marking`` in the header (top centre) and footer (bottom
    left; the page number keeps the centre) of every page, the cover included."""
    if not marking:
        return ""
    # The marking is one of our constants, never user text: safe inside a CSS string.
    # Unbroken: beside a long running header it would otherwise wrap after "OFFICIAL-".
    box = (
        f'content: "{marking}"; font: bold 9pt "Liberation Sans", Arial, sans-serif; '
        "white-space: nowrap;"
    )
    return (
        f"@page {{ @top-center {{ {box} }} @bottom-left {{ {box} }} }}\n"
        f"@page :first {{ @top-center {{ {box} }} @bottom-left {{ {box} }} }}\n"
    )


def mark_docx_section(section: Any, marking: str) -> None:
    """Put ``marking``, bold and centred, above the running header and in the footer
    of a python-docx section (one section, no distinct first page: every page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not marking:
        return
    header = section.header.paragraphs[0].insert_paragraph_before()
    footer = section.footer.paragraphs[0]
    for paragraph in (header, footer):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(marking).bold = True
