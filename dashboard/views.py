"""The dashboard and its exports. Read-only: every view reads, none writes, for every role.

Views parse the filters, call dashboard.selectors.board, and render. Each download is a line of the
audit log, with its filters (a download sent back to the page for bad filters is not). Filters that do not
validate show the GOV.UK error summary on the page; an export asked for with them goes
back to the page, which says what is wrong.
"""

from dataclasses import replace

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from dashboard import exports
from dashboard.cache import NONCE, drawn_board, kept_file
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


def _back_to_page(request):
    query = request.GET.urlencode()
    return redirect(reverse("dashboard:index") + (f"?{query}" if query else ""))


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


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def report_pdf(request):
    audit_subject(request, label="Dashboard progress report")

    def respond(board):
        content = kept_file(request.user, board.scope, "report.pdf", lambda: exports.report_pdf(board))
        return _file(content, PDF_CONTENT_TYPE, exports.filename(board.scope, "pdf"))

    return _download(request, respond)


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
