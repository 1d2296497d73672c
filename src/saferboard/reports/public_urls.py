"""The public committee site, mounted at ``/public/`` (readable signed out)."""

from django.urls import path

from saferboard.reports import public_views

app_name = "public"

urlpatterns = [
    path("meetings/", public_views.index, name="index"),
    path("meetings/<slug:board>/<str:day>/", public_views.meeting, name="meeting"),
    path("meetings/<slug:board>/<str:day>/pack/", public_views.pack_web, name="pack"),
    path(
        "meetings/<slug:board>/<str:day>/public-pack.<str:fmt>",
        public_views.pack_download,
        name="pack-download",
    ),
    path("meetings/<slug:board>/<str:day>/minutes/", public_views.minutes, name="minutes"),
]
