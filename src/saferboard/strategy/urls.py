from django.urls import path

from saferboard.strategy import settings_views, views

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
    path("updates/<int:pk>/on-behalf/", views.update_on_behalf, name="update-on-behalf"),
    path("updates/<int:pk>/correct/", views.update_correct, name="update-correct"),
    path("updates/<int:pk>/review/", views.update_review, name="update-review"),
    path(
        "updates/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    # Setting the strategy up (administrators and coordinators).
    path("settings/", settings_views.overview, name="settings"),
    path("settings/strategy/", settings_views.strategy_edit, name="settings-strategy"),
    path("settings/priorities/new/", settings_views.priority_form, name="settings-priority-new"),
    path("settings/priorities/<int:pk>/", settings_views.priority_form, name="settings-priority"),
    path(
        "settings/priorities/<int:pk>/move/",
        settings_views.priority_move,
        name="settings-priority-move",
    ),
    path(
        "settings/priorities/<int:pk>/retire/",
        settings_views.priority_retire,
        name="settings-priority-retire",
    ),
    path(
        "settings/priorities/<int:priority_pk>/commitments/new/",
        settings_views.commitment_form,
        name="settings-commitment-new",
    ),
    path(
        "settings/commitments/<int:pk>/",
        settings_views.commitment_form,
        name="settings-commitment",
    ),
    path(
        "settings/commitments/<int:pk>/move/",
        settings_views.commitment_move,
        name="settings-commitment-move",
    ),
    path(
        "settings/commitments/<int:pk>/retire/",
        settings_views.commitment_retire,
        name="settings-commitment-retire",
    ),
    path(
        "settings/commitments/<int:commitment_pk>/indicators/new/",
        settings_views.indicator_form,
        name="settings-indicator-new",
    ),
    path(
        "settings/indicators/<int:pk>/",
        settings_views.indicator_form,
        name="settings-indicator",
    ),
]
