"""Set-up pages: the checklist and settings hub, and the set-up workbook."""

from django.urls import include, path

app_name = "setup"

urlpatterns = [
    path("", include("saferboard.setup.hub_urls")),
    path("workbook/", include("saferboard.setup.workbook_urls")),
]
