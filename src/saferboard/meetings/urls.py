from django.urls import path

from saferboard.meetings import board_settings_views as setup
from saferboard.meetings import clerk_views as clerk
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
    path("<int:pk>/agenda/<int:item>/", views.agenda_item_edit, name="agenda-item-edit"),
    path("<int:pk>/agenda/<int:item>/move/", views.agenda_item_move, name="agenda-item-move"),
    path(
        "<int:pk>/agenda/<int:item>/remove/",
        views.agenda_item_remove,
        name="agenda-item-remove",
    ),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/<str:number>/", views.minute_edit, name="minute-edit"),
    path("<int:pk>/minutes/<str:number>/action/", views.raise_action, name="raise-action"),
    path("<int:pk>/matters-arising/", views.matters_arising, name="matters-arising"),
    # The clerk's records: questions, declarations of interest, papers' cover sheets.
    path("<int:pk>/questions/", clerk.questions, name="questions"),
    path("<int:pk>/questions/new/", clerk.question_new, name="question-new"),
    path("<int:pk>/questions/<int:question>/", clerk.question_edit, name="question-edit"),
    path(
        "<int:pk>/questions/<int:question>/withdraw/",
        clerk.question_withdraw,
        name="question-withdraw",
    ),
    path("<int:pk>/declarations/", clerk.declarations, name="declarations"),
    path("<int:pk>/declarations/new/", clerk.declaration_new, name="declaration-new"),
    path(
        "<int:pk>/declarations/<int:declaration>/",
        clerk.declaration_edit,
        name="declaration-edit",
    ),
    path(
        "<int:pk>/declarations/<int:declaration>/withdraw/",
        clerk.declaration_withdraw,
        name="declaration-withdraw",
    ),
    path("<int:pk>/papers/<int:item>/", clerk.paper, name="paper"),
    path("<int:pk>/papers/<int:item>/cover-sheet/", clerk.cover_sheet_edit, name="cover-sheet"),
    path(
        "<int:pk>/papers/<int:item>/cover-sheet/remove/",
        clerk.cover_sheet_remove,
        name="cover-sheet-remove",
    ),
    # Setting boards up (administrators and coordinators).
    path("settings/boards/", setup.board_settings, name="board-settings"),
    path("settings/boards/new/", setup.board_create, name="board-create"),
    path("settings/boards/<slug:slug>/", setup.board_setup, name="board-setup"),
    path("settings/boards/<slug:slug>/edit/", setup.board_edit, name="board-edit"),
    path("settings/boards/<slug:slug>/retire/", setup.board_retire, name="board-retire"),
    path("settings/boards/<slug:slug>/members/new/", setup.member_add, name="board-member-add"),
    path(
        "settings/boards/<slug:slug>/members/<int:pk>/",
        setup.member_edit,
        name="board-member-edit",
    ),
    path(
        "settings/boards/<slug:slug>/members/<int:pk>/end/",
        setup.member_end,
        name="board-member-end",
    ),
    path(
        "settings/boards/<slug:slug>/members/<int:pk>/substitutes/new/",
        setup.substitute_add,
        name="board-substitute-add",
    ),
    path(
        "settings/boards/<slug:slug>/substitutes/<int:pk>/end/",
        setup.substitute_end,
        name="board-substitute-end",
    ),
    path(
        "settings/boards/<slug:slug>/standing/new/",
        setup.standing_item_add,
        name="standing-item-add",
    ),
    path(
        "settings/boards/<slug:slug>/standing/<int:pk>/",
        setup.standing_item_edit,
        name="standing-item-edit",
    ),
    path(
        "settings/boards/<slug:slug>/standing/<int:pk>/move/",
        setup.standing_item_move,
        name="standing-item-move",
    ),
    path(
        "settings/boards/<slug:slug>/standing/<int:pk>/remove/",
        setup.standing_item_remove,
        name="standing-item-remove",
    ),
    path(
        "<int:pk>/<slug:document>.<str:fmt>",
        views.download,
        name="download",
    ),
]
