"""save_posted / show_refusal / save_or_show: the one "save a form through a service"
flow of the views."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from saferboard.core.editing import save_or_show, save_posted, show_refusal
from saferboard.core.errors import FieldError


class _Named(forms.Form):
    name = forms.CharField(max_length=10)
    note = forms.CharField(required=False)


class _Refused(ValueError):
    """A service refusal with no field of its own."""


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _texts(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_valid_post_saves_and_redirects_with_the_message() -> None:
    request = _request("POST", {"name": "Ann"})
    seen: list[dict[str, Any]] = []

    def save(data: dict[str, Any]) -> str:
        seen.append(data)
        return f"{data['name']} saved"

    response = save_posted(request, _Named(request.POST), save, then="/done/")
    assert response is not None
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert seen == [{"name": "Ann", "note": ""}]
    assert _texts(request) == ["Ann saved"]


def test_the_address_may_be_worked_out_after_saving() -> None:
    request = _request("POST", {"name": "Ann"})
    made: list[str] = []

    def save(data: dict[str, Any]) -> str:
        made.append("/made/7/")
        return "made"

    response = save_posted(request, _Named(request.POST), save, then=lambda: made[0])
    assert response is not None and response["Location"] == "/made/7/"


@pytest.mark.parametrize(
    ("method", "data", "allowed"),
    [("GET", None, True), ("POST", {"name": ""}, True), ("POST", {"name": "Ann"}, False)],
)
def test_nothing_is_saved_unless_a_valid_allowed_post(
    method: str, data: dict[str, str] | None, allowed: bool
) -> None:
    request = _request(method, data)

    def save(data: dict[str, Any]) -> str:
        raise AssertionError("not to be called")

    form = _Named(request.POST if method == "POST" else None)
    assert save_posted(request, form, save, then="/done/", allowed=allowed) is None
    assert _texts(request) == []


def test_a_refusal_is_shown_on_the_form_and_nothing_is_said() -> None:
    request = _request("POST", {"name": "Ann"})

    def save(data: dict[str, Any]) -> str:
        raise _Refused("The meeting is locked")

    form = _Named(request.POST)
    assert save_posted(request, form, save, then="/done/", refused=_Refused) is None
    assert form.errors == {"__all__": ["The meeting is locked"]}
    assert _texts(request) == []


def test_an_error_not_named_as_a_refusal_is_not_caught() -> None:
    request = _request("POST", {"name": "Ann"})

    def save(data: dict[str, Any]) -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        save_posted(request, _Named(request.POST), save, then="/done/", refused=_Refused)


def test_show_refusal_puts_an_error_on_the_field_it_names_when_the_form_has_it() -> None:
    form = _Named({"name": "Ann"})
    form.is_valid()
    show_refusal(form, FieldError("note", "Too late for a note"))
    show_refusal(form, FieldError("elsewhere", "Not on this form"), "name")
    assert form.errors == {"note": ["Too late for a note"], "name": ["Not on this form"]}


def test_show_refusal_keeps_a_validation_error_as_it_is() -> None:
    form = _Named({"name": "Ann", "note": "x"})
    form.is_valid()
    show_refusal(form, ValidationError("Whole form"))
    show_refusal(form, ValidationError({"note": "Note refused"}))
    assert form.errors == {"__all__": ["Whole form"], "note": ["Note refused"]}


# save_or_show: a page's whole answer, saving its form or showing it ------------------


class _Shown:
    """A stand-in renderer that records what it was asked to show."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(
        self, request: HttpRequest, template: str, context: dict[str, Any]
    ) -> HttpResponse:
        self.calls.append((template, context))
        return HttpResponse("shown")


def test_a_valid_post_saves_redirects_and_never_builds_the_context() -> None:
    request = _request("POST", {"name": "Ann"})
    shown = _Shown()
    built: list[bool] = []

    def context() -> dict[str, Any]:
        built.append(True)
        return {}

    response = save_or_show(
        request,
        _Named(request.POST),
        lambda data: f"{data['name']} saved",
        then="/done/",
        template="page.html",
        context=context,
        show=shown,
    )
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert [str(m) for m in get_messages(request)] == ["Ann saved"]
    assert shown.calls == [] and built == []


def test_a_get_shows_the_template_with_the_context() -> None:
    request = _request("GET")
    shown = _Shown()
    form = _Named()
    response = save_or_show(
        request,
        form,
        lambda data: "never",
        then="/done/",
        template="page.html",
        context={"form": form},
        show=shown,
    )
    assert response.content == b"shown"
    assert shown.calls == [("page.html", {"form": form})]


def test_a_refusal_is_shown_on_the_form_with_the_context_built_then() -> None:
    request = _request("POST", {"name": "Ann"})
    shown = _Shown()
    form = _Named(request.POST)

    def save(data: dict[str, Any]) -> str:
        raise _Refused("Ann is taken")

    save_or_show(
        request,
        form,
        save,
        then="/done/",
        refused=_Refused,
        field="name",
        template="page.html",
        context=lambda: {"errors": dict(form.errors)},
        show=shown,
    )
    assert form.errors["name"] == ["Ann is taken"]
    assert shown.calls == [("page.html", {"errors": {"name": ["Ann is taken"]}})]


def test_a_post_that_is_not_allowed_only_shows_the_form() -> None:
    request = _request("POST", {"name": "Ann"})
    shown = _Shown()
    saved: list[str] = []

    def save(data: dict[str, Any]) -> str:
        saved.append(data["name"])
        return "saved"

    response = save_or_show(
        request,
        _Named(request.POST),
        save,
        then="/done/",
        allowed=False,
        template="page.html",
        context={},
        show=shown,
    )
    assert response.status_code == 200 and saved == [] and len(shown.calls) == 1


def test_a_refusal_naming_a_field_the_form_lacks_goes_above_the_form() -> None:
    """One way to show a service's ValidationError (show_refusal now does what
    form_fields.add_validation_error did for the settings pages)."""
    request = _request("POST", {"name": "Ann"})
    form = _Named(request.POST)

    def save(data: dict[str, Any]) -> str:
        raise ValidationError({"name": "Name taken", "elsewhere": "Not on this form"})

    save_or_show(
        request,
        form,
        save,
        then="/done/",
        template="page.html",
        context={},
        show=_Shown(),
    )
    assert form.errors["name"] == ["Name taken"]
    assert form.non_field_errors() == ["Not on this form"]
