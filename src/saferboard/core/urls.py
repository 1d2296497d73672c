from django.urls import path

from saferboard.core import account_views, organisation_views, people_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path(
        "set-password/<uidb64>/<token>/",
        account_views.SetPasswordView.as_view(),
        name="set-password",
    ),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account_views.password_reset_sent, name="password-reset-sent"),
    path("organisations/", organisation_views.organisations, name="organisations"),
    # Before the slug pattern: "add" is never given as an organisation's slug.
    path("organisations/add/", organisation_views.organisation_create, name="organisation-create"),
    path("organisations/<slug:slug>/", organisation_views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/change/",
        organisation_views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<slug:slug>/people/",
        organisation_views.organisation_people,
        name="organisation-people",
    ),
    path("people/", people_views.people, name="people"),
    path("people/add/", people_views.person_create, name="person-create"),
    path("people/<int:pk>/", people_views.person_edit, name="person-edit"),
    path("people/<int:pk>/roles/add/", people_views.person_role_add, name="person-role-add"),
    path(
        "people/<int:pk>/roles/<int:membership_pk>/end/",
        people_views.person_role_end,
        name="person-role-end",
    ),
    path("people/<int:pk>/invite/", people_views.person_invite, name="person-invite"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person-reactivate"),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
