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

Save = Callable[[dict[str, Any]], str]


def show_refusal(form: forms.BaseForm, error: Exception, field: str | None = None) -> None:
    """Put a service's refusal on ``form``.

    A ``ValidationError`` goes on as it is: on ``field`` (or above the form), or, when it
    names fields itself, on those. Any other error goes on the field it names in its
    ``field`` attribute, when the form has a field by that name, otherwise on ``field``
    (or above the form), worded by its ``message`` attribute or else its text.
    """
    if isinstance(error, ValidationError):
        form.add_error(field, error)
        return
    named = getattr(error, "field", None)
    where = named if named and named in form.fields else field
    form.add_error(where, getattr(error, "message", None) or str(error))


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
