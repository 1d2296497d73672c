"""The set-up workbook in the browser: /settings/workbook/ (administrators only)."""

from django.urls import path

from saferboard.setup import workbook_views

urlpatterns = [
    path("", workbook_views.workbook, name="workbook"),
    path("template.xlsx", workbook_views.template_download, name="workbook-template"),
    path("set-up.xlsx", workbook_views.export_download, name="workbook-export"),
    path("preview/", workbook_views.preview, name="workbook-preview"),
]
