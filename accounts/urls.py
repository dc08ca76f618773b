"""Two-step sign-in, "Your account" and the session pages, under /accounts/ (config/urls.py adds them)."""

from django.urls import path

from accounts import two_step_views as views

urlpatterns = [
    path("two-step/", views.code, name="two_step"),
    path("two-step/recovery-code/", views.recovery_code, name="two_step_recovery"),
    path("two-step/set-up/", views.set_up, name="two_step_set_up"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/recovery-codes.txt", views.recovery_codes_download, name="recovery_codes_download"),
    path("your-account/", views.account, name="account"),
    path("your-account/replace-authenticator/", views.replace_authenticator, name="two_step_replace"),
    path("your-account/new-recovery-codes/", views.regenerate_recovery_codes, name="recovery_codes_regenerate"),
    path("your-account/sign-out-other-sessions/", views.sign_out_other_sessions, name="sign_out_other_sessions"),
    path("session/keep-alive/", views.keep_alive, name="session_keep_alive"),
    path("deactivated/", views.deactivated_accounts, name="deactivated_accounts"),
]
