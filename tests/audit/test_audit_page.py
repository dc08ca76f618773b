"""/audit/: administrators (and anyone given the right) read the log, filter it and download it;
nobody else opens it, and nothing changes a line."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import record
from tests import html
from tests.audit.helpers import Kind, lines, only_line

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def log(users_by_role):
    """Lines of three kinds by two people on two days (besides the fixtures' own lines, made today)."""
    chair, inspector = users_by_role["sog_chair"], users_by_role["inspector"]
    with time_machine.travel(datetime(2017, 11, 8, 9, 0, tzinfo=LONDON), tick=False):
        record(Kind.SIGN_IN, user=chair)
        record(Kind.DOWNLOAD, user=inspector, label="Action log", format="csv", details={"filters": {"q": "ERA"}})
    with time_machine.travel(datetime(2017, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        record(Kind.VIEW, user=chair, label="Fife, 2017-18 Q2", details={"page": "return"})
        record(Kind.DOWNLOAD, user=chair, label='=HYPERLINK("http://x")', format="pdf")


def rows(response):
    page = html.page(response)
    return [html.texts(row, "./td") for row in page.xpath('//table[@id="audit-log"]/tbody/tr')]


def signed_in(client, user):
    client.force_login(user)
    return client


def test_an_administrator_reads_the_log_newest_first(client, administrator_user, log):
    response = signed_in(client, administrator_user).get(reverse("audit:log"))
    assert response.status_code == 200
    shown = rows(response)
    # Newest first: the administrator's own sign-in (just now), ..., then 2017's lines, latest first.
    assert shown[0][1:3] == ["t-admin person t-admin", "Signed in"]
    assert [row[0] for row in shown[-4:]] == ["1 Dec 2017 09:00:00"] * 2 + ["8 Nov 2017 09:00:00"] * 2
    assert [row[2:5] for row in shown[-4:]] == [
        ["Downloaded (PDF)", '=HYPERLINK("http://x")', ""],
        ["Viewed", "Fife, 2017-18 Q2", "page: return"],
        ["Downloaded (CSV)", "Action log", "filters: q=ERA"],
        ["Signed in", "", ""],
    ]


def test_filtering_by_person_kind_record_and_dates(client, administrator_user, users_by_role, log):
    chair = users_by_role["sog_chair"]
    signed_in(client, administrator_user)
    response = client.get(
        reverse("audit:log"),
        {"user": chair.pk, "kind": "download", "date_from": "2017-12-01", "date_to": "2017-12-01"},
    )
    assert [row[3] for row in rows(response)] == ['=HYPERLINK("http://x")']
    page = html.page(response)
    assert html.one(page, "//caption").text.strip().startswith("1 line matching these filters")

    response = client.get(reverse("audit:log"), {"record": "2017-18 q2"})
    assert [row[3] for row in rows(response)] == ["Fife, 2017-18 Q2"]

    response = client.get(reverse("audit:log"), {"date_to": "2017-11-08"})
    assert [row[3] for row in rows(response)] == ["Action log", ""]


def test_a_wrong_date_is_shown_at_its_field(client, administrator_user, log):
    response = signed_in(client, administrator_user).get(reverse("audit:log"), {"date_from": "31/02/2017"})
    assert response.status_code == 200
    assert html.texts(html.page(response), '//*[contains(@class, "govuk-error-message")]') == [
        "Error: Enter a valid date."
    ]


def test_the_csv_holds_the_filtered_lines_made_safe_and_is_itself_logged(
    client, administrator_user, users_by_role, log
):
    chair = users_by_role["sog_chair"]
    signed_in(client, administrator_user)
    response = client.get(reverse("audit:export-csv"), {"user": chair.pk, "kind": "download"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mappa-audit-log-')
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:4] == ["When", "Username", "What", "Record"]
    assert [row[1:4] for row in table[1:]] == [["t-chair-fife", "Downloaded", '\'=HYPERLINK("http://x")']]

    exported = only_line(Kind.EXPORT_AUDIT)
    assert (exported.user, exported.ip_address, exported.format) == (administrator_user, "192.0.2.9", "csv")
    assert exported.details == {"filters": {"user": str(chair.pk), "kind": "download"}}


@pytest.mark.parametrize("role", ["secretariat", "sog_chair", "nsg_member", "inspector"])
def test_no_one_else_opens_the_log_or_its_csv(client, users_by_role, role, log):
    signed_in(client, users_by_role[role])
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export-csv")).status_code == 403
    assert lines(Kind.EXPORT_AUDIT) == []
    # Nor is it offered in the navigation.
    assert "Audit log" not in html.texts(html.page(client.get(reverse("home"))), "//nav//a")


def test_the_secretariats_lead_given_the_right_reads_it_and_nothing_more(client, users_by_role, log):
    lead = users_by_role["secretariat"]
    lead.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    signed_in(client, lead)

    # Their account page leads there (the navigation offers it to administrators only: checking
    # a permission on every page would cost every page two queries).
    account = html.page(client.get(reverse("account")))
    assert html.one(account, '//a[normalize-space()="the audit log"]').get("href") == reverse("audit:log")
    assert "Audit log" not in html.texts(html.page(client.get(reverse("home"))), "//nav//a")
    assert client.get(reverse("audit:log")).status_code == 200
    assert client.get(reverse("audit:export-csv")).status_code == 200
    # Reading only: the right never lets anyone write through the page.
    assert client.post(reverse("audit:log")).status_code == 403


def test_the_administrator_finds_it_in_the_navigation(client, administrator_user):
    page = html.page(signed_in(client, administrator_user).get(reverse("home")))
    assert "Audit log" in html.texts(page, "//nav//a")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_route_changes_a_line(client, administrator_user, log, method):
    signed_in(client, administrator_user)
    before = list(AuditEvent.objects.values_list("pk", "kind", "label"))
    for url in (reverse("audit:log"), reverse("audit:export-csv")):
        assert getattr(client, method)(url).status_code in (403, 405)
    assert list(AuditEvent.objects.values_list("pk", "kind", "label")) == before


@pytest.mark.parametrize(
    "params",
    [
        {"user": "not-a-number"},
        {"user": "999999"},
        {"kind": "everything'); DROP TABLE audit_auditevent;--"},
        {"date_from": "2017-02-31", "date_to": "yesterday"},
        {"record": "\x00" + "x" * 5000},
        {"page": "-1"},
    ],
)
def test_odd_filters_are_shown_as_errors_and_the_csv_goes_back_to_the_page(client, administrator_user, log, params):
    signed_in(client, administrator_user)
    page = client.get(reverse("audit:log"), params)
    assert page.status_code in (200, 400)
    download = client.get(reverse("audit:export-csv"), params)
    assert download.status_code in (200, 302, 400)
    if download.status_code == 302:
        assert download["Location"].startswith(reverse("audit:log"))
        assert lines(Kind.EXPORT_AUDIT) == []
