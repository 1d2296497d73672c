"""Pseudonymous references: keyed hashes of internal ids, never of names.

A reference is ``PREFIX-`` plus ten base-32 characters of HMAC-SHA256 over the case's
random internal id, keyed with ``settings.PSEUDONYM_KEY``. Without the key (kept apart
from ``SECRET_KEY``) a reference cannot be linked to the internal id, and it can never
be linked to the person, whose identity is not an input. The same helper hashes search
terms for the audit log, so a subject access request can find the searches that named
a person without the log ever holding the name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata

from django.conf import settings

# Crockford-like alphabet without I, L, O, U: easy to read aloud and to type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TRANSLATE = str.maketrans(_B32, _ALPHABET)
REFERENCE_LENGTH = 10

PREFIXES = {"exploitation": "EXP", "iom": "IOM", "asb_risk": "ASB", "marac": "MRC"}


def _digest(purpose: str, value: str, key: str | None = None) -> bytes:
    key_bytes = (key or settings.PSEUDONYM_KEY).encode()
    return hmac.new(key_bytes, f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def case_reference(panel_type: str, internal_id: str, *, key: str | None = None) -> str:
    """The pseudonymous reference for a case (deterministic for one key and id)."""
    code = base64.b32encode(_digest("case", internal_id, key)).decode().translate(_TRANSLATE)
    return f"{PREFIXES.get(panel_type, 'PNL')}-{code[:REFERENCE_LENGTH]}"


def normalise_name(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name, for matching and hashing."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace("-", " ").replace("'", "").split())


def term_fingerprint(term: str, *, key: str | None = None) -> str:
    """A keyed hash of a normalised search term: stored in the audit log instead of it."""
    return _digest("search", normalise_name(term), key).hex()[:32]
