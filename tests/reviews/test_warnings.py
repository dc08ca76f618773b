"""Figures that jump or vanish, and text that looks like an offender's details, need a second look.

A warning does not refuse the answers: it asks the chair to tick "I have checked
these figures" (or that the text holds no offender details). A tick is
remembered for exactly those answers, so the check-your-answers page does not
ask again, but changing a figure asks afresh. Offender details that cannot be
saved at all (a date of birth, a ViSOR, CHS, PNC or CRO number) and the softer
text hints are tested in test_personal_data.py.
"""

import pytest
from django.urls import reverse

from reviews import rules
from reviews.models import QuarterlyReturn
from reviews.selectors.returns import previous_approved
from reviews.services.returns import ReturnRefused, submit_return
from tests.reviews.factories import CASE_REVIEWS, NARRATIVE, POSTS, approved, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(client, chair_user):
    client.force_login(chair_user)
    return client


def url(period, area, section):
    return reverse("reviews:return-edit", kwargs={"period": period.slug, "area": area.slug, "section": section})


def test_a_figure_that_more_than_doubles_needs_the_chair_to_confirm_it(chair, fife, periods, last_quarter):
    q2 = periods[1]
    response = chair.post(
        url(q2, fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "9",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "3",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The number of initial ICRs processed has more than doubled, from 4 in 2017-18 Q1 to 9." in html
    assert "I have checked these figures" in html
    assert response.context["form"].errors == {
        "confirm": ["Check the warnings below, then tick “I have checked these figures”"]
    }
    assert 'name="initial_icrs_processed" value="9"' in html  # kept
    assert not QuarterlyReturn.objects.filter(period=q2).exists()

    response = chair.post(
        url(q2, fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "9",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "3",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    ret = QuarterlyReturn.objects.get(period=q2)
    assert ret.initial_icrs_processed == 9
    assert ret.confirmed_warnings == ["initial_icrs_processed:doubled:4:9"]


def test_a_figure_that_falls_to_zero_needs_confirming(chair, fife, periods, last_quarter):
    response = chair.post(
        url(periods[1], fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "4",
            "progressed_to_full_icr": "0",
            "icrs_from_proactive_policing": "3",
            "themes": ["internet_offending"],
        },
    )
    assert (
        "The number of ICRs progressed to full ICR has fallen to 0 (it was 1 in 2017-18 Q1)."
        in response.content.decode()
    )


def test_exactly_double_or_a_first_return_raises_no_warning(chair, fife, periods, last_quarter):
    response = chair.post(
        url(periods[1], fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "8",
            "progressed_to_full_icr": "2",
            "icrs_from_proactive_policing": "6",
        },
    )
    assert response.status_code == 302
    # No previous approved return: nothing to compare with.
    assert rules.figure_warnings({"initial_icrs_processed": 50}, None) == []


def test_only_an_approved_earlier_return_is_compared(fife, periods, chair_user):
    complete(QuarterlyReturn(area=fife, period=periods[0]), chair_user)  # a draft: not approved
    assert previous_approved(fife, periods[1]) is None


def test_the_check_page_asks_for_a_tick_for_warnings_not_yet_confirmed(
    chair, fife, periods, chair_user, secretariat_user
):
    """Figures saved before the previous quarter was approved are checked again at submission."""
    q2 = complete(QuarterlyReturn(area=fife, period=periods[1]), chair_user, initial_icrs_processed=10)
    q2.confirmed_warnings = []
    q2.save()
    approved(
        fife,
        periods[0],
        chair_user,
        secretariat_user,
        initial_icrs_processed=4,
        progressed_to_full_icr=1,
        icrs_from_proactive_policing=3,
    )
    check = reverse("reviews:return-check", kwargs={"period": periods[1].slug, "area": fife.slug})
    submit = reverse("reviews:return-submit", kwargs={"period": periods[1].slug, "area": fife.slug})
    html = chair.get(check).content.decode()
    assert "more than doubled, from 4 in 2017-18 Q1 to 10" in html
    assert "I have checked these figures" in html

    response = chair.post(submit)
    assert response.status_code == 400
    assert "Confirm: tick “I have checked these figures”" in response.content.decode()
    assert QuarterlyReturn.objects.get(pk=q2.pk).status == "draft"

    response = chair.post(submit, {"confirm": "on"})
    assert response.status_code == 302
    q2.refresh_from_db()
    assert q2.status == "submitted"
    with pytest.raises(ReturnRefused):
        submit_return(q2, by=chair_user)


def test_a_confirmed_text_is_not_asked_about_again(chair, fife, periods):
    text = {"narrative": "DOB is not recorded by the SOG."}
    chair.post(url(periods[1], fife, "narrative"), {**text, "confirm": "on"})
    for slug in ("case-reviews", "category-3", "learning"):
        chair.post(url(periods[1], fife, slug), POSTS[slug])
    check = reverse("reviews:return-check", kwargs={"period": periods[1].slug, "area": fife.slug})
    assert "Check these answers before you continue" not in chair.get(check).content.decode()
    assert chair.post(url(periods[1], fife, "narrative"), NARRATIVE).status_code == 302
