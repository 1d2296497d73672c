"""The one flow of a page that saves a form through a service, for the views of every app.

A page that changes something shows its form; on a valid post it calls one service
(which checks, saves and audits the change), then goes back with a message saying what
was done. A service that refuses raises an error worded for the person; the page shows
it on the form, never as an error page. Transactions stay where the services put them:
nothing here opens one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from saferboard.core.form_fields import add_validation_error
from saferboard.core.pages import render_page

Save = Callable[[dict[str, Any]], str]
Show = Callable[[HttpRequest, str, dict[str, Any]], HttpResponse]
"""How a page renders a template with its context: :func:`render_page`, Django's
``render`` (a page that does not name the partnership), or an app's own."""


def show_refusal(form: forms.BaseForm, error: Exception, field: str | None = None) -> None:
    """Put a service's refusal on ``form``.

    A ``ValidationError`` goes on as it is: on ``field`` (or above the form), or, when it
    names fields itself, on those the form has and above the form for the rest
    (:func:`~saferboard.core.form_fields.add_validation_error`). Any other error goes on
    the field it names in its ``field`` attribute, when the form has a field by that
    name, otherwise on ``field`` (or above the form), worded by its ``message`` attribute
    or else its text.
    """
    if isinstance(error, ValidationError):
        if field is None:
            add_validation_error(form, error)
        else:
            form.add_error(field, error)
        return
    named = getattr(error, "field", None)
    where = named if named and named in form.fields else field
    form.add_error(where, getattr(error, "message", None) or str(error))


def changes_message(changed: bool) -> str:
    """The success message of an edit through a service that says whether it changed
    anything (the settings pages of every app word it the same)."""
    return "Changes saved" if changed else "Nothing was changed"


def save_posted(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Save,
    *,
    then: str | Callable[[], str],
    refused: type[Exception] | tuple[type[Exception], ...] = ValidationError,
    field: str | None = None,
    allowed: bool = True,
) -> HttpResponse | None:
    """On a valid post (and when ``allowed``), ``save`` the form's cleaned data and
    redirect to ``then`` (an address, or a function giving it once saved) with the
    success message ``save`` returns. A ``refused`` error from ``save`` is shown on the
    form (:func:`show_refusal`, on ``field`` unless it names its own).

    Returns None when the page should show the form: not a post, not valid, or refused.
    """
    if request.method != "POST" or not allowed or not form.is_valid():
        return None
    try:
        message = save(form.cleaned_data)
    except refused as error:
        show_refusal(form, error, field)
        return None
    messages.success(request, message)
    return redirect(then() if callable(then) else then)


def save_or_show(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Save,
    *,
    then: str | Callable[[], str],
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    show: Show = render_page,
    refused: type[Exception] | tuple[type[Exception], ...] = ValidationError,
    field: str | None = None,
    allowed: bool = True,
) -> HttpResponse:
    """The whole answer of a page that saves one form: :func:`save_posted` (with
    ``then``, ``refused``, ``field`` and ``allowed`` as there), or else ``template``
    shown by ``show`` with ``context``: a dict, or a function giving it, called only
    when the form is shown (after a refusal, so it reads what is stored then), for a
    context that costs queries.
    """
    saved = save_posted(
        request, form, save, then=then, refused=refused, field=field, allowed=allowed
    )
    if saved is not None:
        return saved
    return show(request, template, context() if callable(context) else context)
