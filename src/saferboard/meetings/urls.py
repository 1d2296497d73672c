from django.urls import path

from saferboard.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("boards/<slug:slug>/", views.board_detail, name="board"),
    path("boards/<slug:slug>/new/", views.meeting_new, name="meeting-new"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/status/", views.meeting_status, name="meeting-status"),
    path("<int:pk>/agree-minutes/", views.agree_minutes, name="agree-minutes"),
    path("<int:pk>/agenda/new/", views.agenda_item_new, name="agenda-item-new"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/<int:number>/", views.minute_edit, name="minute-edit"),
    path("<int:pk>/minutes/<int:number>/action/", views.raise_action, name="raise-action"),
    path("<int:pk>/matters-arising/", views.matters_arising, name="matters-arising"),
    path(
        "<int:pk>/<slug:document>.<str:fmt>",
        views.download,
        name="download",
    ),
]
