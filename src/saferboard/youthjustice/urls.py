from django.urls import path

from saferboard.youthjustice import views

app_name = "youthjustice"

urlpatterns = [
    path("", views.index, name="index"),
    path("breakdown/<slug:dimension>/", views.breakdown_page, name="breakdown"),
    path("download/<slug:table>.<slug:fmt>", views.download, name="download"),
    path("import/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_report, name="import-report"),
]
