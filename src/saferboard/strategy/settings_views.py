"""Strategy settings pages: the strategy, its priorities, commitments, sub-commitments
and on-track lines. Administrators and coordinators only; the work is in
:mod:`saferboard.strategy.setup`, these views only read forms and show pages."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saferboard.core.editing import save_or_show
from saferboard.core.models import Organisation, User
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership
from saferboard.strategy import setup
from saferboard.strategy.models import Commitment, Priority, Strategy, SuccessIndicator
from saferboard.strategy.permissions import is_coordinator
from saferboard.strategy.settings_forms import (
    CommitmentForm,
    IndicatorForm,
    PriorityForm,
    RetireForm,
    StrategyForm,
)

# Every page here saves through a strategy set-up service: a refusal goes on the field it names
# (or above the form).
_save = partial(save_or_show, refused=setup.SetupRefused)


def can_set_up_strategy(user: User) -> bool:
    """Administrators and coordinators set the strategy up."""
    return user.is_authenticated and (user.is_administrator or is_coordinator(user))


def _require(request: HttpRequest) -> setup.Who:
    if not can_set_up_strategy(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    return setup.Who(request=request)


def _strategy() -> Strategy | None:
    partnership = current_partnership()
    return Strategy.objects.filter(partnership=partnership).first() if partnership else None


def _missing(request: HttpRequest, title: str, missing: str, url: str, text: str) -> HttpResponse:
    return render(
        request,
        "core/needs_setup.html",
        {"title": title, "missing": missing, "link_url": url, "link_text": text},
    )


def _no_partnership(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/needs_setup.html",
        {
            "title": "Create the partnership first",
            "missing": "There is no partnership yet, so there is no strategy to set up.",
            "command": "saferboard init",
        },
    )


def _no_strategy(request: HttpRequest) -> HttpResponse:
    return _missing(
        request,
        "Set up the strategy first",
        "Priorities and commitments belong to the partnership's strategy, and there is none yet.",
        reverse("strategy:settings-strategy"),
        "Set up the strategy",
    )


# Overview and the strategy --------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _require(request)
    if current_partnership() is None:
        return _no_partnership(request)
    strategy = _strategy()
    children = Commitment.objects.order_by("number").prefetch_related("contributors")
    commitments = (
        Commitment.objects.filter(parent__isnull=True)
        .order_by("number")
        .select_related("lead_organisation")
        .prefetch_related(
            "contributors", Prefetch("children", queryset=children), "indicators__measure"
        )
    )
    priorities = (
        strategy.priorities.order_by("number").prefetch_related(
            "lead_organisations",
            "sub_priorities",
            Prefetch("commitments", queryset=commitments),
        )
        if strategy
        else []
    )
    return render_page(
        request,
        "strategy/settings/overview.html",
        {
            "strategy": strategy,
            "priorities": priorities,
            "has_organisations": Organisation.objects.filter(
                partnership=current_partnership()
            ).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest) -> HttpResponse:
    who = _require(request)
    partnership = current_partnership()
    if partnership is None:
        return _no_partnership(request)
    strategy = _strategy()
    initial = (
        {
            "title": strategy.title,
            "start_date": strategy.start_date.strftime("%d/%m/%Y"),
            "end_date": strategy.end_date.strftime("%d/%m/%Y"),
            "improvements_accepted_by": strategy.improvements_accepted_by,
        }
        if strategy
        else None
    )
    form = StrategyForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str:
        saved = setup.save_strategy(
            partnership,
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            improvements_accepted_by=data["improvements_accepted_by"],
            strategy=strategy,
            who=who,
        )
        return f"{saved.title} has been saved"

    return _save(
        request,
        form,
        save,
        then=reverse("strategy:settings"),
        template="strategy/settings/strategy_form.html",
        context={"form": form, "strategy": strategy},
    )


# Priorities ----------------------------------------------------------------------------------


def _priority_initial(priority: Priority) -> dict[str, Any]:
    return {
        "number": priority.number,
        "title": priority.title,
        "ambition": priority.ambition,
        "aim": priority.aim,
        "tackle": "\n".join(s.title for s in priority.sub_priorities.all()),
        "leads": [o.pk for o in priority.lead_organisations.all()],
        "substantive_quarter": priority.substantive_quarter or "",
    }


@require_http_methods(["GET", "POST"])
def priority_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    who = _require(request)
    strategy = _strategy()
    if strategy is None:
        return _no_strategy(request) if current_partnership() else _no_partnership(request)
    priority = get_object_or_404(strategy.priorities, pk=pk) if pk else None
    form = PriorityForm(
        request.POST or None,
        partnership=strategy.partnership,
        initial=_priority_initial(priority)
        if priority
        else {"number": setup.next_priority_number(strategy)},
    )
    saved: list[Priority] = []

    def save(data: dict[str, Any]) -> str:
        changes = setup.PriorityChanges(
            title=data["title"],
            number=data["number"],
            ambition=data["ambition"],
            aim=data["aim"],
            substantive_quarter=data["substantive_quarter"],
            leads=list(data["leads"]),
            tackle=form.tackle_lines,
        )
        saved.append(setup.save_priority(strategy, changes, priority=priority, who=who))
        return f"Priority {saved[0].number}: {saved[0].title} has been saved"

    return _save(
        request,
        form,
        save,
        then=lambda: f"{reverse('strategy:settings')}#priority-{saved[0].pk}",
        template="strategy/settings/priority_form.html",
        context={"form": form, "priority": priority},
    )


@require_POST
def priority_move(request: HttpRequest, pk: int) -> HttpResponse:
    who = _require(request)
    priority = get_object_or_404(Priority, pk=pk)
    setup.move_priority(priority, up=request.POST.get("direction") == "up", who=who)
    messages.success(request, "The priorities have been renumbered")
    return redirect(f"{reverse('strategy:settings')}#priority-{priority.pk}")


@require_http_methods(["GET", "POST"])
def priority_retire(request: HttpRequest, pk: int) -> HttpResponse:
    who = _require(request)
    priority = get_object_or_404(Priority, pk=pk)
    if request.method == "POST" and request.POST.get("reinstate"):
        setup.reinstate_priority(priority, who=who)
        messages.success(request, f"Priority {priority.number} is part of the strategy again")
        return redirect("strategy:settings")
    form = RetireForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        setup.retire_priority(priority, on=data["retired_on"], who=who)
        return (
            f"Priority {priority.number} is retired: it drops out of new rounds, its history stays"
        )

    return save_or_show(
        request,
        form,
        save,
        then=reverse("strategy:settings"),
        refused=(),
        template="strategy/settings/retire.html",
        context={
            "form": form,
            "thing": f"priority {priority.number}: {priority.title}",
            "back": reverse("strategy:settings"),
        },
    )


# Commitments and sub-commitments ----------------------------------------------------------------


def _commitment_initial(commitment: Commitment) -> dict[str, Any]:
    return {
        "number": commitment.number,
        "title": commitment.title,
        "lead_organisation": commitment.lead_organisation_id,
        "contributors": [o.pk for o in commitment.contributors.all()],
    }


@require_http_methods(["GET", "POST"])
def commitment_form(
    request: HttpRequest, priority_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    """Add a commitment to a priority (a sub-commitment with ?parent=<id>), or change one."""
    who = _require(request)
    commitment = (
        get_object_or_404(Commitment.objects.select_related("priority", "parent"), pk=pk)
        if pk
        else None
    )
    priority = commitment.priority if commitment else get_object_or_404(Priority, pk=priority_pk)
    parent = commitment.parent if commitment else None
    if commitment is None and request.GET.get("parent", "").isdigit():
        parent = get_object_or_404(
            priority.commitments.filter(parent__isnull=True), pk=int(request.GET["parent"])
        )
    partnership = priority.strategy.partnership
    if not Organisation.objects.filter(partnership=partnership).exists():
        return _missing(
            request,
            "Add the partner organisations first",
            "A commitment names the organisations that lead and contribute to it, and there "
            "are none yet.",
            reverse("core:organisation-create"),
            "Add an organisation",
        )
    if commitment:
        initial = _commitment_initial(commitment)
    else:
        initial = {"number": setup.next_commitment_number(priority, parent)}
        if parent is not None:
            # A sub-commitment starts with its commitment's partners, as the report expects.
            initial["contributors"] = [o.pk for o in parent.contributors.all()]
            initial["lead_organisation"] = parent.lead_organisation_id
    form = CommitmentForm(request.POST or None, partnership=partnership, initial=initial)
    saved: list[Commitment] = []

    def save(data: dict[str, Any]) -> str:
        changes = setup.CommitmentChanges(
            title=data["title"],
            number=data["number"],
            lead_organisation=data["lead_organisation"],
            contributors=list(data["contributors"]),
        )
        saved.append(
            setup.save_commitment(priority, changes, parent=parent, commitment=commitment, who=who)
        )
        return f"Commitment {saved[0].display_number} has been saved"

    return _save(
        request,
        form,
        save,
        then=lambda: reverse(
            "strategy:settings-commitment", args=[(saved[0].parent or saved[0]).pk]
        ),
        template="strategy/settings/commitment_form.html",
        context=lambda: {
            "form": form,
            "priority": priority,
            "parent": parent,
            "number_hint": (
                f"Numbered under its commitment: 1 here is {parent.display_number}.1"
                if parent
                else f"Numbered within the priority: 1 here is {priority.number}.1"
            ),
            "commitment": commitment,
            "children": commitment.children.order_by("number") if commitment else [],
            "indicators": commitment.indicators.select_related("measure") if commitment else [],
        },
    )


@require_POST
def commitment_move(request: HttpRequest, pk: int) -> HttpResponse:
    who = _require(request)
    commitment = get_object_or_404(Commitment.objects.select_related("priority", "parent"), pk=pk)
    moved = setup.move_commitment(commitment, up=request.POST.get("direction") == "up", who=who)
    messages.success(request, f"Now numbered {moved.display_number}")
    if moved.parent is not None:
        return redirect("strategy:settings-commitment", pk=moved.parent.pk)
    return redirect(f"{reverse('strategy:settings')}#priority-{moved.priority_id}")


@require_http_methods(["GET", "POST"])
def commitment_retire(request: HttpRequest, pk: int) -> HttpResponse:
    who = _require(request)
    commitment = get_object_or_404(Commitment.objects.select_related("priority"), pk=pk)
    back = reverse("strategy:settings-commitment", args=[(commitment.parent or commitment).pk])
    if request.method == "POST" and request.POST.get("reinstate"):
        setup.reinstate_commitment(commitment, who=who)
        messages.success(request, f"Commitment {commitment.display_number} is back in use")
        return redirect(back)
    form = RetireForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        setup.retire_commitment(commitment, on=data["retired_on"], who=who)
        return (
            f"Commitment {commitment.display_number} is retired: it drops out of new rounds, "
            "its updates and ratings stay"
        )

    return save_or_show(
        request,
        form,
        save,
        then=back,
        refused=(),
        template="strategy/settings/retire.html",
        context={
            "form": form,
            "thing": f"commitment {commitment.display_number}: {commitment.title}",
            "back": back,
        },
    )


# On-track lines ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def indicator_form(
    request: HttpRequest, commitment_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    who = _require(request)
    indicator = (
        get_object_or_404(SuccessIndicator.objects.select_related("commitment"), pk=pk)
        if pk
        else None
    )
    commitment = (
        indicator.commitment if indicator else get_object_or_404(Commitment, pk=commitment_pk)
    )
    back = reverse("strategy:settings-commitment", args=[(commitment.parent or commitment).pk])
    if request.method == "POST" and indicator and request.POST.get("retire"):
        setup.retire_indicator(indicator, who=who)
        messages.success(request, "The line has been retired")
        return redirect(back)
    form = IndicatorForm(
        request.POST or None,
        initial={"text": indicator.text, "measure": indicator.measure_id} if indicator else None,
    )
    if request.method == "POST" and form.is_valid():
        setup.save_indicator(
            commitment,
            text=form.cleaned_data["text"],
            measure=form.cleaned_data["measure"],
            indicator=indicator,
            who=who,
        )
        messages.success(request, "The on-track line has been saved")
        return redirect(back)
    return render_page(
        request,
        "strategy/settings/indicator_form.html",
        {"form": form, "commitment": commitment, "indicator": indicator, "back": back},
    )
