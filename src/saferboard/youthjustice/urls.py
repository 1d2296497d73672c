from django.urls import path

from saferboard.youthjustice import (
    import_views,
    kpis2023_views,
    published_views,
    start_views,
    views,
)

app_name = "youthjustice"

urlpatterns = [
    path("", views.index, name="index"),
    path("breakdown/<slug:dimension>/", views.breakdown_page, name="breakdown"),
    path("download/<slug:table>.<slug:fmt>", views.download, name="download"),
    path("kpis2023/return.csv", kpis2023_views.return_download, name="kpis2023-return"),
    path("import/", import_views.import_page, name="import"),
    path("imports/<int:pk>/", import_views.import_report, name="import-report"),
    path("imports/job/<uuid:job_id>/", import_views.import_job, name="import-job"),
    path(
        "imports/job/<uuid:job_id>/status.json",
        import_views.import_job_status,
        name="import-job-status",
    ),
    path("import/columns/", start_views.mapping_page, name="mapping"),
    path("import/template.zip", start_views.template_download, name="template-download"),
    path("import/sample.zip", start_views.sample_download, name="sample-download"),
    path("published/import/", published_views.upload_page, name="published-upload"),
    path("published/import/columns/", published_views.mapping_page, name="published-mapping"),
    path("published/imports/<int:pk>/", published_views.report_page, name="published-report"),
]
