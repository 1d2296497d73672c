"""factory_boy factories for the core models (en_GB fake data)."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferboard.core.models import (
    Area,
    AreaKind,
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Person,
    User,
)

factory.Faker._DEFAULT_LOCALE = "en_GB"

TEST_PASSWORD = "correct-horse-battery-staple"


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E09{n:06d}")
    name = factory.Faker("city")
    kind = AreaKind.LOCAL_AUTHORITY


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Partnership {n}")
    slug = factory.Sequence(lambda n: f"test-partnership-{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = OrganisationType.COUNCIL
    start_date = date(2015, 4, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(TEST_PASSWORD)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Faker("email")


def make_user(
    *roles: str,
    organisation: Organisation | None = None,
    username: str | None = None,
    superuser: bool = False,
) -> User:
    """A user with a person in ``organisation`` holding each of ``roles`` from 2020."""
    kwargs = {"username": username} if username else {}
    user = UserFactory(is_superuser=superuser, **kwargs)
    organisation = organisation or OrganisationFactory()
    person = PersonFactory(user=user, organisation=organisation, full_name=user.get_full_name())
    for role in roles:
        Membership.objects.create(
            person=person, organisation=organisation, role=role, start_date=date(2020, 1, 1)
        )
    return user
