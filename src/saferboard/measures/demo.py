"""The demo's measures set-up: the standard RAG rules."""

from __future__ import annotations

from saferboard.core.models import Partnership
from saferboard.measures.standard import ensure_standard_rules


def load(partnership: Partnership) -> None:
    ensure_standard_rules()
