"""The dashboard and its exports. Read-only: every view reads the records, none writes them, for every role.

Views parse the filters, call dashboard.selectors.board, and render. Each download is a line of the
audit log, with its filters (a download sent back to the page for bad filters is not). Filters that do not
validate show the GOV.UK error summary on the page; an export asked for with them goes
back to the page, which says what is wrong.

The progress report (PDF) is prepared by a Celery worker (dashboard.reports): its page, /dashboard/report/,
shows whether it is ready, under way (refreshing itself) or failed, and asks for it (a POST that changes no
record, so inspectors may make it too: mappa.access.AccessRule.asks_for_a_document).
"""

from dataclasses import replace

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from dashboard import exports, reports
from dashboard.cache import NONCE, drawn_board
from dashboard.filters import filter_form
from dashboard.selectors.layout import FOLDED_ROWS
from mappa.access import EVERYONE, allow
from mappa.pagination import govuk_pagination, page_of
from mappa.pdf import PDF_CONTENT_TYPE
from mappa.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download


def _file(content, content_type, name):
    response = download(content, name, content_type)
    add_never_cache_headers(response)
    return response


def _board(request, *, nonce=None, page=None):
    """(the filter form, the dashboard for its scope), or (form, None) when the filters are wrong.

    The dashboard comes drawn from the cache (dashboard.cache), with the ``page`` below the filters if
    asked for; its charts carry ``nonce`` (the page's), or none (the files)."""
    form = filter_form(request.GET)
    if not form.mark_errors():
        return form, None
    return form, drawn_board(request.user, form.scope(), page=page).set_nonce(nonce, drawn_with=NONCE)


def _page(board):
    return render_to_string("dashboard/includes/board.html", {"board": board, "folded_rows": FOLDED_ROWS})


def _with_query(url, query):
    return url + (f"?{query}" if query else "")


def _back_to_page(request):
    return redirect(_with_query(reverse("dashboard:index"), request.GET.urlencode()))


@allow(read=EVERYONE)
def index(request):
    form, board = _board(request, nonce=str(request.csp_nonce), page=_page)
    return render(request, "dashboard/dashboard.html", {"form": form, "board": board})


TABLE_ROWS = 50


@allow(read=EVERYONE)
def table_page(request, table):
    """One of the dashboard's tables, 50 rows a page, for the same filters (the page shows the first few rows)."""
    _form, board = _board(request, nonce=str(request.csp_nonce))
    if board is None:
        return _back_to_page(request)
    figure = board.figure(table)
    if figure is None:
        raise Http404("No such table")
    found = figure.table
    page = page_of(found.rows, request.GET.get("page"), TABLE_ROWS)
    return render(
        request,
        "dashboard/table.html",
        {
            "board": board,
            "table": replace(found, rows=list(page.object_list)),
            "whole": found,
            "chart": figure.svg,
            "page": page,
            "pagination": govuk_pagination(page, request.GET),
        },
    )


def _download(request, respond):
    """``respond(board)`` for valid filters; back to the page, which explains, for bad ones."""
    _form, board = _board(request)
    if board is None:
        return _back_to_page(request)
    return respond(board)


def _scope(request):
    """The scope of the filters in the query string, or None when they are wrong."""
    form = filter_form(request.GET)
    return form.scope() if form.mark_errors() else None


def _report_page(request, scope, template):
    build = reports.current(request.user, scope)
    return render(
        request,
        template,
        {
            "scope": scope,
            "build": build,
            "query": scope.query,
        },
    )


@allow(read=EVERYONE, write=EVERYONE, asks_for_a_document=True)
@require_http_methods(["GET", "POST"])
def report(request):
    """The progress report's page: ready to download, under way, failed, or to ask for (POST: it is prepared)."""
    scope = _scope(request)
    if scope is None:
        return _back_to_page(request)
    if request.method == "POST":
        reports.ask(user=request.user, scope=scope)
        # To the page (a refresh does not ask again): ready at once when the task ran in the request.
        return redirect(_with_query(reverse("dashboard:report"), scope.query))
    response = _report_page(request, scope, "dashboard/report.html")
    add_never_cache_headers(response)
    return response


@allow(read=EVERYONE)
@require_GET
def report_progress(request):
    """The report's panel alone: what its page fetches (htmx) every 2 seconds while the report is prepared."""
    scope = _scope(request)
    if scope is None or not request.headers.get("HX-Request"):
        # Opened by itself, not fetched by the page: the page instead (or the dashboard, to correct the filters).
        return (
            _back_to_page(request) if scope is None else redirect(_with_query(reverse("dashboard:report"), scope.query))
        )
    response = _report_page(request, scope, "dashboard/includes/report_status.html")
    add_never_cache_headers(response)
    return response


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def report_pdf(request):
    """The report, once prepared for this board (the reader's audience, filters, day and data): only someone who
    would be shown the same dashboard gets it. Not ready: to its page."""
    audit_subject(request, label="Dashboard progress report")
    scope = _scope(request)
    if scope is None:
        return _back_to_page(request)
    build = reports.ready(request.user, scope)
    if build is not None:
        response = FileResponse(
            build.file.open("rb"), as_attachment=True, filename=build.filename, content_type=PDF_CONTENT_TYPE
        )
        add_never_cache_headers(response)
        return response
    return redirect(_with_query(reverse("dashboard:report"), scope.query))


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="xlsx")
def export_xlsx(request):
    audit_subject(request, label="Dashboard export")
    return _download(
        request,
        lambda board: _file(exports.dashboard_xlsx(board), XLSX_CONTENT_TYPE, exports.filename(board.scope, "xlsx")),
    )


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="csv")
def table_csv(request, table):
    audit_subject(request, label=f"Dashboard table: {table}", table=table)

    def respond(board):
        found = board.table(table)
        if found is None:
            raise Http404("No such table")
        return _file(exports.table_csv(found), CSV_CONTENT_TYPE, exports.filename(board.scope, "csv", table))

    return _download(request, respond)
