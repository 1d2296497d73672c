from django.urls import path

from saferboard.crime import views

app_name = "crime"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("dashboard.<str:fmt>", views.download, name="download"),
    path("import/", views.import_data, name="import"),
    path("import/<uuid:job_id>/", views.import_job, name="import-job"),
    path("import/<uuid:job_id>/status.json", views.import_job_status, name="import-job-status"),
]
