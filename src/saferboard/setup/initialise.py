"""Setting up a new installation's partnership: what ``saferboard init`` does.

Kept apart from the command so that it can be tested and reused without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from saferboard.core import audit
from saferboard.core.models import (
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Person,
    Role,
    User,
)
from saferboard.core.partnerships import DEMO_PARTNERSHIP_NAME
from saferboard.crime.sources import area_source
from saferboard.setup.areas import (
    force_area,
    force_names,
    forces_covering,
    local_authority_area,
    plain_name,
    resolve_local_authority,
)

INIT_ACTOR = "saferboard init"
PARTNERSHIP_FIELDS = ("name", "local_authority", "forces", "crime_source", "financial_year_start")
ORGANISATION_FIELDS = ("name", "type", "is_responsible_authority", "start_date")


class InitRefused(Exception):
    """The database cannot take a new partnership (it has one, or holds the demo)."""


@dataclass
class InitResult:
    """What ``initialise`` made."""

    partnership: Partnership
    administrator: User
    organisations: list[Organisation]
    forces_known: bool
    notes: list[str] = field(default_factory=list)


def refusal() -> str | None:
    """Why this database cannot be initialised, or None when it can."""
    existing = Partnership.objects.order_by("pk").first()
    if existing is None:
        return None
    if (
        existing.name == DEMO_PARTNERSHIP_NAME
        or Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).exists()
    ):
        return (
            "This database holds the demo partnership. Set up a real partnership in a new, "
            "empty database (set DATABASE_URL or SABO_DATA_DIR to another place)."
        )
    return (
        f"This database already holds a partnership ({existing.name}). Saferboard serves one "
        "partnership per installation; change it on the partnership settings page "
        "(/settings/partnership/)."
    )


def parse_month(text: str | int) -> int:
    """A month given as 1-12 or a name (``April``, ``apr``); ValueError otherwise."""
    value = str(text).strip()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    months = [
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    ]  # fmt: skip
    for number, name in enumerate(months, start=1):
        if len(value) >= 3 and name.startswith(value.casefold()):
            return number
    raise ValueError(f"{text!r} is not a month: give 1 to 12 or a month's name (4 or April).")


def check_admin(username: str, email: str) -> None:
    """Refuse an unusable username or email with a ValueError saying why."""
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ValueError(f"The username {username!r} is not valid: {error.messages[0]}") from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValueError(f"The username {username!r} is already taken.")
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{email!r} is not a valid email address.") from None


def initialise(
    *,
    partnership_name: str,
    area: str,
    admin_username: str,
    admin_email: str,
    admin_name: str = "",
    financial_year_start: int = 4,
) -> InitResult:
    """Create the partnership, its local authority and forces, its first organisations
    and its first administrator (who has no password until they use their link).

    Raises :class:`InitRefused` on a database that already holds a partnership,
    :class:`saferboard.setup.areas.UnknownArea` for an area the lookups do not hold and
    ValueError for a bad username, email or month. Nothing is written unless all succeeds.
    """
    reason = refusal()
    if reason:
        raise InitRefused(reason)
    partnership_name = " ".join(partnership_name.split())
    if not partnership_name:
        raise ValueError("The partnership needs a name.")
    if not 1 <= financial_year_start <= 12:
        raise ValueError("The financial year's first month must be 1 to 12.")
    code, ons_name = resolve_local_authority(area)
    la_name = plain_name(ons_name)
    check_admin(admin_username, admin_email)
    # Standard measures and rules first: they are idempotent and shared, not the
    # partnership's own, so they are in place even if the rest is refused below.
    ensure_standard_measures()
    today = timezone.localdate()
    with transaction.atomic():
        authority = local_authority_area(code)
        force_ids = forces_covering(code)
        partnership = Partnership.objects.create(
            name=partnership_name,
            slug=slugify(partnership_name)[:80] or "partnership",
            local_authority=authority,
            crime_source=area_source(code),
            financial_year_start=financial_year_start,
        )
        partnership.forces.set([force_area(f) for f in force_ids])
        _audit_created(partnership, PARTNERSHIP_FIELDS)
        council = _organisation(partnership, f"{la_name} Council", OrganisationType.COUNCIL, today)
        organisations = [council]
        organisations += [
            _organisation(partnership, force_names()[f], OrganisationType.POLICE, today)
            for f in force_ids
        ]
        administrator = _administrator(
            council, admin_username, admin_email, admin_name or admin_username, today
        )
    notes = []
    if not force_ids:
        notes.append(
            f"Saferboard does not know which police force covers {la_name}: set it on the "
            "partnership settings page (/settings/partnership/) and add the force as an "
            "organisation."
        )
    return InitResult(partnership, administrator, organisations, bool(force_ids), notes)


def ensure_standard_measures() -> None:
    """The standard RAG rules, crime measures and youth justice measures."""
    from saferboard.crime.measures import ensure_measures as ensure_crime_measures
    from saferboard.measures.standard import ensure_standard_rules
    from saferboard.youthjustice.observations import ensure_measures as ensure_yj_measures

    ensure_standard_rules()
    ensure_crime_measures()
    ensure_yj_measures()


def _organisation(partnership: Partnership, name: str, kind: str, today: date) -> Organisation:
    organisation = Organisation.objects.create(
        partnership=partnership,
        name=name,
        slug=slugify(name)[:80] or kind,
        type=kind,
        is_responsible_authority=True,  # a council and a police force are both statutory
        start_date=today,
    )
    _audit_created(organisation, ORGANISATION_FIELDS)
    return organisation


def _administrator(
    council: Organisation, username: str, email: str, full_name: str, today: date
) -> User:
    first, _, last = full_name.strip().partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    # No password on the command line: the administrator sets one through the link.
    user.set_unusable_password()
    user.save()
    person = Person.objects.create(
        user=user, full_name=full_name, email=email, organisation=council
    )
    membership = Membership.objects.create(
        person=person, organisation=council, role=Role.ADMINISTRATOR, start_date=today
    )
    _audit_created(person, ("full_name", "email", "organisation"))
    _audit_created(membership, ("person", "organisation", "role", "start_date"))
    return user


def _audit_created(obj: models.Model, fields: tuple[str, ...]) -> None:
    audit.record_change(obj, before=None, after=audit.snapshot(obj, fields), actor_label=INIT_ACTOR)
