"""Top-level URLs: each app mounts its own."""

from django.urls import include, path

urlpatterns = [
    path("", include("saferboard.core.urls")),
    path("measures/", include("saferboard.measures.urls")),
    path("strategy/", include("saferboard.strategy.urls")),
    path("crime/", include("saferboard.crime.urls")),
    path("youth-justice/", include("saferboard.youthjustice.urls")),
    path("actions/", include("saferboard.actions.urls")),
    path("meetings/", include("saferboard.meetings.urls")),
    path("panels/", include("saferboard.panels.urls")),
    path("returns/", include("saferboard.returns.urls")),
    path("api/", include("saferboard.api.urls")),
    path("packs/", include("saferboard.reports.urls")),
    path("public/", include("saferboard.reports.public_urls")),
    path("settings/", include("saferboard.setup.urls")),
]

handler403 = "saferboard.core.views.permission_denied"
handler404 = "saferboard.core.views.page_not_found"
handler500 = "saferboard.core.views.server_error"
