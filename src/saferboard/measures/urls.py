from django.urls import path

from saferboard.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("new/", views.measure_create, name="create"),
    path("<slug:source>/<slug:slug>/", views.measure_detail, name="detail"),
    path("<slug:source>/<slug:slug>/edit/", views.measure_edit, name="edit"),
    path("<slug:source>/<slug:slug>/rating/", views.measure_judge, name="judge"),
    path("<slug:source>/<slug:slug>/rerate/", views.measure_rerate, name="rerate"),
]
