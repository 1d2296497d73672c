"""The API's URLs (from django-ninja, with our own root) and the token page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from saferboard.api import views
from saferboard.api.routes import api, root

app_name = "api"

# Ninja's own root view answers 404 in HTML; ours needs a token like everything else.
# The API checks its tokens itself (answering 401 in JSON), so its views are exempt from
# the sign-in redirect; the token pages are ordinary signed-in pages.
_ninja = [p for p in api.urls[0] if getattr(p, "name", None) != "api-root"]
for _pattern in _ninja:
    login_not_required(_pattern.callback)  # type: ignore[union-attr]

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke-token"),
    *_ninja,
    path("", login_not_required(root), name="api-root"),
]
