"""{% govuk_error_at %}: the error summary for one message of a page's own (issue 23: the
crime dashboard and the workbook preview each wrote it out)."""

from __future__ import annotations

import re

from django.template import engines

# The markup both pages wrote by hand before the tag, for "#area".
HAND_WRITTEN = """
<div class="govuk-error-summary" data-module="govuk-error-summary">
  <div role="alert">
    <h2 class="govuk-error-summary__title">There is a problem</h2>
    <div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">
    <li><a href="#area">Choose an area &amp; a source</a></li></ul></div>
  </div>
</div>
"""


def _squeeze(html: str) -> str:
    """The markup with white space between tags taken out and the rest folded."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _render(text: str) -> str:
    django = engines["django"]
    return django.from_string('{% govuk_error_at text "#area" %}').render({"text": text})


def test_a_message_renders_as_the_hand_written_summary_did() -> None:
    assert _squeeze(_render("Choose an area & a source")) == _squeeze(HAND_WRITTEN)


def test_no_message_renders_nothing() -> None:
    assert _render("").strip() == ""
