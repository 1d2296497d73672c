from django.urls import path

from saferboard.actions import completion_views, inspection_views, recommendation_views, views

app_name = "actions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_new, name="plan-new"),
    path("import/", views.import_upload, name="import"),
    path("import/columns/", views.import_mapping, name="import-mapping"),
    path("import/check/", views.import_preview, name="import-preview"),
    path("published-ratings/", inspection_views.published_ratings, name="published-ratings"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/inspection/", inspection_views.inspection, name="inspection"),
    path("<int:pk>/inspection/edit/", inspection_views.inspection_edit, name="inspection-edit"),
    path("<int:pk>/review/", views.plan_review, name="plan-review"),
    path("<int:pk>/recommendations/new/", views.recommendation_new, name="recommendation-new"),
    path(
        "<int:pk>/recommendations/<int:number>/edit/",
        recommendation_views.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "<int:pk>/recommendations/<int:number>/remove/",
        recommendation_views.recommendation_remove,
        name="recommendation-remove",
    ),
    path("<int:pk>/actions/new/", views.action_new, name="action-new"),
    path("<int:pk>/actions/<str:reference>/", views.action_detail, name="action"),
    path("<int:pk>/actions/<str:reference>/edit/", views.action_edit, name="action-edit"),
    path(
        "<int:pk>/actions/<str:reference>/blue/",
        completion_views.blue_decision,
        name="blue-decision",
    ),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<int:pk>/export.docx", views.export_docx, name="export-docx"),
]
