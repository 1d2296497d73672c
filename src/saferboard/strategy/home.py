"""What the home page shows and where a user lands after sign-in.

Core renders the home page (``core:home``) and the sign-in page but depends on no
feature app, so it finds these through settings naming them (``SABO_HOME_CONTEXT``,
``SABO_LANDING_URL``); the strategy app, which owns the content, supplies them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse

from saferboard.core.models import Partnership, Role
from saferboard.setup import checklist as setup_checklist
from saferboard.strategy.models import Commitment, Priority, Strategy
from saferboard.strategy.permissions import is_partner_lead


def home_context(request: HttpRequest, partnership: Partnership | None) -> dict[str, Any]:
    """The strategy at a glance; for an administrator of a partnership still being set
    up, the set-up checklist first (with no partnership at all the page says how to
    create one)."""
    set_up = None
    if partnership is not None and request.user.is_administrator:  # type: ignore[union-attr]
        set_up = setup_checklist.checklist(partnership)
        if set_up.complete:
            set_up = None
    strategy = Strategy.objects.filter(partnership=partnership).first() if partnership else None
    priorities = (
        Priority.objects.filter(strategy=strategy).prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(parent__isnull=True).order_by("number"),
            ),
            "lead_organisations",
        )
        if strategy
        else Priority.objects.none()
    )
    return {
        "strategy": strategy,
        "priorities": priorities,
        "checklist": set_up,
        "checklist_rows": setup_checklist.rows(set_up) if set_up else [],
    }


def landing_url(user: Any) -> str:
    """'My returns' for a partner lead (what they come to do), unless they also run the
    partnership (coordinator or administrator); '' for everyone else (today's home)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.is_administrator or user.has_role(Role.COORDINATOR):
        return ""
    return reverse("strategy:my-returns") if is_partner_lead(user) else ""
