"""A SOG chair fills in their area's return section by section, and is told clearly what is wrong.

Every error is a GOV.UK message next to the field and in the error summary, and
everything typed stays in the form.
"""

import pytest
from django.urls import reverse

from reviews.models import QuarterlyReturn
from tests import html
from tests.reviews.factories import CASE_REVIEWS, CATEGORY_3, LEARNING, NARRATIVE, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    return ReportingPeriodFactory(year=2017, quarter=2)


@pytest.fixture
def chair(client, chair_user):
    client.force_login(chair_user)
    return client


def edit_url(period, area, section):
    return reverse("reviews:return-edit", kwargs={"period": period.slug, "area": area.slug, "section": section})


def post(client, period, area, section, data, query=""):
    return client.post(edit_url(period, area, section) + query, data)


def page_text(response):
    return html.text(html.page(response))


def errors_of(response):
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


def test_the_chair_saves_each_section_and_continues_to_the_next_then_checks_their_answers(chair, fife, period):
    steps = [
        ("case-reviews", CASE_REVIEWS, "category-3"),
        ("category-3", CATEGORY_3, "narrative"),
        ("narrative", NARRATIVE, "learning"),
    ]
    for section, data, following in steps:
        response = post(chair, period, fife, section, data)
        assert response.status_code == 302
        assert response["Location"] == edit_url(period, fife, following)
    response = post(chair, period, fife, "learning", LEARNING)
    assert response["Location"] == reverse("reviews:return-check", kwargs={"period": period.slug, "area": fife.slug})

    ret = QuarterlyReturn.objects.get(area=fife, period=period)
    assert ret.status == QuarterlyReturn.Status.DRAFT
    assert (ret.initial_icrs_processed, ret.progressed_to_full_icr) == (10, 4)
    assert ret.theme_internet_offending and not ret.theme_contact_offending
    assert ret.category3_decline_reasons == "Risk judged manageable by a single agency."
    assert ret.sections_saved == ["case-reviews", "category-3", "learning", "narrative"]
    # The first save started the draft, and says who started it.
    assert list(ret.transitions.values_list("from_status", "to_status", "by__username")) == [
        ("not_started", "draft", "t-chair-fife")
    ]


def test_a_change_link_from_check_your_answers_returns_there_after_saving(chair, fife, period):
    response = post(chair, period, fife, "narrative", NARRATIVE, query="?return_to=check")
    assert response["Location"] == reverse("reviews:return-check", kwargs={"period": period.slug, "area": fife.slug})


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("initial_icrs_processed", "-3", "The number of initial ICRs processed must be 0 or more"),
        ("scrs_completed", "two", "The number of SCRs completed must be a whole number, like 4"),
        ("scrs_commissioned", "", "Enter the number of SCRs commissioned, or 0 if there were none"),
    ],
)
def test_a_negative_missing_or_non_numeric_figure_is_refused_and_what_was_typed_is_kept(
    chair, fife, period, field, typed, message
):
    response = post(chair, period, fife, "case-reviews", {**CASE_REVIEWS, field: typed})
    assert response.status_code == 200
    assert errors_of(response) == {field: [message]}
    markup = response.content.decode()
    assert "There is a problem" in markup and message in markup
    assert f'name="{field}" value="{typed}"' in markup or (typed == "" and f'name="{field}"' in markup)
    assert (
        'name="initial_icrs_processed" value="{}"'.format("-3" if field == "initial_icrs_processed" else "10") in markup
    )
    assert response.context["form"]["theme_other_text"].value() == ""
    assert not QuarterlyReturn.objects.exists()


def test_more_progressed_to_full_icr_than_initial_icrs_is_refused(chair, fife, period):
    response = post(chair, period, fife, "case-reviews", {**CASE_REVIEWS, "progressed_to_full_icr": "12"})
    assert errors_of(response) == {
        "progressed_to_full_icr": [
            "ICRs progressed to full ICR (12) cannot be more than the initial ICRs processed (10)"
        ]
    }
    assert 'value="12"' in response.content.decode()


