"""Turn values into display: one place decides how a RAG status looks.

A RAG status is always shown as text *and* colour (colour alone fails WCAG 1.4.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from saferboard.core.models import RagStatus

# GOV.UK tag modifier per status; text colours on these tints meet AA contrast.
_TAG_CLASS = {
    RagStatus.RED: "govuk-tag--red",
    RagStatus.AMBER: "govuk-tag--orange",
    RagStatus.GREEN: "govuk-tag--green",
    RagStatus.BLUE: "govuk-tag--blue",
}


@dataclass(frozen=True)
class TagPresentation:
    text: str
    css_class: str


def rag_tag(status: str | None) -> TagPresentation:
    """The GOV.UK tag for one RAG status (``None`` or blank: 'Not rated', grey)."""
    if not status:
        return TagPresentation("Not rated", "govuk-tag--grey")
    value = RagStatus(status)
    return TagPresentation(value.label, _TAG_CLASS[value])


def rag_tags(status: str | None, second_status: str | None = None) -> list[TagPresentation]:
    """One tag, or two for a split rating ('Amber/Green')."""
    tags = [rag_tag(status)]
    if status and second_status:
        tags.append(rag_tag(second_status))
    return tags
