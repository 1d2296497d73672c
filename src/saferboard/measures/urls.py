from django.urls import path

from saferboard.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("<slug:source>/<slug:slug>/", views.measure_detail, name="detail"),
]
