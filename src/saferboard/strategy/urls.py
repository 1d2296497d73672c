from django.urls import path

from saferboard.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.index, name="index"),
    path("my-returns/", views.my_returns, name="my-returns"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/returns/", views.round_returns, name="round-returns"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round-remind"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("rounds/<int:pk>/priorities/<int:number>/", views.priority_report, name="priority-report"),
    path(
        "rounds/<int:pk>/priorities/<int:number>/report.docx",
        views.priority_report_docx,
        name="priority-report-docx",
    ),
    path(
        "rounds/<int:pk>/priorities/<int:number>/report.pdf",
        views.priority_report_pdf,
        name="priority-report-pdf",
    ),
    path("updates/<int:pk>/", views.update_detail, name="update"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("updates/<int:pk>/review/", views.update_review, name="update-review"),
    path(
        "updates/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
]
