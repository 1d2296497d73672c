"""Accounts, people and their date-bounded roles in partner organisations."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from saferboard.core.scoping import OrganisationScopedQuerySet


class User(AbstractUser):
    """A sign-in account. Partnership roles live on the linked :class:`Person`."""

    def active_memberships(self, day: date | None = None) -> models.QuerySet[Membership]:
        day = day or timezone.localdate()
        person: Person | None = getattr(self, "person", None)  # the reverse one-to-one
        if person is None:
            return Membership.objects.none()
        return person.memberships.active_on(day).select_related("organisation")

    def roles(self, day: date | None = None) -> set[str]:
        """The roles held on ``day`` (today by default).

        Remembered on this object: a page asks many times (navigation, permissions), and
        a user object lives for one request. A new membership shows on the next request.
        """
        day = day or timezone.localdate()
        known: dict[date, frozenset[str]] = self.__dict__.setdefault("_roles_on", {})
        if day not in known:
            known[day] = frozenset(self.active_memberships(day).values_list("role", flat=True))
        return set(known[day])

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMINISTRATOR)

    def organisation_ids(self, day: date | None = None) -> set[int]:
        return set(self.active_memberships(day).values_list("organisation_id", flat=True))


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    BOARD_MEMBER = "board_member", "Board member"
    ANALYST = "analyst", "Analyst"
    PANEL_MEMBER = "panel_member", "Panel member"
    ADMINISTRATOR = "administrator", "Administrator"


class Person(models.Model):
    """Someone who takes part in the partnership, with or without an account."""

    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The organisation that employs this person.",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.full_name.split() if part[:1].isalpha()).upper()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class Membership(models.Model):
    """A person's role for an organisation in the partnership, from one date to another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.organisation})"
