from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from accounts.two_step_views import sign_in
from accounts.views import PasswordResetView
from actions.views import exports as action_exports
from mappa import forms, views
from mappa.access import EVERYONE, allow, own_account

admin.site.site_header = "MAPPA Governance administration"
admin.site.site_title = "MAPPA Governance administration"

# Password change is for any signed-in user; the other account pages are public.
password_change = own_account(auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm))
password_change_done = allow(read=EVERYONE)(auth_views.PasswordChangeDoneView.as_view())

account_patterns = [
    # Step one of two-step sign-in (accounts/two_step.py); the code, set-up and account pages follow.
    path("login/", sign_in, name="login"),
    # Signing out is harmless when already signed out, so it needs no login.
    path("logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("password/change/", password_change, name="password_change"),
    path("password/change/done/", password_change_done, name="password_change_done"),
    path(
        "password/reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("", include("accounts.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("groups/", views.body_list, name="body-list"),
    path("groups/<slug:slug>/", views.body_detail, name="body-detail"),
    path("meetings/", include("papers.urls")),
    # The SOG chairs' updates minute filled in from the areas' approved returns (reviews/minute_urls.py).
    path("meetings/", include("reviews.minute_urls")),
    # Recording actions in the minute editor, and matters arising (actions/minute_urls.py).
    path("meetings/", include("actions.minute_urls")),
    path("meetings/", include("meetings.urls")),
    # The reminder log sits under /actions/ but belongs to the reminders app: before the register.
    path("actions/reminders/", include("reminders.urls")),
    # Every e-mail a step of the service sends (draft minutes, returns sent back): outbox/urls.py.
    path("emails/", include("outbox.urls")),
    path("actions/", include("actions.urls")),
    # Exports of the action register's current filter (the query string): actions/views/exports.py.
    path("actions.pdf", action_exports.actions_pdf, name="actions-pdf"),
    path("actions.xlsx", action_exports.actions_xlsx, name="actions-xlsx"),
    path("actions.csv", action_exports.actions_csv, name="actions-csv"),
    path("recommendations/", include("recommendations.urls")),
    # Quarterly SOG returns and case review records: reviews/urls.py, reviews/case_review_urls.py.
    path("returns/", include("reviews.urls")),
    path("case-reviews/", include("reviews.case_review_urls")),
    # The inspectors' dashboard, read-only for everyone: dashboard/urls.py.
    path("dashboard/", include("dashboard.urls")),
    # Search: every record the user may open, in one box (search/).
    path("search/", include("search.urls")),
    path("disclosure/", include("disclosure.urls")),
    # Erasing personal data typed into records and their versions (erasure/, secretariat only).
    path("erasure/", include("erasure.urls")),
    # The audit log, for administrators and those given the right to read it: audit/urls.py.
    path("audit/", include("audit.urls")),
    path("accounts/", include(account_patterns)),
    path("admin/", admin.site.urls),
]

# A value in a request that no page of the service sends (mappa.forms.ParamsForm): a GOV.UK page, not a 500.
handler400 = "mappa.views.bad_request"
# The database not answering in a middleware (e.g. loading the session): 503 "try again shortly" (mappa/middleware.py).
handler500 = "mappa.middleware.server_error"
