"""No offender or victim details in a return or a case review record (issue 13, point 8).

What can only be a person's identifier is an error: a date of birth, a ViSOR, CHS, PNC or
CRO number cannot be saved, whatever is ticked, and what was typed stays in the form.
Softer hints (a mention of a date of birth with no date, a year of birth, a postcode, an
address, a title and a name) stay warnings, confirmed with a box worded for them; the
check-your-answers page lists the warnings confirmed, each linked to its section.
"""

import pytest
from django.urls import reverse

from reviews import rules
from reviews.models import CaseReview, QuarterlyReturn
from reviews.services.case_reviews import create_case_review
from reviews.services.returns import ReturnRefused, save_section
from tests import html
from tests.reviews.factories import (
    CASE_REVIEWS,
    CATEGORY_3,
    LEARNING,
    NARRATIVE,
    POSTS,
    complete,
)
from tests.reviews.test_case_reviews import FORM, record

pytestmark = pytest.mark.django_db

DOB_ERROR = "Remove the date of birth (“DOB 12/03/1985”) from ‘{}’: returns must not hold offender or victim details"
FIGURES_BOX = "I have checked these figures"
TEXT_BOX = "I have checked this text: it holds no offender or victim details"
BOTH_BOX = "I have checked these figures, and this text holds no offender or victim details"


@pytest.fixture
def period(periods):
    return periods[1]


@pytest.fixture
def chair(client, chair_user):
    client.force_login(chair_user)
    return client


def edit_url(period, area, section):
    return reverse("reviews:return-edit", kwargs={"period": period.slug, "area": area.slug, "section": section})


def check_url(period, area):
    return reverse("reviews:return-check", kwargs={"period": period.slug, "area": area.slug})


def error_summary(page):
    """{href: words} of the error summary's links."""
    return {a.get("href"): html.text(a) for a in page.xpath('//div[contains(@class, "govuk-error-summary")]//li/a')}


def field_error(page, name):
    """The error message shown at the field."""
    error = html.one(page, f'//*[@id="div_id_{name}"]//*[contains(@class, "govuk-error-message")]')
    return html.text(error).removeprefix("Error: ")


def typed(page, name):
    """What the field shows: a textarea's text or an input's value."""
    element = html.one(page, f'//*[@name="{name}"][self::textarea or self::input]')
    return element.text_content().strip() if element.tag == "textarea" else element.get("value")


def confirm_box(page):
    return html.text(html.one(page, '//label[@for="id_confirm"]'))


# ----------------------------------------------------------------------------------------------
# The patterns
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "what", "words"),
    [
        ("Subject DOB 12/03/1985 managed at level 2.", "the date of birth", "DOB 12/03/1985"),
        ("D.O.B. 12-3-85", "the date of birth", "D.O.B. 12-3-85"),
        ("The man, born 12.3.85, was reviewed.", "the date of birth", "born 12.3.85"),
        ("date of birth: 12 March 1985", "the date of birth", "date of birth: 12 March 1985"),
        ("J. Smith, b. 12/03/85, level 2", "the date of birth", "b. 12/03/85"),
        ("was born on the 12th of March 1985", "the date of birth", "born on the 12th of March 1985"),
        ("DOB: March 12, 1985", "the date of birth", "DOB: March 12, 1985"),
        ("dob 120385", "the date of birth", "dob 120385"),
        ("Birth date 1 Jan '85", "the date of birth", "Birth date 1 Jan '85"),
        ("Nominal 17/0001234 was discussed.", "the ViSOR reference", "17/0001234"),
        ("ViSOR ref 1234567", "the ViSOR reference", "ViSOR ref 1234567"),
        ("ViSOR no. 1234567", "the ViSOR reference", "ViSOR no. 1234567"),
        ("Subject is VISOR123456.", "the ViSOR reference", "VISOR123456"),
        ("See ViSOR ref: AB1234567.", "the ViSOR reference", "ViSOR ref: AB1234567"),
        ("Case CHS 123456 reviewed.", "the CHS number", "CHS 123456"),
        ("CHS no. 4455667", "the CHS number", "CHS no. 4455667"),
        ("PNC 17/123456A", "the PNC number", "PNC 17/123456A"),
        ("checked 17/123456A on the PNC", "the PNC number", "17/123456A"),
        ("CRO 123456/17X", "the CRO number", "CRO 123456/17X"),
        ("record 123456/17X", "the CRO number", "123456/17X"),
    ],
)
def test_what_can_only_be_a_persons_details_is_an_error(text, what, words):
    assert [(f.what, f.typed) for f in rules.personal_data_errors_in(text)] == [(what, words)]


