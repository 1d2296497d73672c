from django.urls import path

from saferboard.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("outstanding/", views.outstanding, name="outstanding"),
    path("datasheet.xlsx", views.datasheet, name="datasheet"),
    path("templates/<slug:slug>/", views.template_detail, name="template"),
    path("templates/<slug:slug>/<str:period>/", views.period_return, name="period"),
    path(
        "templates/<slug:slug>/<str:period>/template.xlsx",
        views.template_xlsx,
        name="template-xlsx",
    ),
    path("templates/<slug:slug>/<str:period>/upload/", views.upload, name="upload"),
]
