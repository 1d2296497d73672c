"""The page where people make and revoke their own API tokens.

/api/ is not covered by the sign-in middleware (the API checks tokens itself), so
these views require a signed-in session explicitly.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods, require_POST

from saferboard.api.models import ApiToken, Scope
from saferboard.api.tokens import TokenRefused, allowed_organisations, create_token, revoke_token
from saferboard.core.pages import render_page


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is the token for?",
        error_messages={"required": "Enter what the token is for"},
    )
    organisation = forms.ChoiceField(label="Organisation")
    scope = forms.ChoiceField(
        choices=Scope.choices,
        label="What may it do?",
        initial=Scope.READ,
        error_messages={"required": "Choose whether the token may only read, or also write"},
    )

    def __init__(self, organisations: list, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = str(organisations[0].pk)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    organisations = allowed_organisations(request.user)  # type: ignore[arg-type]
    new_key = None
    if request.method == "POST":
        form = TokenForm(organisations, request.POST)
        if form.is_valid():
            try:
                made = create_token(
                    request.user,  # type: ignore[arg-type]
                    organisation=form.organisations[form.cleaned_data["organisation"]],
                    scope=form.cleaned_data["scope"],
                    name=form.cleaned_data["name"],
                    created_by=request.user,  # type: ignore[arg-type]
                )
            except TokenRefused as refused:
                form.add_error(None, str(refused))
            else:
                new_key = made.key
                form = TokenForm(organisations)
    else:
        form = TokenForm(organisations)
    mine = ApiToken.objects.filter(user=request.user).select_related("organisation")
    response = render_page(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": mine,
            "new_key": new_key,
            "organisations": organisations,
        },
    )
    if new_key:
        # The page holds a secret: never cache it.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if revoke_token(token, by=request.user):  # type: ignore[arg-type]
        messages.success(request, f"Token ‘{token.name}’ revoked")
    return redirect("api:tokens")