@pytest.mark.parametrize(
    "text",
    [
        "Four cases were reviewed on 12/03/2017.",
        "At the meeting of 31 May 2017 the SOG agreed the protocol.",
        "A training event was held on 31/03/2017.",
        "In place since 1 April 2007 (the 2005 Act).",
        "dated 12/03/1985",
        "The pilot was born out of the 12/03/2017 review.",
        "a. 5 March 2017: first meeting; b. 12 March 2017: second meeting",
        "b. 12 March 2017: the SOG met.",
        "The SOG reviewed its use of ViSOR terminals.",
        "The ViSOR 2018 upgrade is planned.",
        "Four initial ICRs; the CHS upgrade is due in 2018.",
        "CHS 2018 training",
        "Actions 17/2 and 17/3 are closed; minute 2017/11 agreed.",
        "Case review FIF-2017-003 progressed to full ICR.",
        "Born Free and Dobson Street were not discussed.",
        "8 of 10 ICRs (80%) were completed within 28 days.",
    ],
)
def test_ordinary_dates_and_references_are_not_flagged(text):
    assert rules.personal_data_found(text) == []


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("DOB is not recorded by the SOG.", "a mention of a date of birth"),
        ("The date of birth field was removed from the form.", "a mention of a date of birth"),
        ("The offender was born in 1985.", "a year of birth"),
        ("The office at KY1 2AB hosted it.", "a postcode"),
        ("Met at 12 High Street.", "an address"),
        ("Ms Brown of Police Scotland presented.", "a name"),
    ],
)
def test_softer_hints_stay_warnings(text, what):
    assert rules.personal_data_errors_in(text) == []
    assert [f.what for f in rules.personal_data_hints_in(text)] == [what]


def test_every_error_in_a_text_is_named_in_one_message():
    errors = rules.personal_data_errors({"narrative": "DOB 01.02.1970, CHS no. 4455667"}, ["narrative"])
    assert errors == {
        "narrative": "Remove the date of birth (“DOB 01.02.1970”) and the CHS number (“CHS no. 4455667”) "
        "from ‘Update for the NSG’: returns must not hold offender or victim details"
    }


# ----------------------------------------------------------------------------------------------
# Every section form refuses them, keeps what was typed, and writes nothing
# ----------------------------------------------------------------------------------------------

SECTION_FIELDS = [
    ("case-reviews", "theme_other_text", "Other theme", {"themes": ["internet_offending", "other"]}),
    ("category-3", "category3_decline_reasons", "Main reasons for declining", {}),
    ("narrative", "narrative", "Update for the NSG", {}),
    ("learning", "learning", "Learning and good practice to share nationally", {}),
    ("learning", "escalations", "Issues to escalate to the NSG", {}),
]


@pytest.mark.parametrize(("slug", "name", "label", "extra"), SECTION_FIELDS)
def test_a_date_of_birth_cannot_be_saved_in_any_section(chair, fife, period, slug, name, label, extra):
    text = "Discussed at the SOG: DOB 12/03/1985, level 2."
    data = {**POSTS[slug], **extra, name: text, "confirm": "on"}  # ticking the box changes nothing
    response = chair.post(edit_url(period, fife, slug), data)

    assert response.status_code == 200
    page = html.page(response)
    message = DOB_ERROR.format(label)
    assert error_summary(page) == {f"#id_{name}": message}
    assert field_error(page, name) == message
    assert typed(page, name) == text  # kept
    assert html.text(html.one(page, "//title")).startswith("Error: ")
    assert not QuarterlyReturn.objects.exists()
    assert not QuarterlyReturn.history.exists()


def test_a_date_of_birth_added_to_a_saved_return_changes_nothing(chair, chair_user, fife, period):
    ret = complete(QuarterlyReturn(area=fife, period=period), chair_user)
    versions = ret.history.count()

    response = chair.post(edit_url(period, fife, "narrative"), {"narrative": "Reviewed: born 12.3.85."})

    assert response.status_code == 200
    page = html.page(response)
    assert error_summary(page) == {
        "#id_narrative": "Remove the date of birth (“born 12.3.85”) from ‘Update for the NSG’: "
        "returns must not hold offender or victim details"
    }
    assert typed(page, "narrative") == "Reviewed: born 12.3.85."
    ret.refresh_from_db()
    assert ret.narrative == NARRATIVE["narrative"]
    assert ret.history.count() == versions


