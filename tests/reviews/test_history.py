"""Every saved version of a return is kept, and what changed between versions can be read as a diff."""

import pytest
from django.urls import reverse

from reviews.models import QuarterlyReturn
from reviews.selectors.history import return_history
from reviews.services.returns import save_section, send_back, submit_return
from tests.reviews.factories import ReportingPeriodFactory, complete, section_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def amended(fife, chair_user, secretariat_user):
    """Fife's return: submitted with 10 and 4, returned, amended to 10 and 3 with a longer update, resubmitted."""
    period = ReportingPeriodFactory(year=2017, quarter=2)
    ret = submit_return(complete(QuarterlyReturn(area=fife, period=period), chair_user), by=chair_user)
    ret = send_back(ret, by=secretariat_user, comments={"case-reviews": "Check the full ICRs."})
    ret = save_section(ret, "case-reviews", section_values("case-reviews", progressed_to_full_icr="3"), by=chair_user)
    ret = save_section(
        ret,
        "narrative",
        {"narrative": "Of the 10 initial ICRs processed, 3 progressed to full ICR.\nA file audit is planned."},
        by=chair_user,
    )
    return submit_return(ret, by=chair_user)


def test_each_save_and_step_is_a_version_with_its_author(amended):
    versions = return_history(amended)
    assert [v.status for v in versions] == [
        "Draft",
        "Draft",
        "Draft",
        "Draft",
        "Submitted",
        "Returned for amendment",
        "Returned for amendment",
        "Returned for amendment",
        "Resubmitted",
    ]
    assert [v.by.username for v in versions][-5:] == [
        "t-chair-fife",
        "t-secretariat",
        "t-chair-fife",
        "t-chair-fife",
        "t-chair-fife",
    ]


def test_a_changed_figure_shows_old_and_new_and_a_changed_text_shows_lines_removed_and_added(amended):
    versions = return_history(amended)
    figures = versions[6].changes
    assert [(c.label, c.old, c.new) for c in figures] == [("Progressed to full ICR", 4, 3)]
    (narrative,) = versions[7].changes
    assert narrative.label == "Update for the NSG"
    assert narrative.lines == [
        ("removed", "Of the 10 initial ICRs processed, 4 progressed to full ICR."),
        ("added", "Of the 10 initial ICRs processed, 3 progressed to full ICR."),
        ("added", "A file audit is planned."),
    ]
    status = versions[-1].changes
    assert [(c.label, c.old, c.new) for c in status] == [("Status", "Returned for amendment", "Resubmitted")]


def test_the_history_page_shows_the_diff_and_every_step(client, amended, secretariat_user):
    client.force_login(secretariat_user)
    html = client.get(
        reverse("reviews:return-history", kwargs={"period": amended.period.slug, "area": amended.area.slug})
    ).content.decode()
    assert "Every version of the return, and what changed" in html
    assert '<span class="govuk-visually-hidden">removed: </span>Of the 10 initial ICRs processed, 4 progressed' in html
    assert '<span class="govuk-visually-hidden">added: </span>A file audit is planned.' in html
    assert "Check the full ICRs." in html  # the section comment, in the table of steps
    assert html.index("Version 9") < html.index("Version 1 ")  # newest first


def test_the_chair_reads_their_own_returns_history(client, amended, chair_user):
    client.force_login(chair_user)
    url = reverse("reviews:return-history", kwargs={"period": amended.period.slug, "area": amended.area.slug})
    assert client.get(url).status_code == 200
