"""The settings hub and the partnership settings page."""

from django.urls import path

from saferboard.setup import views

urlpatterns = [
    path("", views.hub, name="hub"),
    path("partnership/", views.partnership_settings, name="partnership"),
]
