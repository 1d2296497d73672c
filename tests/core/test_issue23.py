"""Issue 23's small defects: sign-in's return address, Django's sign-in middleware,
navigation that fails loudly, safe return addresses, and one DOCX narrative converter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import resolve

from saferboard.core import context_processors
from saferboard.core.redirects import safe_next
from tests.factories import TEST_PASSWORD

PUBLIC = [
    "/sign-in/",
    "/set-password/nothing/nothing/",
    "/password-reset/",
    "/password-reset/sent/",
    "/accessibility/",
    "/healthz",
    "/api/",
    "/api/whoami",
]


def test_sign_in_keeps_every_parameter_of_the_return_address(client: Client, make_user) -> None:
    make_user(username="lead")
    response = client.get("/organisations/?page=2&q=police")
    assert response.status_code == 302
    # Encoded, so '&q=police' belongs to next rather than to the sign-in page.
    assert response["Location"] == "/sign-in/?next=/organisations/%3Fpage%3D2%26q%3Dpolice"
    next_url = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert next_url == "/organisations/?page=2&q=police"
    page = client.get(response["Location"]).content.decode()
    assert 'value="/organisations/?page=2&amp;q=police"' in page
    signed_in = client.post(
        response["Location"], {"username": "lead", "password": TEST_PASSWORD, "next": next_url}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/organisations/?page=2&q=police"


def test_djangos_login_required_middleware_does_the_sign_in_check() -> None:
    middleware = settings.MIDDLEWARE
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in middleware
    assert "saferboard.core.middleware.LoginRequiredMiddleware" not in middleware
    # Over-age sessions end before the sign-in check sees them.
    assert middleware.index("saferboard.core.middleware.SessionPolicyMiddleware") < (
        middleware.index("django.contrib.auth.middleware.LoginRequiredMiddleware")
    )


@pytest.mark.parametrize("path", PUBLIC)
def test_public_views_are_marked_login_not_required(path: str) -> None:
    assert getattr(resolve(path).func, "login_required", True) is False, path


def test_other_views_still_need_sign_in() -> None:
    for path in ("/", "/organisations/", "/api/tokens/", "/sign-out/"):
        assert getattr(resolve(path).func, "login_required", True) is True, path


def test_anonymous_api_call_is_refused_in_json_not_redirected(client: Client, db) -> None:
    response = client.get("/api/whoami")
    assert response.status_code == 401 and response.json()["error"]["code"]
    assert response["Cache-Control"] == "no-store"


def test_public_page_answers_without_sign_in(client: Client, db) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/accessibility/").status_code == 200


def test_a_broken_navigation_url_name_fails_loudly(monkeypatch, make_user) -> None:
    request = RequestFactory().get("/")
    request.user = make_user(username="lead")
    items = context_processors.navigation(request)["nav_items"]
    assert items[0] == {"href": "/", "text": "Home", "current": True}
    monkeypatch.setattr(
        context_processors,
        "NAV_ITEMS",
        [*context_processors.NAV_ITEMS, ("core:no-such-page", "Broken", None)],
    )
    with pytest.raises(ImproperlyConfigured, match="core:no-such-page"):
        context_processors.navigation(request)
    request.user = AnonymousUser()  # no header links, so nothing to reverse
    assert context_processors.navigation(request) == {"nav_items": []}


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/actions/", "/actions/"),
        ("/actions/?page=2&q=x", "/actions/?page=2&q=x"),
        ("https://evil.example/", "/here/"),
        ("//evil.example/", "/here/"),
        ("http://testserver/actions/", "/here/"),  # this host, but not https on https
        ("https://testserver/actions/", "https://testserver/actions/"),
        ("javascript:alert(1)", "/here/"),
        ("", "/here/"),
        (None, "/here/"),
    ],
)
def test_safe_next_only_allows_this_site(candidate: str | None, expected: str) -> None:
    request = RequestFactory().post("/here/", secure=True)
    assert safe_next(request, candidate, "/here/") == expected


def test_pack_docx_uses_the_strategy_reports_narrative_converter() -> None:
    from docx import Document

    from saferboard.reports import render
    from saferboard.strategy.report import HtmlToDocx

    # Imported at the top of the module: there is no plain-text fallback any more.
    assert render.HtmlToDocx is HtmlToDocx
    document = Document()
    render._docx_html(document, "<p>First</p><ul><li>Second</li></ul>")
    texts = [p.text for p in document.paragraphs]
    assert "First" in texts and "Second" in texts


def test_an_unrouted_address_is_not_found_for_anyone(client: Client, db) -> None:
    # Django's middleware checks views, so an address with no view is a plain 404 (the
    # custom middleware sent it to sign in first); it must not be a server error.
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
