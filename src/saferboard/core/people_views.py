"""People pages: the list, adding and changing people, their roles, invitations and
deactivation. Administrators and coordinators only (see people_settings for who may
change whom)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core import audit, invitations, people_settings
from saferboard.core.editing import save_or_show
from saferboard.core.forms import PersonForm, RoleForm
from saferboard.core.models import AuditAction, Membership, Organisation, Person, User
from saferboard.core.organisation_views import no_partnership
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.core.people_settings import Refused


def _actor(request: HttpRequest) -> User:
    """The signed-in user, if they may manage people at all (else 403)."""
    user: User = request.user  # type: ignore[assignment]
    if not people_settings.can_manage_people(user):
        raise PermissionDenied
    return user


def _refused(request: HttpRequest, person: Person, reason: str) -> HttpResponse:
    return render_page(
        request,
        "core/person_refused.html",
        {"person": person, "reason": reason},
        status=403,
    )


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Everyone in the partnership with their current roles and whether they can sign in."""
    _actor(request)
    today = timezone.localdate()
    everyone = Person.objects.select_related("organisation", "user")
    memberships = Membership.objects.active_on(today).select_related("organisation")
    audit.record(
        AuditAction.READ_PERSONAL_DATA, request=request, what="people list", people=everyone.count()
    )
    return render_page(
        request,
        "core/people.html",
        {
            "people": everyone.prefetch_related(Prefetch("memberships", queryset=memberships)),
            "can_add": Organisation.objects.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Add a person. They get an account when invited."""
    _actor(request)
    if current_partnership() is None:
        return no_partnership(request)
    if not Organisation.objects.active_on(timezone.localdate()).exists():
        return render(
            request,
            "core/needs_setup.html",
            {
                "title": "Add an organisation first",
                "missing": "Everyone works for a partner organisation, and there are none yet.",
                "link_url": reverse("core:organisation-create"),
                "link_text": "Add an organisation",
            },
        )
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = people_settings.create_person(form.cleaned_data, request=request)
        messages.success(request, f"{person.full_name} added. Give them roles, then invite them.")
        return redirect("core:person-edit", pk=person.pk)
    return render_page(
        request,
        "core/person_form.html",
        {"form": form, "person": None},
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's page: details, roles past and present, and their account."""
    actor = _actor(request)
    person = get_object_or_404(Person.objects.select_related("user", "organisation"), pk=pk)
    may_manage = people_settings.may_manage(actor, person)
    form = PersonForm(
        request.POST or None,
        instance=person,
        lock_email=not people_settings.may_change_email(actor, person),
    )
    if request.method == "POST":
        if not may_manage:
            return _refused(request, person, "Only an administrator can change this person.")
        if form.is_valid():
            people_settings.update_person(person, form.cleaned_data, request=request)
            messages.success(request, f"{person.full_name}'s details saved")
            return redirect("core:person-edit", pk=person.pk)
    else:
        audit.record(AuditAction.READ_PERSONAL_DATA, request=request, obj=person, what="person")
    today = timezone.localdate()
    memberships = person.memberships.select_related("organisation").order_by("-start_date", "role")
    current = [m for m in memberships if m.end_date is None or m.end_date >= today]
    grantable = {value for value, _ in people_settings.grantable_roles(actor)}
    return render_page(
        request,
        "core/person_form.html",
        {
            "form": form,
            "person": person,
            "current_roles": current,
            "past_roles": [m for m in memberships if m not in current],
            "may_manage": may_manage,
            "is_self": people_settings.is_self(actor, person),
            "grantable": grantable,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def person_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a person a role for an organisation."""
    actor = _actor(request)
    person = get_object_or_404(Person, pk=pk)
    if people_settings.is_self(actor, person):
        return _refused(
            request, person, "You cannot change your own roles. Another administrator must."
        )
    if not people_settings.may_manage(actor, person):
        return _refused(request, person, "Only an administrator can change this person's roles.")
    form = RoleForm(request.POST or None, roles=people_settings.grantable_roles(actor))

    def save(data: dict[str, Any]) -> str:
        membership = people_settings.add_role(
            person,
            organisation=data["organisation"],
            role=data["role"],
            start_date=data["start_date"],
            request=request,
        )
        return (
            f"{person.full_name} is now {membership.get_role_display().lower()} "
            f"for {membership.organisation}"
        )

    return save_or_show(
        request,
        form,
        save,
        then=reverse("core:person-edit", args=[person.pk]),
        refused=Refused,
        template="core/person_role_form.html",
        context={"form": form, "person": person},
    )


@require_POST
def person_role_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """End one of a person's roles (history kept)."""
    _actor(request)
    person = get_object_or_404(Person, pk=pk)
    membership = get_object_or_404(Membership, pk=membership_pk, person=person)
    try:
        people_settings.end_role(membership, request=request)
    except Refused as refusal:
        return _refused(request, person, str(refusal))
    messages.success(
        request, f"Role ended: {membership.get_role_display()} ({membership.organisation})"
    )
    return redirect("core:person-edit", pk=person.pk)


@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Email a person a one-time link to set their password, making their account if
    they have none. Sending again sends a new link."""
    actor = _actor(request)
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    if not people_settings.may_manage(actor, person):
        return _refused(request, person, "Only an administrator can invite this person.")
    try:
        user = invitations.invite(person, request=request)
    except ValueError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request,
            f"Invitation sent to {person.email}. The link works once and for 24 hours. "
            f"Their username is {user.get_username()}.",
        )
    return redirect("core:person-edit", pk=person.pk)


@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a person signing in and end their current roles (history kept)."""
    _actor(request)
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    try:
        people_settings.deactivate(person, request=request)
    except Refused as refusal:
        return _refused(request, person, str(refusal))
    messages.success(request, f"{person.full_name} deactivated: their roles have ended")
    return redirect("core:person-edit", pk=person.pk)


@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Let a deactivated person sign in again (their roles are not restored)."""
    _actor(request)
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    try:
        people_settings.reactivate(person, request=request)
    except Refused as refusal:
        return _refused(request, person, str(refusal))
    messages.success(
        request, f"{person.full_name} can sign in again. Give them the roles they need."
    )
    return redirect("core:person-edit", pk=person.pk)
