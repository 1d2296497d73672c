"""The API's URLs (from django-ninja, with our own root) and the token page."""

from django.urls import path

from saferboard.api import views
from saferboard.api.routes import api, root

app_name = "api"

# Ninja's own root view answers 404 in HTML; ours needs a token like everything else.
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke-token"),
    *[p for p in api.urls[0] if getattr(p, "name", None) != "api-root"],
    path("", root, name="api-root"),
]
