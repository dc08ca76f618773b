"""/returns/: the quarterly SOG returns. A return is addressed by period and area: /returns/2017-18-q1/fife/."""

from django.urls import path, register_converter

from reviews import document_views
from reviews.views import nsg_meeting, periods, returns


class ReportingPeriodConverter:
    """A financial quarter as a URL part: "2017-18-q1"."""

    regex = r"[0-9]{4}-[0-9]{2}-q[1-4]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value if isinstance(value, str) else value.slug


register_converter(ReportingPeriodConverter, "reporting_period")

app_name = "reviews"

_one = "<reporting_period:period>/<slug:area>/"

urlpatterns = [
    path("", returns.returns, name="returns"),
    # The secretariat's reporting periods, and each period's national table of case review figures.
    # Before the returns' own addresses, which take any second part as an area.
    path("periods/", periods.period_list, name="period-list"),
    path("periods/new/", periods.period_create, name="period-create"),
    path("periods/<reporting_period:period>/edit/", periods.period_edit, name="period-edit"),
    path("<reporting_period:period>/case-review-table.pdf", document_views.case_review_table, name="case-review-table"),
    path(
        "<reporting_period:period>/case-review-table/",
        nsg_meeting.case_review_table_attach,
        name="case-review-table-attach",
    ),
    path(_one, returns.return_detail, name="return-detail"),
    path(_one + "edit/<slug:section>/", returns.return_edit, name="return-edit"),
    path(_one + "check/", returns.return_check, name="return-check"),
    path(_one + "submit/", returns.return_submit, name="return-submit"),
    path(_one + "nil/", returns.return_nil, name="return-nil"),
    path(_one + "return/", returns.return_send_back, name="return-send-back"),
    path(_one + "approve/", returns.return_approve, name="return-approve"),
    path(_one + "reopen/", returns.return_reopen, name="return-reopen"),
    path(_one + "history/", returns.return_history, name="return-history"),
]