def test_an_error_is_shown_with_the_forms_other_errors(chair, fife, period):
    response = chair.post(
        edit_url(period, fife, "category-3"),
        {**CATEGORY_3, "category3_received": "many", "category3_decline_reasons": "PNC 17/123456A declined."},
    )
    assert list(error_summary(html.page(response))) == ["#id_category3_received", "#id_category3_decline_reasons"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ViSOR ref 1234567", "Remove the ViSOR reference (“ViSOR ref 1234567”)"),
        ("Nominal 17/0001234", "Remove the ViSOR reference (“17/0001234”)"),
        ("CHS no. 4455667", "Remove the CHS number (“CHS no. 4455667”)"),
        ("PNC 17/123456A", "Remove the PNC number (“PNC 17/123456A”)"),
        ("CRO 123456/17X", "Remove the CRO number (“CRO 123456/17X”)"),
    ],
)
def test_references_each_have_their_own_message(chair, fife, period, text, message):
    response = chair.post(edit_url(period, fife, "narrative"), {"narrative": text})
    assert field_error(html.page(response), "narrative") == (
        f"{message} from ‘Update for the NSG’: returns must not hold offender or victim details"
    )


def test_the_service_refuses_a_date_of_birth_too(chair_user, fife, period):
    values = {"narrative": "DOB 12/03/1985"}  # as if a form had let it through
    with pytest.raises(ReturnRefused) as refused:
        save_section(QuarterlyReturn(area=fife, period=period), "narrative", values, by=chair_user)
    assert refused.value.message_dict == {"narrative": [DOB_ERROR.format("Update for the NSG")]}
    assert not QuarterlyReturn.objects.exists()


# ----------------------------------------------------------------------------------------------
# Warnings that stay warnings: the box says what it confirms
# ----------------------------------------------------------------------------------------------


def test_a_text_hint_is_confirmed_with_a_box_about_the_text(chair, fife, period):
    text = "Ms Brown of Police Scotland presented the audit."
    response = chair.post(edit_url(period, fife, "narrative"), {"narrative": text})
    page = html.page(response)
    assert html.texts(page, '//ul[contains(@class, "app-warning-list")]/li') == [
        "‘Update for the NSG’ may hold a name (“Ms Brown”). If it is an offender's or victim's, remove it: "
        "returns must not hold offender or victim details."
    ]
    assert confirm_box(page) == TEXT_BOX
    assert error_summary(page) == {"#id_confirm": f"Check the warnings below, then tick “{TEXT_BOX}”"}
    assert typed(page, "narrative") == text

    response = chair.post(edit_url(period, fife, "narrative"), {"narrative": text, "confirm": "on"})
    assert response.status_code == 302
    assert QuarterlyReturn.objects.get(period=period).narrative == text


def test_a_figure_warning_alone_asks_about_the_figures(chair, fife, period, last_quarter):
    response = chair.post(
        edit_url(period, fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "9",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "3",
        },
    )
    assert confirm_box(html.page(response)) == FIGURES_BOX


def test_a_figure_and_a_text_hint_ask_about_both(chair, fife, period, last_quarter):
    response = chair.post(
        edit_url(period, fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "9",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "3",
            "themes": ["internet_offending", "other"],
            "theme_other_text": "Cases referred from KY1 2AB",
        },
    )
    page = html.page(response)
    assert confirm_box(page) == BOTH_BOX
    assert len(page.xpath('//ul[contains(@class, "app-warning-list")]/li')) == 2


# ----------------------------------------------------------------------------------------------
# The check-your-answers page
# ----------------------------------------------------------------------------------------------


def test_the_check_page_lists_the_warnings_confirmed_with_their_sections(chair, fife, period, last_quarter):
    chair.post(
        edit_url(period, fife, "case-reviews"),
        {
            **CASE_REVIEWS,
            "initial_icrs_processed": "9",
            "progressed_to_full_icr": "1",
            "icrs_from_proactive_policing": "3",
            "confirm": "on",
        },
    )
    chair.post(edit_url(period, fife, "category-3"), CATEGORY_3)
    chair.post(edit_url(period, fife, "narrative"), {"narrative": "DOB is not recorded by the SOG.", "confirm": "on"})
    chair.post(edit_url(period, fife, "learning"), LEARNING)

    page = html.page(chair.get(check_url(period, fife)))
    items = page.xpath('//h2[@id="checked-warnings"]/following-sibling::ul[1]/li')
    assert [html.text(li) for li in items] == [
        "The number of initial ICRs processed has more than doubled, from 4 in 2017-18 Q1 to 9. Change 1. Case reviews",
        "‘Update for the NSG’ may hold a mention of a date of birth (“DOB”). If it is an offender's or "
        "victim's, remove it: returns must not hold offender or victim details. Change 3. Update for the NSG",
    ]
    assert [li.xpath(".//a/@href")[0] for li in items] == [
        edit_url(period, fife, "case-reviews") + "?return_to=check",
        edit_url(period, fife, "narrative") + "?return_to=check",
    ]
    assert not page.xpath('//input[@name="confirm"]')  # all confirmed: nothing more to tick
    assert page.xpath('//button[normalize-space()="Submit return"]')


