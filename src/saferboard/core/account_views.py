"""Pages anyone may reach without signing in: set a password from a one-time link, and
ask for such a link by email when a password is forgotten or a link has expired."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from saferboard.core import audit
from saferboard.core.forms import PasswordLinkRequestForm, SetPasswordForm
from saferboard.core.invitations import (
    RESET_WINDOW,
    address_asked_too_often,
    request_password_link,
)
from saferboard.core.models import AuditAction, User
from saferboard.core.pages import render_page
from saferboard.core.partnerships import current_partnership


# Reachable without signing in: a one-time link sets a password for someone who has
# none yet, and a forgotten password is asked for by email.
@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Set a password from a one-time link (invitation, reset or ``saferboard init``),
    then sign in and go home.

    Django's view checks the token, moves it from the address into the session (so it
    does not leak through the Referer header) and applies the password validators. A
    deactivated account's link does nothing: the person would be signed straight out.
    """

    template_name = "core/set_password.html"
    form_class = SetPasswordForm
    post_reset_login = True
    # Axes' backend cannot sign anyone in by itself; the model backend does.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("core:home")

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(
            AuditAction.SETTINGS_CHANGE,
            actor=form.user,
            request=self.request,
            obj=form.user,
            what="password set with a one-time link",
        )
        messages.success(self.request, "Your password has been set and you are signed in")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["partnership"] = current_partnership()
        context["new_link_url"] = reverse("core:password-reset")
        return context


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a one-time link by email. The answer is the same whether or not the
    address has an account; requests are limited per network address (as sign-ins are)
    and per account (so nobody can fill someone's inbox)."""

    template_name = "core/password_reset.html"
    form_class = PasswordLinkRequestForm  # our own, simpler form
    success_url = reverse_lazy("core:password-reset-sent")

    def form_valid(self, form: PasswordLinkRequestForm) -> HttpResponse:
        if address_asked_too_often(self.request):
            audit.record(
                AuditAction.SIGN_IN_LOCKED,
                request=self.request,
                reason="too many password link requests from this address",
            )
            minutes = int(RESET_WINDOW.total_seconds() // 60)
            return render_page(
                self.request,
                "core/password_reset_limited.html",
                {"minutes": minutes},
                status=429,
            )
        request_password_link(form.cleaned_data["email"], request=self.request)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["partnership"] = current_partnership()
        return context


@login_not_required
@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    """The same answer for every address asked about."""
    return render_page(request, "core/password_reset_sent.html", {})
