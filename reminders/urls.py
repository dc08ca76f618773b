"""The reminder log, at /actions/reminders/ (included in config/urls.py before the action register)."""

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_log, name="log"),
    path("<uuid:digest_id>/send-now/", views.send_now, name="send-now"),
]
