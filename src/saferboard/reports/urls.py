from django.urls import path

from saferboard.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/<int:pk>/", views.meeting_packs, name="meeting"),
    path("meetings/<int:pk>/build/<str:audience>/", views.build, name="build"),
    path("meetings/<int:pk>/appendices/", views.upload_appendix, name="upload-appendix"),
    path("<int:pk>/", views.web, name="web"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/download.<str:fmt>", views.download, name="download"),
    path("issues/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
