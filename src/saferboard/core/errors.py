"""Errors that carry the field they belong to, so views map them to form fields by
field, never by matching their text (issue 23)."""

from __future__ import annotations


class FieldError(ValueError):
    """A service's refusal that belongs to one input: ``field`` names it (the service's
    own name for it), ``message`` is what to show beside it (also ``str(error)``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
