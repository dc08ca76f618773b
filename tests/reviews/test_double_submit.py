"""Every form of the reviews app that creates something saves once, however often it is sent (issue 11).

Case review records, reporting periods, a section of a return and a nil return (the
first save creates the return; each save is a version in its history), the national
case review table into a meeting's papers, and the areas' updates into the SOG chairs'
minute. The checks are tests/double_submit.py's, as for every creating form.
"""

from datetime import date

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from papers.models import PaperVersion
from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod
from tests import double_submit
from tests.double_submit import Form, signed_in
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.reviews.factories import CASE_REVIEWS, ReportingPeriodFactory, approved
from tests.reviews.test_case_reviews import FORM as CASE_REVIEW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def case_review(request):
    fife = request.getfixturevalue("fife")
    url = reverse("case_reviews:create")
    data = {**CASE_REVIEW, "area": fife.pk}
    return Form(
        signed_in(request, "chair_user"),
        url,
        url,
        data,
        CaseReview.objects.count,
        other={**data, "commissioned_on_0": "17"},
        wrong={**data, "review_type": ""},
    )


def period(request):
    url = "/returns/periods/new/"
    return Form(
        signed_in(request),
        url,
        url,
        {"year": "2018", "quarter": "1"},
        ReportingPeriod.objects.count,
        other={"year": "2018", "quarter": "2"},
        wrong={"year": "", "quarter": "1"},
    )


def return_section(request):
    fife = request.getfixturevalue("fife")
    quarter = ReportingPeriodFactory(year=2017, quarter=2)
    url = reverse("reviews:return-edit", kwargs={"period": quarter.slug, "area": fife.slug, "section": "case-reviews"})

    def versions():
        return QuarterlyReturn.history.filter(area=fife, period=quarter).count()

    return Form(
        signed_in(request, "chair_user"),
        url,
        url,
        CASE_REVIEWS,
        versions,
        other={**CASE_REVIEWS, "initial_icrs_processed": "11"},
        wrong={**CASE_REVIEWS, "initial_icrs_processed": "-3"},
    )


def nil_return(request):
    fife = request.getfixturevalue("fife")
    quarter = ReportingPeriodFactory(year=2017, quarter=2)
    where = {"period": quarter.slug, "area": fife.slug}

    def versions():
        return QuarterlyReturn.history.filter(area=fife, period=quarter).count()

    return Form(
        signed_in(request, "chair_user"),
        reverse("reviews:return-detail", kwargs=where),
        reverse("reviews:return-nil", kwargs=where),
        {},
        versions,
    )


def _sog_updates_item(meeting):
    return AgendaItemFactory(
        meeting=meeting,
        position=2,
        kind=AgendaItem.Kind.SOG_UPDATES,
        title="Update from Strategic Oversight Group Chairs, including SCRs/ICRs",
    )


def case_review_table(request):
    quarter = ReportingPeriodFactory(year=2017, quarter=2)
    november, february = (
        MeetingFactory(date=day, status=Meeting.Status.AGENDA_ISSUED) for day in (date(2017, 11, 8), date(2018, 2, 21))
    )
    for meeting in (november, february):
        _sog_updates_item(meeting)
    url = f"/returns/{quarter.slug}/case-review-table/"
    return Form(
        signed_in(request),
        url,
        url,
        {"meeting": november.pk},
        PaperVersion.objects.count,
        other={"meeting": february.pk},
        wrong={"meeting": ""},
    )


def sog_updates(request):
    secretariat, fife = request.getfixturevalue("secretariat_user"), request.getfixturevalue("fife")
    quarter = ReportingPeriodFactory(year=2017, quarter=2)
    approved(fife, quarter, secretariat, secretariat, narrative="Of the 10 initial ICRs processed, 4 progressed.")
    item = _sog_updates_item(MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD))

    def saves():
        item.refresh_from_db()
        return item.version - 1

    return Form(
        signed_in(request),
        f"/meetings/{item.meeting_id}/minutes/{item.pk}/",
        f"/meetings/{item.meeting_id}/minutes/{item.pk}/sog-updates/",
        {"period": quarter.slug, "version": "1"},
        saves,
        wrong={"period": "", "version": "1"},
    )


FORMS = [case_review, period, return_section, nil_return, case_review_table, sog_updates]
# The same page sent with other content: a nil return has none, and the minute's version check
# refuses other updates from a page drawn before the first went in.
NO_OTHER_CONTENT = (nil_return, sog_updates)


def forms(*leaving_out):
    return [pytest.param(build, id=build.__name__) for build in FORMS if build not in leaving_out]


@pytest.mark.parametrize("build", forms())
def test_sent_twice_it_saves_once_and_lands_on_the_first(request, build):
    double_submit.sent_twice_saves_once(build(request))


@pytest.mark.parametrize("build", forms(*NO_OTHER_CONTENT))
def test_the_same_page_sent_with_other_content_saves_again(request, build):
    double_submit.other_content_saves_again(build(request))


@pytest.mark.parametrize("build", forms(nil_return))  # nothing to get wrong in a nil return
def test_a_form_with_errors_does_not_use_up_its_token(request, build):
    double_submit.errors_keep_the_token(build(request))


@pytest.mark.parametrize("build", forms())
def test_sent_twice_at_the_same_moment_it_saves_once(transactional_db, request, build):
    double_submit.at_once_saves_once(build(request))
