"""Pseudonymous identifiers for children: a keyed hash, so the raw id is never stored.

HMAC-SHA256 with ``settings.PSEUDONYM_KEY``: the same child gets the same pseudonym in
every import (so records link up), but without the key nobody can go from a pseudonym
back to the case management system's id, nor test a guessed id against it.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

PURPOSE = b"saferboard/youthjustice/child/v1\x00"


def pseudonym_with(key: bytes, raw_id: str) -> str:
    """The pseudonym of ``raw_id`` under ``key`` (64 hexadecimal characters)."""
    return hmac.new(key, PURPOSE + raw_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def child_pseudonym(raw_id: str) -> str:
    """The pseudonym of a case management system's child id under the configured key."""
    return pseudonym_with(settings.PSEUDONYM_KEY.encode("utf-8"), raw_id)
