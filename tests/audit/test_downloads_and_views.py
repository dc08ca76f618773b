"""Each download of a document or export, and each opening of a return or case review record, is a
line of the audit log naming who, the record, the format and the filters given; a refusal is not."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from mappa.models import Person
from meetings.models import Meeting
from papers import services as paper_services
from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod
from tests.audit.helpers import ADDRESS, REQUEST_ID, Kind, get, lines, only_line
from tests.papers.test_papers import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """The whole demo world, as `python manage.py seed_demo` loads it: its logins by username."""
    call_command("seed_demo", stdout=io.StringIO())
    return {person.user.username: person.user for person in Person.objects.exclude(user=None)}


@pytest.fixture
def secretariat(client, world):
    client.force_login(world["secretariat"])
    return client


def fife_return(slug="2017-18-q2"):
    return QuarterlyReturn.objects.get(area__slug="fife", period=ReportingPeriod.objects.by_slug(slug))


def assert_line(line, *, user, target=None, label=None, format="", filters=None):
    assert line.user == user
    assert line.username == user.get_username()
    assert line.ip_address == ADDRESS
    assert line.request_id == REQUEST_ID
    if target is not None:
        assert (line.content_type.model_class(), line.object_id) == (type(target), str(target.pk))
    if label is not None:
        assert line.label == label
    assert line.format == format
    assert line.details.get("filters", {}) == (filters or {})


def test_downloading_the_minutes_names_the_meeting_and_the_format(secretariat, world):
    meeting = Meeting.objects.order_by("pk").first()
    user = world["secretariat"]

    assert get(secretariat, reverse("meetings:minutes-pdf", kwargs={"pk": meeting.pk})).status_code == 200
    assert get(secretariat, reverse("meetings:minutes-docx", kwargs={"pk": meeting.pk})).status_code == 200
    assert get(secretariat, reverse("meetings:agenda-pdf", kwargs={"pk": meeting.pk})).status_code == 200

    pdf, docx, agenda = lines(Kind.DOWNLOAD)
    assert_line(pdf, user=user, target=meeting, label=str(meeting), format="pdf")
    assert pdf.details["document"] == "minutes"
    assert_line(docx, user=user, target=meeting, format="docx")
    assert_line(agenda, user=user, target=meeting, format="pdf")
    assert agenda.details["document"] == "agenda"


def test_downloading_a_paper_names_the_paper_its_version_and_its_format(secretariat, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = Meeting.objects.order_by("pk").first()
    item = meeting.agenda_items.order_by("pk").first()
    user = world["secretariat"]
    paper = paper_services.add_paper(
        item, by=user, title="Level 1 practice standards", upload=SimpleUploadedFile("level-1.pdf", pdf_bytes())
    )

    url = reverse("papers:download", kwargs={"pk": meeting.pk, "paper_pk": paper.pk})
    assert get(secretariat, url).status_code == 200
    assert get(secretariat, reverse("papers:pack", kwargs={"pk": meeting.pk})).status_code == 200

    paper_line, pack_line = lines(Kind.DOWNLOAD)
    assert_line(paper_line, user=user, target=paper, label="Level 1 practice standards", format="pdf")
    assert paper_line.details == {"version": 1, "filename": "level-1.pdf"}
    assert_line(pack_line, user=user, target=meeting, format="pdf")
    assert pack_line.details == {"document": "agenda pack"}


def test_exporting_the_action_log_keeps_the_filters_given(secretariat, world):
    user = world["secretariat"]
    filters = {"status": "open", "sort": "owner", "q": "guidance"}
    for url, format in (("/actions.csv", "csv"), ("/actions.xlsx", "xlsx"), ("/actions.pdf", "pdf")):
        assert get(secretariat, url, filters).status_code == 200
        line = lines(Kind.DOWNLOAD)[-1]
        assert_line(line, user=user, label="Action log", format=format, filters=filters)


def test_a_filter_holding_a_nul_character_is_kept_without_it(secretariat, world):
    # The export ignores an unknown sort; the line keeps what was sent, less the character that
    # PostgreSQL's JSON cannot hold.
    assert get(secretariat, "/actions.csv", {"sort": "\x00owner"}).status_code == 200
    line = lines(Kind.DOWNLOAD)[-1]
    assert_line(line, user=world["secretariat"], label="Action log", format="csv", filters={"sort": "owner"})


def test_downloading_the_action_plan_keeps_the_day_asked_for(secretariat, world):
    user = world["secretariat"]
    assert get(secretariat, reverse("recommendations:plan-xlsx"), {"as_at": "2017-11-01"}).status_code == 200
    line = only_line(Kind.DOWNLOAD)
    assert_line(line, user=user, label="Action plan", format="xlsx", filters={"as_at": "2017-11-01"})


def test_dashboard_downloads_keep_their_filters_and_bad_filters_are_not_a_download(client, world):
    inspector = world["inspector"]
    client.force_login(inspector)
    filters = {"from": "2017-18-q1", "to": "2017-18-q3"}
    assert get(client, "/dashboard/actions-by-group.csv", filters).status_code == 200
    line = only_line(Kind.DOWNLOAD)
    assert_line(line, user=inspector, label="Dashboard table: actions-by-group", format="csv", filters=filters)
    assert line.details["table"] == "actions-by-group"

    # Filters the page refuses send the download back to the page: nothing was downloaded.
    assert get(client, "/dashboard/report.pdf", {"from": "not-a-quarter"}).status_code == 302
    assert len(lines(Kind.DOWNLOAD)) == 1


def test_the_case_review_table_names_its_quarter(secretariat, world):
    user = world["secretariat"]
    assert get(secretariat, "/returns/2017-18-q2/case-review-table.pdf").status_code == 200
    line = only_line(Kind.DOWNLOAD)
    assert_line(line, user=user, label="2017-18 Q2", format="pdf")
    assert line.details == {"document": "case review table"}


def test_opening_a_return_is_a_view_naming_the_return_and_the_version_seen(client, world):
    chair = world["chair-fife"]
    client.force_login(chair)
    ret = fife_return()
    assert get(client, ret.get_absolute_url()).status_code == 200

    line = only_line(Kind.VIEW)
    assert_line(line, user=chair, target=ret, label="Fife, 2017-18 Q2")
    # The version seen: django-simple-history's latest version of the return, as it was.
    assert line.history_id == ret.history.latest().history_id
    assert line.details == {"page": "return"}


def test_opening_a_case_review_record_is_a_view(client, world):
    chair = world["chair-fife"]
    client.force_login(chair)
    review = CaseReview.objects.filter(area__slug="fife").order_by("pk").first()
    assert get(client, reverse("case_reviews:detail", kwargs={"pk": review.pk})).status_code == 200

    line = only_line(Kind.VIEW)
    assert_line(line, user=chair, target=review, label=review.reference)
    assert line.history_id == review.history.latest().history_id


def test_a_refused_record_is_not_a_view(client, world):
    """Glasgow's chair asking for Fife's return gets 'not found', and the log says nothing was seen."""
    client.force_login(world["chair-glasgow"])
    ret = fife_return()
    assert get(client, ret.get_absolute_url()).status_code == 404
    assert lines(Kind.VIEW) == []


def test_a_head_request_serves_nothing_to_read_and_is_not_recorded(secretariat):
    assert secretariat.head("/actions.csv").status_code == 200
    assert lines(Kind.DOWNLOAD) == []


def test_every_document_view_is_audited():
    """Each route that serves a document or export, or a return or case review record, records itself."""
    from django.urls import resolve

    audited = {
        "/meetings/1/minutes.pdf": Kind.DOWNLOAD,
        "/meetings/1/minutes.docx": Kind.DOWNLOAD,
        "/meetings/1/agenda.pdf": Kind.DOWNLOAD,
        "/meetings/1/invite.ics": Kind.DOWNLOAD,
        "/meetings/1/pack.pdf": Kind.DOWNLOAD,
        "/actions.pdf": Kind.DOWNLOAD,
        "/actions.xlsx": Kind.DOWNLOAD,
        "/actions.csv": Kind.DOWNLOAD,
        "/dashboard/report.pdf": Kind.DOWNLOAD,
        "/dashboard/export.xlsx": Kind.DOWNLOAD,
        "/dashboard/actions-by-group.csv": Kind.DOWNLOAD,
        "/returns/2017-18-q2/case-review-table.pdf": Kind.DOWNLOAD,
        "/returns/2017-18-q2/fife/": Kind.VIEW,
        "/returns/2017-18-q2/fife/history/": Kind.VIEW,
        "/case-reviews/1/": Kind.VIEW,
    }
    for name in ("papers:download", "papers:download-version"):
        audited[reverse(name, kwargs={"pk": 1, "paper_pk": 1, **({"number": 1} if "version" in name else {})})] = (
            Kind.DOWNLOAD
        )
    for name in ("recommendations:plan-pdf", "recommendations:plan-xlsx"):
        audited[reverse(name)] = Kind.DOWNLOAD
    for path, kind in audited.items():
        assert getattr(resolve(path).func, "audit_kind", None) == kind, path
    assert AuditEvent.objects.count() == 0
