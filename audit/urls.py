"""The audit log: /audit/ (included in config/urls.py). Read-only: no route changes a line."""

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_csv, name="export-csv"),
]
