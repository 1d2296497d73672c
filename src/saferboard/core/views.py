"""Core pages: sign-in, home and the audit log (organisations: organisation_views; people:
people_views; password links: account_views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from saferboard.core import audit
from saferboard.core.evidence import download_response
from saferboard.core.forms import AuditFilterForm, SignInForm
from saferboard.core.models import (
    AuditAction,
    AuditEvent,
    EvidenceFile,
    Role,
)
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """Sign-in, with a limit per network address beside axes' limit per account.

    Axes locks a username from an address after ``AXES_FAILURE_LIMIT`` failures; a
    password spray (a few guesses at each of many accounts) never reaches it (issue 18).
    So an address with ``SABO_SIGN_IN_ADDRESS_LIMIT`` failed sign-ins, to any accounts,
    within ``AXES_COOLOFF_TIME`` is refused before any password is checked. The count
    comes from the audit log's failed sign-ins, so it is shared by every server process.
    """

    template_name = "core/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Where to land without a ``next``: a partner's returns, else the home page."""
        return landing_url(self.request.user) or super().get_default_redirect_url()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _address_locked_out(request):
            audit.record(
                AuditAction.SIGN_IN_LOCKED,
                request=request,
                actor_label=str(request.POST.get("username", ""))[:200],
                reason="too many failed sign-ins from this address",
            )
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            return render(request, "core/address_locked_out.html", {"minutes": minutes}, status=429)
        return super().post(request, *args, **kwargs)


def landing_url(user: Any) -> str:
    """Where a user lands after sign-in without a ``next`` ('' for the home page): the
    callable named by ``SABO_LANDING_URL`` decides (core knows no feature app)."""
    path = getattr(settings, "SABO_LANDING_URL", "")
    return str(import_string(path)(user)) if path else ""


def _address_locked_out(request: HttpRequest) -> bool:
    address = request.META.get("REMOTE_ADDR")
    if not address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, at__gte=since, ip_address=address
    ).count()
    return failures >= settings.SABO_SIGN_IN_ADDRESS_LIMIT


class SignOutView(auth_views.LogoutView):
    pass


def administrators_only(request: HttpRequest) -> None:
    if not request.user.is_administrator:  # type: ignore[union-attr]
        raise PermissionDenied


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home page; its content comes from the callable named by ``SABO_HOME_CONTEXT``
    (the strategy at a glance), so core depends on no feature app."""
    partnership = current_partnership()
    path = getattr(settings, "SABO_HOME_CONTEXT", "")
    content = import_string(path)(request, partnership) if path else {}
    return render(request, "core/home.html", {"partnership": partnership, **content})


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    administrators_only(request)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor_label__icontains=form.cleaned_data["actor"])
        if form.cleaned_data["object_type"]:
            events = events.filter(object_type__icontains=form.cleaned_data["object_type"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download an evidence file: its organisation's people, coordinators and administrators."""
    user = request.user
    files = EvidenceFile.objects.all()
    if not (user.is_administrator or user.has_role(Role.COORDINATOR)):  # type: ignore[union-attr]
        files = EvidenceFile.objects.visible_to(user)  # type: ignore[arg-type]
    return download_response(request, get_object_or_404(files, pk=pk))


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render_page(request, "core/accessibility.html", {})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An API client gets the API's JSON error, whatever path it sent (issue 18); the
        # setting names the API's error response, as core knows no feature app.
        error_response = import_string(settings.SABO_API_ERROR_RESPONSE)
        return error_response(request, 404, "not_found", "Not found")  # type: ignore[no-any-return]
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500
    )
