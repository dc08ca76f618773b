"""Case review records: one per ICR or SCR notified, referenced by area code, year and number only."""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import CaseReview
from reviews.services.case_reviews import create_case_review
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
T = CaseReview.Type

FORM = {
    "review_type": "initial_icr",
    "mappa_category": "1",
    "mappa_level": "1",
    "commissioned_on_0": "16",
    "commissioned_on_1": "10",
    "commissioned_on_2": "2017",
    "from_proactive_policing": "on",
    "stage": "notified",
    "status": "open",
    "themes": ["internet_offending"],
    "theme_other_text": "",
    "learning_summary": "",
}


def record(user, area, **extra):
    values = {
        "review_type": T.INITIAL_ICR,
        "mappa_category": 1,
        "mappa_level": 1,
        "commissioned_on": date(2017, 10, 16),
        "stage": "notified",
        "status": "open",
        **extra,
    }
    return create_case_review(by=user, area=area, **values)


def test_references_number_each_areas_reviews_by_year(fife, glasgow, chair_user, secretariat_user):
    assert record(chair_user, fife).reference == "FIF-2017-001"
    assert record(chair_user, fife).reference == "FIF-2017-002"
    assert record(secretariat_user, glasgow).reference == "GLA-2017-001"
    assert record(chair_user, fife, commissioned_on=date(2018, 1, 9)).reference == "FIF-2018-001"
    assert record(chair_user, fife).reference == "FIF-2017-003"


def test_a_chair_records_a_case_review_for_their_own_area(client, fife, chair_user):
    client.force_login(chair_user)
    response = client.post(reverse("case_reviews:create"), {**FORM, "area": fife.pk})
    review = CaseReview.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert review.reference == "FIF-2017-001"
    assert review.from_proactive_policing and review.theme_internet_offending
    assert review.history.count() == 1 and review.history.first().history_user == chair_user
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Case review FIF-2017-001" in page and "Internet offending" in page


def test_a_chair_cannot_record_one_for_another_area(client, fife, glasgow, chair_user):
    client.force_login(chair_user)
    response = client.post(reverse("case_reviews:create"), {**FORM, "area": glasgow.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CaseReview.objects.exists()
    other = user_with_role("sog_chair", username="t-other", areas=[glasgow])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record(other, fife)


def test_the_form_explains_what_is_wrong_and_keeps_what_was_typed(client, fife, chair_user):
    client.force_login(chair_user)
    response = client.post(
        reverse("case_reviews:create"),
        {
            **FORM,
            "area": fife.pk,
            "review_type": "",
            "status": "completed",
            "commissioned_on_0": "31",
            "commissioned_on_1": "02",
            "learning_summary": "Shared at the SOG.",
        },
    )
    errors = response.context["form"].errors
    assert errors["review_type"] == ["Select the type of review"]
    assert errors["commissioned_on"] == ["Enter a real date commissioned"]
    assert response.context["form"]["learning_summary"].value() == "Shared at the SOG."


def test_completed_needs_a_completion_date_after_commissioning(client, fife, chair_user):
    client.force_login(chair_user)
    response = client.post(reverse("case_reviews:create"), {**FORM, "area": fife.pk, "status": "completed"})
    assert response.context["form"].errors == {"completed_on": ["Enter the date completed: the review is completed"]}
    response = client.post(
        reverse("case_reviews:create"),
        {
            **FORM,
            "area": fife.pk,
            "status": "completed",
            "completed_on_0": "1",
            "completed_on_1": "10",
            "completed_on_2": "2017",
        },
    )
    assert response.context["form"].errors == {
        "completed_on": ["The date completed must be on or after the date commissioned"]
    }


def test_a_learning_summary_with_a_date_of_birth_cannot_be_saved_even_ticked(client, fife, chair_user):
    """More in test_personal_data.py."""
    client.force_login(chair_user)
    data = {**FORM, "area": fife.pk, "learning_summary": "Subject DOB 12/03/1985 managed at level 2.", "confirm": "on"}
    response = client.post(reverse("case_reviews:create"), data)
    assert response.context["form"].errors == {
        "learning_summary": [
            "Remove the date of birth (“DOB 12/03/1985”) from ‘Summary of learning’: "
            "case review records must not hold offender or victim details"
        ]
    }
    assert not CaseReview.objects.exists()


def test_editing_keeps_the_reference_and_links_the_earlier_review(client, fife, chair_user):
    initial = record(chair_user, fife)
    full = record(chair_user, fife, review_type=T.FULL_ICR)
    client.force_login(chair_user)
    url = reverse("case_reviews:edit", kwargs={"pk": full.pk})
    form = client.get(url).context["form"]
    assert "area" not in form.fields
    response = client.post(
        url,
        {**FORM, "review_type": "full_icr", "mappa_level": "2", "progressed_from": initial.pk, "stage": "under_review"},
    )
    assert response.status_code == 302
    full.refresh_from_db()
    assert full.reference == "FIF-2017-002" and full.progressed_from == initial and full.mappa_level == 2
    assert "FIF-2017-002" in client.get(initial.get_absolute_url()).content.decode()  # "Followed by"


def test_the_list_filters_by_type(client, fife, chair_user):
    record(chair_user, fife)
    record(chair_user, fife, review_type=T.SCR)
    client.force_login(chair_user)
    response = client.get(reverse("case_reviews:list"), {"type": "scr"})
    assert [r.reference for r in response.context["reviews"]] == ["FIF-2017-002"]
