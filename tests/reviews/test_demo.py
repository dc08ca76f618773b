"""The demo world's returns follow the SOG chairs' updates in the 2017 NSG minutes."""

from datetime import date

import pytest

from demo import world as demo_world
from demo.returns import seed_returns
from reviews.models import CaseReview, QuarterlyReturn, ReportingPeriod
from reviews.selectors.history import return_history
from reviews.selectors.matrix import late_returns

pytestmark = pytest.mark.django_db
S = QuarterlyReturn.Status


@pytest.fixture
def world(db):
    return seed_returns(demo_world.seed_core())


def figures(ret):
    return (ret.initial_icrs_processed, ret.progressed_to_full_icr)


def test_periods_run_from_2016_17_q3_to_2017_18_q3(world):
    assert [p.label for p in ReportingPeriod.objects.all()] == [
        "2016-17 Q3",
        "2016-17 Q4",
        "2017-18 Q1",
        "2017-18 Q2",
        "2017-18 Q3",
    ]


def test_the_figures_come_from_the_minutes(world):
    r = world.returns
    assert figures(r["fife/2017-18-q2"]) == (10, 4)
    lanarkshire = r["lanarkshire/2017-18-q2"]
    assert figures(lanarkshire) == (4, 0) and lanarkshire.icrs_from_proactive_policing == 4
    assert lanarkshire.theme_keys == ["internet_offending", "contact_offending"]
    assert figures(r["glasgow/2016-17-q4"]) == (3, 1)  # the corrected May 2017 figure
    assert figures(r["grampian/2017-18-q1"])[0] == 7
    assert figures(r["highland-and-islands/2017-18-q1"])[0] == 4


def test_glasgows_first_figures_were_returned_and_corrected(world):
    versions = return_history(world.returns["glasgow/2016-17-q4"])
    first_submitted = next(v for v in versions if v.status == "Submitted")
    assert any(c.label == "Initial ICRs processed" and c.new == 7 for c in versions[0].changes)
    assert first_submitted.by.username == "chair-glasgow"
    assert [v.status for v in versions][-1] == "Approved"


def test_the_states_the_demo_shows(world):
    statuses = {key: ret.status for key, ret in world.returns.items()}
    assert statuses["forth-valley/2017-18-q2"] == S.RETURNED
    assert statuses["glasgow/2017-18-q3"] == S.SUBMITTED
    assert statuses["fife/2017-18-q3"] == S.DRAFT
    late = late_returns(today=date(2018, 3, 1))
    assert [(c.area.name, c.period.label) for c in late] == [("Fife", "2017-18 Q3")]
    assert world.returns["tayside/2017-18-q2"].submitted_on_time() is False
    # Areas are expected only while active: Northern until March 2017, its successors from April.
    assert "northern/2017-18-q1" not in world.returns and "northern/2016-17-q4" in world.returns
    assert "grampian/2016-17-q4" not in world.returns


def test_case_review_records_are_referenced_without_personal_data(world):
    references = set(CaseReview.objects.values_list("reference", flat=True))
    assert {"FIF-2017-001", "FIF-2017-002", "HI-2017-001", "FV-2016-001", "GLA-2017-002"} <= references
    assert CaseReview.objects.get(reference="FIF-2017-002").progressed_from.reference == "FIF-2017-001"


def test_no_demo_text_looks_like_personal_data(world):
    from reviews.rules import TEXT_FIELDS, personal_data_found

    for ret in QuarterlyReturn.objects.all():
        for name in TEXT_FIELDS:
            assert personal_data_found(getattr(ret, name)) == [], (ret, name)


def test_seeding_again_changes_nothing(world):
    before = (QuarterlyReturn.history.count(), list(QuarterlyReturn.objects.order_by("pk").values()))
    seed_returns(demo_world.seed_core())
    assert (QuarterlyReturn.history.count(), list(QuarterlyReturn.objects.order_by("pk").values())) == before
