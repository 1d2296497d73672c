from django.urls import path

from saferboard.youthjustice import kpis2023_views, views

app_name = "youthjustice"

urlpatterns = [
    path("", views.index, name="index"),
    path("breakdown/<slug:dimension>/", views.breakdown_page, name="breakdown"),
    path("download/<slug:table>.<slug:fmt>", views.download, name="download"),
    path("kpis2023/return.csv", kpis2023_views.return_download, name="kpis2023-return"),
    path("import/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_report, name="import-report"),
]
