"""The action plan: as it stands, as it stood, what changed, where the two tracks disagree, and its documents."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from mappa.spreadsheets import safe_cell
from recommendations.models import Assessment, StatusUpdate
from recommendations.selectors import action_plan
from tests.recommendations.factories import (
    AssessmentFactory,
    InspectionFactory,
    RecommendationFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db
S, P = StatusUpdate.Status, StatusUpdate.Progress


@pytest.fixture
def history():
    """Recommendation 1 moves from some progress to met; recommendation 2 starts late."""
    review = InspectionFactory(title="Joint Thematic Review of MAPPA in Scotland")
    era = RecommendationFactory(inspection=review, number=1, short_title="ERA standards")
    visor = RecommendationFactory(inspection=review, number=2, short_title="ViSOR")
    StatusUpdateFactory(
        recommendation=era, as_of=date(2017, 2, 16), status=S.ON_HOLD, progress=P.SOME, narrative="SLWG to reconvene."
    )
    StatusUpdateFactory(
        recommendation=era,
        as_of=date(2017, 5, 31),
        status=S.ON_TARGET,
        progress=P.SIGNIFICANT,
        narrative="Draft standards out for consultation.",
    )
    StatusUpdateFactory(
        recommendation=era,
        as_of=date(2017, 11, 8),
        status=S.MET,
        progress=P.COMPLETE,
        completion_date=date(2017, 11, 8),
        narrative="Guidance agreed.",
    )
    StatusUpdateFactory(
        recommendation=visor,
        as_of=date(2017, 5, 31),
        status=S.OUT_OF_TARGET,
        progress=P.SOME,
        narrative="Slow progress.",
    )
    AssessmentFactory(recommendation=era, review__title="MAPPA progress review", grade=Assessment.Grade.PARTIALLY_MET)
    return era, visor


def plan_on(day):
    return {
        row.recommendation.short_title: (row.update.status if row.update else None) for row in action_plan(as_at=day)
    }


def test_as_at_shows_the_plan_exactly_as_it_stood(history):
    assert plan_on(date(2017, 1, 1)) == {"ERA standards": None, "ViSOR": None}
    assert plan_on(date(2017, 2, 16)) == {"ERA standards": S.ON_HOLD, "ViSOR": None}
    assert plan_on(date(2017, 5, 30)) == {"ERA standards": S.ON_HOLD, "ViSOR": None}
    assert plan_on(date(2017, 5, 31)) == {"ERA standards": S.ON_TARGET, "ViSOR": S.OUT_OF_TARGET}
    assert plan_on(date(2017, 11, 8)) == {"ERA standards": S.MET, "ViSOR": S.OUT_OF_TARGET}


def test_an_inspector_reads_the_plan_as_at_a_date_with_labels_not_just_colours(client, inspector_user, history):
    client.force_login(inspector_user)
    page = client.get("/recommendations/?as_at=2017-06-01").content.decode()
    assert "Action plan as at 1 June 2017" in page
    assert "On target for completion within timescale" in page
    assert "Draft standards out for consultation." in page
    assert "Guidance agreed." not in page
    assert "Not graded" in page  # the inspectors graded it on 29 June
    assert "Partially met" in client.get("/recommendations/?as_at=2017-07-01").content.decode()


def test_filters_and_changes_since_a_date(client, member_user, history):
    client.force_login(member_user)
    page = client.get("/recommendations/?status=out_of_target").content.decode()
    assert "ViSOR" in page and "ERA standards</a>" not in page
    changes = client.get("/recommendations/?since=2017-06-01").content.decode()
    assert "Changes since 1 June 2017" in changes
    assert "Guidance agreed." in changes
    assert "Inspectors' grade — Partially met" in changes
    assert "SLWG to reconvene." not in changes.split("Changes since")[1]


def test_the_status_filter_reads_the_plan_as_at_its_day_and_the_files_filter_as_the_page(client, member_user, history):
    client.force_login(member_user)
    on_target_then = client.get("/recommendations/?status=on_target&as_at=2017-06-01").content.decode()
    assert "ERA standards</a>" in on_target_then and "ViSOR</a>" not in on_target_then
    assert "ERA standards</a>" not in client.get("/recommendations/?status=on_target").content.decode()  # met now
    book = load_workbook(
        BytesIO(client.get("/recommendations/action-plan.xlsx?progress=some&as_at=2017-06-01").content)
    )
    assert [row[2] for row in book.active.iter_rows(min_row=2, values_only=True)] == ["ViSOR"]


def test_a_status_or_progress_band_not_in_the_list_is_ignored(client, member_user, history):
    client.force_login(member_user)
    page = client.get("/recommendations/?status=bogus&progress=%00").content.decode()
    assert "2 recommendations" in page and "There is a problem" not in page


def test_a_bad_as_at_date_is_reported_and_kept(client, member_user, history):
    client.force_login(member_user)
    page = client.get("/recommendations/?as_at=31-02-2017").content.decode()
    assert "There is a problem" in page
    assert 'value="31-02-2017"' in page


def test_divergence_lists_met_versus_partially_met(client, member_user, history):
    client.force_login(member_user)
    page = client.get("/recommendations/divergence/").content.decode()
    assert "ERA standards" in page  # SG: met; inspectors: partially met
    assert "ViSOR</a>" not in page  # not graded, so nothing to compare
    before = client.get("/recommendations/divergence/?as_at=2017-07-01").content.decode()
    assert "The government and the inspectors agree" in before


def test_secretariat_records_an_update_with_validation(client, secretariat_user, history):
    era, visor = history
    client.force_login(secretariat_user)
    StatusUpdateFactory(recommendation=visor, as_of=date(2017, 6, 1), review_date=date(2017, 9, 1))
    form = {
        "as_of_0": "1",
        "as_of_1": "12",
        "as_of_2": "2017",
        "narrative": "Local plans received.",
        "status": "met",
        "progress": "complete",
        "source": "other",
    }
    page = client.post(f"/recommendations/{visor.pk}/updates/new/", form).content.decode()
    assert "There is a problem" in page
    assert "Enter the completion date: the objective is met" in page
    assert "Local plans received." in page
    form.update(status="out_of_target", progress="some")
    page = client.post(f"/recommendations/{visor.pk}/updates/new/", form).content.decode()
    assert "The review date (1 September 2017) has passed: enter a new review date" in page
    form.update({"review_date_0": "31", "review_date_1": "1", "review_date_2": "2018"})
    response = client.post(f"/recommendations/{visor.pk}/updates/new/", form, follow=True)
    assert "Update recorded for recommendation 2." in response.content.decode()
    assert visor.status_updates.latest("as_of").narrative == "Local plans received."


def test_one_grade_per_review(client, secretariat_user, history):
    era, _ = history
    review = era.assessments.get().review
    client.force_login(secretariat_user)
    page = client.post(
        f"/recommendations/{era.pk}/grades/new/",
        {"review": review.pk, "as_of_0": "1", "as_of_1": "7", "as_of_2": "2017", "grade": "fully_met"},
    ).content.decode()
    assert "This recommendation already has a grade from that review" in page


def test_inspectors_cannot_record_updates(client, inspector_user, history):
    era, _ = history
    client.force_login(inspector_user)
    assert client.post(f"/recommendations/{era.pk}/updates/new/", {}).status_code == 403


def test_the_plan_pdf_and_spreadsheet_follow_the_as_at_date(client, member_user, history):
    client.force_login(member_user)
    response = client.get("/recommendations/action-plan.pdf?as_at=2017-06-01")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    assert "Scottish Government Action Plan" in text and "As at 1 June 2017" in text
    assert "Draft standards out for consultation." in text and "Guidance agreed." not in text
    assert "Out with target for completion within timescale" in text
    book = load_workbook(BytesIO(client.get("/recommendations/action-plan.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Number", "Recommendation", "Short title", "SG updates")
    assert rows[1][2] == "ERA standards" and rows[1][7] == "Objective successfully met"


def test_the_printed_plan_builds_each_narrative_over_time_newest_last(client, member_user, history):
    client.force_login(member_user)

    response = client.get("/recommendations/action-plan.pdf?as_at=2017-12-01")

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages).split())
    # Each dated update up to the day, oldest first, as the SG's October 2017 plan reads.
    assert "16 February 2017 SLWG to reconvene." in text
    assert "31 May 2017 Draft standards out for consultation." in text
    assert "8 November 2017 Guidance agreed." in text
    assert (
        text.index("SLWG to reconvene.")
        < text.index("Draft standards out for consultation.")
        < text.index("Guidance agreed.")
    )


def test_a_plan_of_a_past_day_says_that_day_and_the_day_it_was_printed(client, member_user, history):
    client.force_login(member_user)
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        past = client.get("/recommendations/action-plan.pdf?as_at=2017-12-31")
        current = client.get("/recommendations/action-plan.pdf")

    past_text = " ".join(PdfReader(BytesIO(past.content)).pages[0].extract_text().split())
    assert "As at 31 December 2017" in past_text
    assert "Produced on 2 December 2026 by MAPPA Governance, from the plan as it stood on 31 December 2017." in (
        past_text
    )
    assert "December 2026" not in past_text.replace("2 December 2026", "")
    current_text = " ".join(PdfReader(BytesIO(current.content)).pages[0].extract_text().split())
    assert "December 2026" in current_text and "Produced on 2 December 2026" in current_text


def test_spreadsheet_cells_never_run_as_formulae():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1") == "'+1" and safe_cell("-1") == "'-1" and safe_cell("@x") == "'@x"
    assert safe_cell("Guidance agreed.") == "Guidance agreed." and safe_cell(3) == 3


def test_plan_queries_do_not_grow_with_recommendations_and_updates(client, member_user, django_assert_max_num_queries):
    def build(recommendations, updates):
        review = InspectionFactory()
        for number in range(1, recommendations + 1):
            rec = RecommendationFactory(inspection=review, number=number)
            StatusUpdate.objects.bulk_create(
                StatusUpdate(
                    recommendation=rec,
                    as_of=date(2016, 1, 1).replace(month=1 + i % 12, day=1 + i % 28),
                    narrative=f"Update {i}",
                    status=S.ON_TARGET,
                    progress=P.SOME,
                    recorded_by=member_user,
                )
                for i in range(updates)
            )

    def count(url):
        with django_assert_max_num_queries(15) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    client.force_login(member_user)
    build(2, 2)
    small_page, _ = count("/recommendations/")
    small_pdf, _ = count("/recommendations/action-plan.pdf")
    build(50, 40)
    large_page, response = count("/recommendations/")
    large_pdf, _ = count("/recommendations/action-plan.pdf")
    assert "52 recommendations" in response.content.decode()
    assert (large_page, large_pdf) == (small_page, small_pdf)
