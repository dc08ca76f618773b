"""The e-mail log: /emails/ (included in config/urls.py)."""

from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.email_log, name="log"),
    path("<int:pk>/send-again/", views.send_again, name="send-again"),
]
