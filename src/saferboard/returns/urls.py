from django.urls import path

from saferboard.returns import setup_views, views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("outstanding/", views.outstanding, name="outstanding"),
    path("datasheet.xlsx", views.datasheet, name="datasheet"),
    path("settings/", setup_views.template_settings, name="template-settings"),
    path("settings/new/", setup_views.template_create, name="template-create"),
    path("settings/<slug:slug>/", setup_views.template_edit, name="template-edit"),
    path("settings/<slug:slug>/retire/", setup_views.template_retire, name="template-retire"),
    path("settings/<slug:slug>/fields/add/", setup_views.field_add, name="template-field-add"),
    path(
        "settings/<slug:slug>/fields/<int:pk>/",
        setup_views.field_edit,
        name="template-field-edit",
    ),
    path(
        "settings/<slug:slug>/fields/<int:pk>/move/",
        setup_views.field_move,
        name="template-field-move",
    ),
    path(
        "settings/<slug:slug>/fields/<int:pk>/remove/",
        setup_views.field_remove,
        name="template-field-remove",
    ),
    path("templates/<slug:slug>/", views.template_detail, name="template"),
    path("templates/<slug:slug>/<str:period>/", views.period_return, name="period"),
    path(
        "templates/<slug:slug>/<str:period>/template.xlsx",
        views.template_xlsx,
        name="template-xlsx",
    ),
    path("templates/<slug:slug>/<str:period>/upload/", views.upload, name="upload"),
]
