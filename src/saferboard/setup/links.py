"""Links to other apps' pages by URL name, that never crash a page.

The settings hub and the checklist link to pages other apps own. A name that does not
resolve (a page not installed) is logged as an error and shown as "not available",
rather than hidden (nobody would notice) or raised (the page would fail).
"""

from __future__ import annotations

import logging

from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)


def href(url_name: str) -> str | None:
    """The path of ``url_name``, or None (logged) when no page has that name."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        logger.error("Set-up link %r does not resolve: the page is not available", url_name)
        return None
