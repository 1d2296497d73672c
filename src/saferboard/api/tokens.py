"""Making, checking and revoking API tokens, and what each token may do.

Capabilities are fixed when a token is made, from its owner's roles and its
organisation's type, so a police token can never write youth justice figures even if
the person later gains a role; on every request they are narrowed again to what the
owner's current roles allow, so a token loses a capability the moment its owner loses
the role behind it; a token is refused outright once its owner leaves the
organisation. Panel case data is never available through the API at all; the
published panel aggregates need ``panels:read``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from saferboard.core import audit
from saferboard.core.models import AuditAction, Organisation, OrganisationType, Role, User
from saferboard.measures.models import Measure, SourceKind

TOKEN_PREFIX = "sabo_"  # noqa: S105 - a public marker, not a secret  # nosec B105


class Capability(StrEnum):
    READ_PERFORMANCE = "performance:read"
    READ_PANEL_AGGREGATES = "panels:read"
    WRITE_RETURNS = "returns:write"
    WRITE_CRIME = "crime:write"
    WRITE_YOUTH_JUSTICE = "youth-justice:write"
    WRITE_MEASURES = "measures:write"


class TokenRefused(Exception):
    """A token that cannot be made or used, with the reason in words."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: the raw key, shown once, and its stored record."""

    key: str
    token: object  # ApiToken


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def capabilities_for(user: User, organisation: Organisation, scope: str) -> list[str]:
    """What a token for ``user`` acting for ``organisation`` may do, by name."""
    caps = {Capability.READ_PERFORMANCE}
    admin = user.is_administrator
    if admin or user.has_role(Role.PANEL_MEMBER):
        caps.add(Capability.READ_PANEL_AGGREGATES)
    if scope == "write":
        if admin or user.has_role(Role.PARTNER_LEAD, Role.COORDINATOR):
            caps.add(Capability.WRITE_RETURNS)
        if admin or organisation.type == OrganisationType.POLICE or user.has_role(Role.ANALYST):
            caps.add(Capability.WRITE_CRIME)
        if admin or organisation.type == OrganisationType.YOUTH_JUSTICE:
            caps.add(Capability.WRITE_YOUTH_JUSTICE)
        if admin or user.has_role(Role.ANALYST, Role.COORDINATOR):
            caps.add(Capability.WRITE_MEASURES)
    return sorted(caps)


def allowed_organisations(user: User) -> list[Organisation]:
    """The organisations ``user`` may make tokens for: their own (all for administrators)."""
    return list(Organisation.objects.private_to(user).order_by("name"))


def create_token(
    user: User,
    *,
    organisation: Organisation | None = None,
    scope: str = "read",
    name: str = "",
    created_by: User | None = None,
) -> NewToken:
    """Make a token for ``user``; the raw key is in the result and nowhere else."""
    from saferboard.api.models import ApiToken, Scope

    if scope not in Scope.values:
        raise TokenRefused(f"Scope must be read or write, not {scope!r}")
    if not user.is_active:
        raise TokenRefused(f"{user.get_username()} is not an active account")
    choices = allowed_organisations(user)
    if organisation is None:
        if len(choices) != 1:
            raise TokenRefused(
                f"{user.get_username()} belongs to {len(choices)} organisations: "
                "say which one the token is for"
            )
        organisation = choices[0]
    elif organisation not in choices:
        raise TokenRefused(f"{user.get_username()} does not belong to {organisation.name}")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=(name or f"{scope} token")[:100],
            user=user,
            organisation=organisation,
            scope=scope,
            capabilities=capabilities_for(user, organisation, scope),
            prefix=key[:12],
            key_hash=hash_key(key),
            created_by=created_by,
        )
        audit.record(
            AuditAction.PERMISSION_CHANGE,
            actor=created_by,
            obj=token,
            actor_label="" if created_by else "command line",
            event="api token created",
            user=user.get_username(),
            organisation=organisation.slug,
            scope=scope,
            capabilities=token.capabilities,
        )
    return NewToken(key, token)


def revoke_token(token: object, *, by: User | None = None) -> bool:
    """Revoke a token; ``False`` if it was already revoked."""
    from saferboard.api.models import ApiToken

    if not isinstance(token, ApiToken):
        raise TypeError(f"expected an ApiToken, not {type(token).__name__}")
    if token.revoked_at is not None:
        return False
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            AuditAction.PERMISSION_CHANGE,
            actor=by,
            obj=token,
            actor_label="" if by else "command line",
            event="api token revoked",
            user=token.user.get_username(),
            organisation=token.organisation.slug,
            scope=token.scope,
        )
    return True


def authenticate(key: str) -> object:
    """The live token for ``key``, with its use recorded; raise ``TokenRefused`` if none."""
    from saferboard.api.models import ApiToken

    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        raise TokenRefused("The token is not a Saferboard API token")
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(key_hash=hash_key(key))
        .first()
    )
    if token is None:
        raise TokenRefused("The token is not recognised")
    if token.revoked_at is not None:
        raise TokenRefused("The token has been revoked")
    user = token.user
    if not user.is_active:
        raise TokenRefused("The token's account is not active")
    if not user.is_administrator and token.organisation_id not in user.organisation_ids():
        raise TokenRefused("The token's account no longer belongs to its organisation")
    # What the owner may do today, never more than the token was made with: a role
    # ended since the token was made takes its capabilities with it (issue 18).
    current = set(capabilities_for(user, token.organisation, token.scope))
    token.capabilities = [c for c in token.capabilities if c in current]
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def restricted_to_panels(measure: Measure) -> bool:
    """Panel aggregates (stored by the panels app as 'panel-…' measures)."""
    return measure.slug.startswith("panel-")


def write_problem(token: object, measure: Measure) -> str | None:
    """Why ``token`` may not write observations of ``measure``, or ``None`` if it may."""
    from saferboard.api.models import ApiToken
    from saferboard.returns.models import TemplateMeasure

    if not isinstance(token, ApiToken):
        raise TypeError(f"expected an ApiToken, not {type(token).__name__}")
    if not token.can_write:
        return "This token can only read"
    kind = measure.source_kind
    if restricted_to_panels(measure) or kind == SourceKind.COMPOSITE:
        return "This measure is computed by Saferboard and cannot be written"
    if kind == SourceKind.YOUTH_JUSTICE:
        need = Capability.WRITE_YOUTH_JUSTICE
    elif kind in (SourceKind.POLICE_UK, SourceKind.MPS):
        need = Capability.WRITE_CRIME
    elif kind == SourceKind.PARTNER_RETURN:
        need = Capability.WRITE_RETURNS
        on_template = TemplateMeasure.objects.filter(
            measure=measure, template__organisation=token.organisation, template__active=True
        ).exists()
        if not on_template and not token.user.is_administrator:
            return f"{measure.label} is not on a return template of {token.organisation.name}"
    else:
        need = Capability.WRITE_MEASURES
    if not token.has(need):
        return f"This token may not write {measure.get_source_kind_display()} measures"
    return None
