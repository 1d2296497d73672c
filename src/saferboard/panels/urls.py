"""Panel pages. Case URLs carry the pseudonymous reference, never a name or a row id."""

from django.urls import path

from saferboard.panels import setup_views, views

app_name = "panels"

urlpatterns = [
    path("", views.index, name="index"),
    path("subject-access/", views.subject_access_request, name="subject-access"),
    path("audit/", views.audit_search, name="audit-search"),
    # Settings before the catch-all "<slug:slug>/" (no panel takes the slug "settings").
    path("settings/", setup_views.settings, name="settings"),
    path("settings/new/", setup_views.panel_create, name="settings-create"),
    path("settings/<slug:slug>/", setup_views.panel_edit, name="settings-edit"),
    path("settings/<slug:slug>/retire/", setup_views.panel_retire, name="settings-retire"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/status/", views.change_status, name="case-status"),
    path("cases/<str:reference>/assess/", views.assess, name="case-assess"),
    path("cases/<str:reference>/review/", views.review, name="case-review"),
    path("cases/<str:reference>/actions/add/", views.add_action, name="case-action-add"),
    path(
        "cases/<str:reference>/actions/<int:pk>/done/",
        views.complete_action,
        name="case-action-done",
    ),
    path("cases/<str:reference>/escalation/", views.add_escalation, name="case-escalation"),
    path(
        "cases/<str:reference>/escalation/<int:pk>/breach/",
        views.add_breach,
        name="case-breach",
    ),
    path("<slug:slug>/", views.panel_cases, name="panel"),
    path("<slug:slug>/aggregates/", views.aggregates, name="aggregates"),
    path("<slug:slug>/refer/", views.refer, name="refer"),
    path("<slug:slug>/search/", views.search, name="search"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove_member, name="member-remove"),
    path("<slug:slug>/members/<int:pk>/approve/", views.approve_member, name="member-approve"),
]
