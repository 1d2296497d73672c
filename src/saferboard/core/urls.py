from django.urls import path

from saferboard.core import account_views, views

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
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<slug:slug>/people/",
        views.organisation_people,
        name="organisation-people",
    ),
    path("people/", views.people, name="people"),
    path("audit-log/", views.audit_log, name="audit-log"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
