"""Partner organisation pages: the list, one organisation, its contacts, and set-up."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from saferboard.core import audit
from saferboard.core.editing import save_or_show
from saferboard.core.forms import OrganisationForm
from saferboard.core.guards import require
from saferboard.core.models import AuditAction, Organisation, Person, User
from saferboard.core.organisation_settings import (
    can_manage_organisations,
    create_organisation,
    update_organisation,
)
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership


def by_slug(organisations: QuerySet[Organisation], slug: str) -> Organisation:
    """The organisation with ``slug`` (404 if none). Slugs are unique within a partnership;
    should an installation hold two, the first partnership's wins rather than a 500."""
    found = organisations.filter(slug=slug).order_by("partnership_id", "pk").first()
    if found is None:
        raise Http404("No such organisation")
    return found


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    """Every partner organisation, current and past."""
    today = timezone.localdate()
    orgs = Organisation.objects.select_related("partnership", "parent").order_by("name")
    return render_page(
        request,
        "core/organisations.html",
        {
            "organisations": orgs,
            "today": today,
            "can_manage": can_manage_organisations(request.user),  # type: ignore[arg-type]
        },
    )


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = by_slug(Organisation.objects.select_related("parent"), slug)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "today": timezone.localdate(),
            # The same rule as the people page itself, so the link never leads to a 404.
            "can_see_people": Organisation.objects.private_to(request.user)  # type: ignore[arg-type]
            .filter(pk=organisation.pk)
            .exists(),
            "can_manage": can_manage_organisations(request.user),  # type: ignore[arg-type]
            "parts": organisation.children.order_by("name"),
            "partnership": organisation.partnership,
        },
    )


@require_GET
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    """Contact details of an organisation's people: its own members and administrators only."""
    user: User = request.user  # type: ignore[assignment]  # signed in (the middleware)
    organisation = by_slug(Organisation.objects.private_to(user), slug)
    people = Person.objects.visible_to(user).filter(organisation=organisation)
    audit.record(
        AuditAction.READ_PERSONAL_DATA,
        request=request,
        obj=organisation,
        what="organisation contact list",
        people=people.count(),
    )
    return render(
        request,
        "core/organisation_people.html",
        {
            "organisation": organisation,
            "people": people.prefetch_related("memberships"),
            "partnership": organisation.partnership,
        },
    )


def no_partnership(request: HttpRequest) -> HttpResponse:
    """What a set-up page says before there is a partnership to set up."""
    return render(
        request,
        "core/needs_setup.html",
        {
            "title": "There is no partnership yet",
            "missing": "Organisations and people belong to a partnership, and none has been "
            "set up on this installation.",
            "command": "saferboard init",
        },
    )


def _organisation_url(organisation: Organisation) -> str:
    return reverse("core:organisation", kwargs={"slug": organisation.slug})


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Add a partner organisation: administrators and coordinators."""
    require(request, can_manage_organisations)
    partnership = current_partnership()
    if partnership is None:
        return no_partnership(request)
    form = OrganisationForm(request.POST or None, partnership=partnership)
    added: list[Organisation] = []

    def save(data: dict[str, Any]) -> str:
        added.append(create_organisation(partnership, data, request=request))
        return f"{added[0].name} added"

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _organisation_url(added[0]),
        refused=(),
        template="core/organisation_form.html",
        context={"form": form, "organisation": None, "partnership": partnership},
        show=render,
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Change a partner organisation, or retire it with an end date: administrators and
    coordinators."""
    require(request, can_manage_organisations)
    organisation = by_slug(Organisation.objects.all(), slug)
    form = OrganisationForm(
        request.POST or None, instance=organisation, partnership=organisation.partnership
    )

    def save(data: dict[str, Any]) -> str:
        update_organisation(organisation, data, request=request)
        return f"{organisation.name} updated"

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _organisation_url(organisation),
        refused=(),
        template="core/organisation_form.html",
        context={
            "form": form,
            "organisation": organisation,
            "partnership": organisation.partnership,
        },
        show=render,
    )