def test_a_date_of_birth_saved_before_it_was_an_error_cannot_be_submitted(chair, chair_user, fife, period):
    ret = complete(QuarterlyReturn(area=fife, period=period), chair_user)
    QuarterlyReturn.objects.filter(pk=ret.pk).update(narrative="DOB 12/03/1985")

    page = html.page(chair.get(check_url(period, fife)))
    heading = html.one(page, '//h2[normalize-space()="You cannot submit yet"]')
    links = heading.xpath("following-sibling::ul[1]//a")
    assert [(a.get("href"), html.text(a)) for a in links] == [
        (
            edit_url(period, fife, "narrative") + "?return_to=check",
            "Update for the NSG: remove the date of birth (“DOB 12/03/1985”) from ‘Update for the NSG’: "
            "returns must not hold offender or victim details",
        )
    ]
    submit = reverse("reviews:return-submit", kwargs={"period": period.slug, "area": fife.slug})
    assert chair.post(submit, {"confirm": "on"}).status_code == 400
    assert QuarterlyReturn.objects.get(pk=ret.pk).status == QuarterlyReturn.Status.DRAFT


# ----------------------------------------------------------------------------------------------
# Case review records
# ----------------------------------------------------------------------------------------------


def test_a_case_review_record_with_a_date_of_birth_cannot_be_saved(chair, fife):
    text = "Subject DOB 12/03/1985 managed at level 2."
    response = chair.post(
        reverse("case_reviews:create"), {**FORM, "area": fife.pk, "learning_summary": text, "confirm": "on"}
    )
    assert response.status_code == 200
    page = html.page(response)
    message = (
        "Remove the date of birth (“DOB 12/03/1985”) from ‘Summary of learning’: "
        "case review records must not hold offender or victim details"
    )
    assert error_summary(page) == {"#id_learning_summary": message}
    assert field_error(page, "learning_summary") == message
    assert typed(page, "learning_summary") == text
    assert not CaseReview.objects.exists()
    assert not CaseReview.history.exists()


def test_a_case_review_records_other_theme_refuses_a_visor_reference(chair, fife):
    response = chair.post(
        reverse("case_reviews:create"),
        {**FORM, "area": fife.pk, "themes": ["other"], "theme_other_text": "ViSOR no. 1234567"},
    )
    page = html.page(response)
    assert field_error(page, "theme_other_text") == (
        "Remove the ViSOR reference (“ViSOR no. 1234567”) from ‘Other theme’: "
        "case review records must not hold offender or victim details"
    )
    assert typed(page, "theme_other_text") == "ViSOR no. 1234567"


def test_changing_a_case_review_record_to_hold_a_date_of_birth_changes_nothing(chair, chair_user, fife):
    review = record(chair_user, fife, learning_summary="Earlier joint risk assessment.")
    versions = review.history.count()
    url = reverse("case_reviews:edit", kwargs={"pk": review.pk})
    response = chair.post(url, {**FORM, "learning_summary": "D.O.B. 12-3-85"})
    assert response.status_code == 200
    assert typed(html.page(response), "learning_summary") == "D.O.B. 12-3-85"
    review.refresh_from_db()
    assert review.learning_summary == "Earlier joint risk assessment."
    assert review.history.count() == versions


def test_a_case_review_records_text_hint_is_confirmed_with_a_box_about_the_text(chair, fife):
    data = {**FORM, "area": fife.pk, "learning_summary": "Mr Green chaired the review."}
    page = html.page(chair.post(reverse("case_reviews:create"), data))
    assert confirm_box(page) == TEXT_BOX
    assert not CaseReview.objects.exists()
    assert chair.post(reverse("case_reviews:create"), {**data, "confirm": "on"}).status_code == 302


def test_the_case_review_service_refuses_a_date_of_birth_too(chair_user, fife):
    with pytest.raises(ReturnRefused):
        record(chair_user, fife, learning_summary="born 12.3.85")
    with pytest.raises(ReturnRefused):
        create_case_review(by=chair_user, area=fife, theme_other_text="CRO 123456/17X")
    assert not CaseReview.objects.exists()
