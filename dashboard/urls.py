from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    # The progress report: its page (GET: ready, under way or failed; POST: prepare it), the page's panel
    # (htmx), and the file once prepared (dashboard.reports).
    path("report/", views.report, name="report"),
    path("report/progress/", views.report_progress, name="report-progress"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    # One table as CSV: /dashboard/actions-by-group.csv (the slugs are in dashboard/selectors/*_section.py).
    path("<slug:table>.csv", views.table_csv, name="table-csv"),
    # One table on a page of its own, 50 rows a page: the long tables the dashboard shortens.
    path("tables/<slug:table>/", views.table_page, name="table"),
]