def test_more_scrs_commissioned_than_full_and_initial_icrs_together_is_refused(chair, fife, period):
    response = post(
        chair,
        period,
        fife,
        "case-reviews",
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "2",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "0",
            "scrs_commissioned": "4",
        },
    )
    assert errors_of(response) == {
        "scrs_commissioned": [
            "SCRs commissioned (4) cannot be more than the full ICRs and initial ICRs processed together (3)"
        ]
    }


def test_more_proactive_policing_icrs_than_initial_icrs_is_refused(chair, fife, period):
    response = post(chair, period, fife, "case-reviews", {**CASE_REVIEWS, "icrs_from_proactive_policing": "11"})
    assert list(errors_of(response)) == ["icrs_from_proactive_policing"]


def test_accepted_and_declined_referrals_cannot_exceed_those_received(chair, fife, period):
    response = post(
        chair,
        period,
        fife,
        "category-3",
        {**CATEGORY_3, "category3_received": "3", "category3_accepted": "3", "category3_declined": "2"},
    )
    assert errors_of(response) == {
        "category3_declined": [
            "Referrals accepted and declined together (5) cannot be more than the referrals received (3)"
        ]
    }


def test_declined_referrals_need_the_main_reasons(chair, fife, period):
    response = post(chair, period, fife, "category-3", {**CATEGORY_3, "category3_decline_reasons": ""})
    assert errors_of(response) == {"category3_decline_reasons": ["Enter the main reasons for declining referrals"]}


def test_a_theme_ticked_with_no_case_reviews_is_refused(chair, fife, period):
    zero = {
        **CASE_REVIEWS,
        "initial_icrs_processed": "0",
        "progressed_to_full_icr": "0",
        "icrs_from_proactive_policing": "0",
        "themes": ["housing", "young_people"],
    }
    response = post(chair, period, fife, "case-reviews", zero)
    assert errors_of(response) == {
        "themes": [
            "You reported no case reviews, so no theme can apply: enter the number of case reviews, or untick the themes"
        ]
    }
    assert html.checked(html.page(response), "themes") == ["housing", "young_people"]


def test_other_theme_needs_words(chair, fife, period):
    response = post(chair, period, fife, "case-reviews", {**CASE_REVIEWS, "themes": ["other"]})
    assert errors_of(response) == {"theme_other_text": ["Enter the other theme"]}


def test_text_over_its_limit_is_refused_with_the_limit_named_and_kept(chair, fife, period):
    long = "The SOG met. " * 400  # 5,200 characters
    response = post(chair, period, fife, "narrative", {"narrative": long})
    assert errors_of(response) == {"narrative": ["Update for the NSG must be 5,000 characters or fewer"]}
    assert response.context["form"]["narrative"].value() == long
    # The browser does not cut it short: the character count tells the chair instead.
    assert "maxlength" not in response.content.decode().split('name="narrative"')[1].split(">")[0]
    assert 'data-maxlength="5000"' in response.content.decode()


def test_the_update_for_the_nsg_is_required(chair, fife, period):
    response = post(chair, period, fife, "narrative", {"narrative": "  "})
    assert errors_of(response) == {"narrative": ["Enter the update for the NSG"]}


def test_an_unknown_section_is_not_found(chair, fife, period):
    assert chair.get(edit_url(period, fife, "offenders")).status_code == 404


def test_the_form_shows_the_saved_answers_when_opened_again(chair, fife, period):
    post(chair, period, fife, "case-reviews", {**CASE_REVIEWS, "themes": ["internet_offending", "housing"]})
    response = chair.get(edit_url(period, fife, "case-reviews"))
    form = response.context["form"]
    assert form["initial_icrs_processed"].value() == 10
    assert form["themes"].value() == ["internet_offending", "housing"]
