"""Settings pages for data-return templates: list, create, edit, fields, reorder, retire.

Administrators and coordinators only (others 403). Thin: the forms collect, the
:mod:`saferboard.returns.setup` service checks, changes and audits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core.editing import changes_message, save_or_show
from saferboard.core.models import User
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.core.settings_pages import (
    ORGANISATION_PAGES,
    PARTNERSHIP_PAGES,
    first_link,
    may_change_settings,
    organisation_choices,
    settings_user,
)
from saferboard.returns import setup
from saferboard.returns.models import ReturnTemplate, TemplateMeasure
from saferboard.returns.setup_forms import (
    AddFieldForm,
    FieldChecksForm,
    TemplateForm,
    area_choices,
)

may_set_up_returns = may_change_settings
"""Administrators and the partnership's coordinators set up return templates."""


def _allowed(request: HttpRequest) -> User:
    return settings_user(request, "Only administrators and coordinators set up data returns")


def _missing(partnership: Any) -> list[tuple[str, str]]:
    """What must be set up before a template can be made, with where to set it up."""
    missing = []
    if partnership is None or partnership.local_authority_id is None:
        missing.append(("the partnership and its local authority", first_link(PARTNERSHIP_PAGES)))
    if not organisation_choices(partnership).exists():
        missing.append(
            (
                "an organisation to make the return",
                first_link(ORGANISATION_PAGES),
            )
        )
    return missing


def _edit_url(template: ReturnTemplate) -> str:
    return reverse("returns:template-edit", kwargs={"slug": template.slug})


def _by(request: HttpRequest) -> setup.Actor:
    return setup.Actor(user=request.user, request=request)  # type: ignore[arg-type]


@require_GET
def template_settings(request: HttpRequest) -> HttpResponse:
    """Every template, live and retired, with links to add and change them."""
    _allowed(request)
    templates = ReturnTemplate.objects.select_related("organisation", "area").order_by(
        "-active", "organisation__name", "name"
    )
    return render_page(
        request,
        "returns/settings/index.html",
        {"templates": templates, "missing": _missing(current_partnership())},
    )


@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    partnership = current_partnership()
    missing = _missing(partnership)
    form = TemplateForm(request.POST or None, partnership=partnership)
    made: list[ReturnTemplate] = []

    def save(data: dict[str, Any]) -> str:
        made.append(setup.create_template(form.details(), by=_by(request)))
        return f"{made[0].name} created: now add its fields"

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(made[0]),
        allowed=not missing,
        template="returns/settings/template_form.html",
        context={"form": form, "missing": missing, "title": "Add a data-return template"},
    )


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate.objects.select_related("organisation"), slug=slug)
    partnership = current_partnership()
    form = TemplateForm(
        request.POST or None, partnership=partnership, initial=TemplateForm.initial_for(template)
    )
    # The template's own organisation and area stay choosable even if since retired.
    form.fields["organisation"].queryset = (  # type: ignore[attr-defined]
        organisation_choices(partnership)
        | type(template.organisation).objects.filter(pk=template.organisation_id)
    ).distinct()
    form.fields["area"].queryset = (  # type: ignore[attr-defined]
        area_choices(partnership) | type(template.area).objects.filter(pk=template.area_id)
    ).distinct()

    def save(data: dict[str, Any]) -> str:
        return changes_message(setup.update_template(template, form.details(), by=_by(request)))

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(template),
        template="returns/settings/template_edit.html",
        context=lambda: {
            "form": form,
            "template": template,
            "items": [
                (item, setup.describe_checks(item))
                for item in template.items.select_related("measure").order_by("position", "pk")
            ],
            "submissions": template.submissions.count(),
        },
    )


@require_POST
def template_retire(request: HttpRequest, slug: str) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate, slug=slug)
    if request.POST.get("reinstate"):
        if not template.active:
            setup.reinstate_template(template, by=_by(request))
            messages.success(request, f"{template.name} is asked for again")
    elif template.active:
        setup.retire_template(template, by=_by(request))
        messages.success(
            request,
            f"{template.name} retired: no more returns are asked for; accepted ones are kept",
        )
    return redirect("returns:template-edit", slug=template.slug)


@require_http_methods(["GET", "POST"])
def field_add(request: HttpRequest, slug: str) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate, slug=slug)
    form = AddFieldForm(request.POST or None, template=template)

    def save(data: dict[str, Any]) -> str:
        with transaction.atomic():
            measure = data["measure"] or setup.create_return_measure(
                data["new_label"],
                unit=data["new_unit"],
                description=data.get("new_description", ""),
                by=_by(request),
            )
            item = setup.add_field(template, measure, form.checks(), by=_by(request))
        return f"{item.measure.label} added to {template.name}"

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(template),
        template="returns/settings/field_form.html",
        context={"form": form, "template": template, "title": "Add a field", "adding": True},
    )


def _item(template: ReturnTemplate, pk: int) -> TemplateMeasure:
    return get_object_or_404(template.items.select_related("measure"), pk=pk)


@require_http_methods(["GET", "POST"])
def field_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate, slug=slug)
    item = _item(template, pk)
    form = FieldChecksForm(request.POST or None, initial=FieldChecksForm.initial_for(item))

    def save(data: dict[str, Any]) -> str:
        return changes_message(setup.update_field(item, form.checks(), by=_by(request)))

    return save_or_show(
        request,
        form,
        save,
        then=lambda: _edit_url(template),
        template="returns/settings/field_form.html",
        context=lambda: {
            "form": form,
            "template": template,
            "item": item,
            "title": item.measure.label,
        },
    )


@require_POST
def field_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate, slug=slug)
    item = _item(template, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    setup.move_field(item, offset, by=_by(request))
    return redirect(reverse("returns:template-edit", args=[template.slug]) + "#fields")


@require_POST
def field_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _allowed(request)
    template = get_object_or_404(ReturnTemplate, slug=slug)
    item = _item(template, pk)
    setup.remove_field(item, by=_by(request))
    messages.success(
        request,
        f"{item.measure.label} taken off {template.name}; values already returned are kept",
    )
    return redirect("returns:template-edit", slug=template.slug)
