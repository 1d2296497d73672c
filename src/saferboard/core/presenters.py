"""Turn values into display: the one place that decides how a RAG status looks.

A RAG status is always shown as text *and* colour (colour alone fails WCAG 1.4.1).
Order and labels live in :mod:`saferboard.core.rag` (``RAG_ORDER``, ``status_rank``,
``status_label``); the colours live here, for every rendering: GOV.UK tag classes on
pages, the tint behind the text in DOCX cells and print tags, and the strong colour of
a rated table cell's border. Stylesheets that must write the colours out themselves are
checked against these by a test (``tests/core/test_presenters.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from saferboard.core.models import RagStatus
from saferboard.core.rag import NOT_RATED_LABEL


@dataclass(frozen=True)
class RagColours:
    """How one status (or 'Not rated') is coloured wherever it is shown."""

    tag_class: str  # GOV.UK tag modifier ('govuk-tag--orange')
    fill: str  # tint behind the text: tags in print, shaded DOCX cells ('#fcd6c3')
    text: str  # text colour on that tint (GOV.UK's own pairs meet AA contrast)
    line: str  # the strong colour: a rated cell's left border ('#f47738')

    @property
    def docx_fill(self) -> str:
        """The fill as Word wants it in ``w:shd``: hex digits, upper case, no '#'."""
        return self.fill.lstrip("#").upper()


# GOV.UK Frontend's tag colours (tint and text) and its strong palette colours.
RAG_COLOURS: dict[str, RagColours] = {
    RagStatus.RED.value: RagColours("govuk-tag--red", "#f4cdc6", "#2a0b06", "#d4351c"),
    RagStatus.AMBER.value: RagColours("govuk-tag--orange", "#fcd6c3", "#6e3619", "#f47738"),
    RagStatus.GREEN.value: RagColours("govuk-tag--green", "#cce2d8", "#005a30", "#00703c"),
    RagStatus.BLUE.value: RagColours("govuk-tag--blue", "#bbd4ea", "#0c2d4a", "#1d70b8"),
}
NOT_RATED = RagColours("govuk-tag--grey", "#e5e6e7", "#0b0c0c", "#505a5f")


def rag_colours(status: str | None) -> RagColours:
    """The colours of one status; grey for ``None`` or blank (not rated).

    An unknown status raises ``KeyError``: a misspelt status must not pass as grey."""
    return RAG_COLOURS[str(status)] if status else NOT_RATED


def docx_fill(status: str) -> str:
    """The Word cell shading for a status ('FCD6C3' for amber)."""
    return rag_colours(status).docx_fill


@dataclass(frozen=True)
class TagPresentation:
    text: str
    css_class: str


def rag_tag(status: str | None) -> TagPresentation:
    """The GOV.UK tag for one RAG status (``None`` or blank: 'Not rated', grey)."""
    if not status:
        return TagPresentation(NOT_RATED_LABEL, NOT_RATED.tag_class)
    value = RagStatus(status)
    return TagPresentation(str(value.label), RAG_COLOURS[value.value].tag_class)


def rag_tags(status: str | None, second_status: str | None = None) -> list[TagPresentation]:
    """One tag, or two for a split rating ('Amber/Green')."""
    tags = [rag_tag(status)]
    if status and second_status:
        tags.append(rag_tag(second_status))
    return tags
