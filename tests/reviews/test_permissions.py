"""Who sees which return: a chair their own area's only, inspectors and members approved ones only.

Another area's return is "not found" for a chair, whatever is in the address,
so the service never confirms that a return or record exists.
"""

import pytest
from django.urls import reverse

from mappa.access import Role
from reviews.models import QuarterlyReturn
from reviews.services.returns import submit_return
from tests.factories import AreaFactory, user_with_role
from tests.reviews.factories import CaseReviewFactory, ReportingPeriodFactory, approved, complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    return ReportingPeriodFactory(year=2017, quarter=2)


@pytest.fixture
def glasgow_chair(glasgow):
    return user_with_role("sog_chair", username="t-chair-glasgow", areas=[glasgow])


def detail(ret_or_area, period=None):
    if period is None:
        return reverse(
            "reviews:return-detail", kwargs={"period": ret_or_area.period.slug, "area": ret_or_area.area.slug}
        )
    return reverse("reviews:return-detail", kwargs={"period": period.slug, "area": ret_or_area.slug})


def test_a_chair_gets_404_for_another_areas_return_whatever_its_state(
    client, fife, glasgow, period, chair_user, glasgow_chair, secretariat_user
):
    fife_draft = complete(QuarterlyReturn(area=fife, period=period), chair_user)
    client.force_login(glasgow_chair)
    kwargs = {"period": period.slug, "area": fife.slug}
    for name in ("reviews:return-detail", "reviews:return-check", "reviews:return-history"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    assert client.get(reverse("reviews:return-edit", kwargs={**kwargs, "section": "narrative"})).status_code == 404
    assert (
        client.post(
            reverse("reviews:return-edit", kwargs={**kwargs, "section": "narrative"}), {"narrative": "Overwritten"}
        ).status_code
        == 404
    )
    assert client.post(reverse("reviews:return-submit", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("reviews:return-nil", kwargs=kwargs)).status_code == 404
    fife_draft.refresh_from_db()
    assert fife_draft.status == "draft" and "Overwritten" not in fife_draft.narrative
    # Approved or not, started or not: the same 404.
    approved(glasgow, period, glasgow_chair, secretariat_user)
    previous = ReportingPeriodFactory(year=2017, quarter=1)
    assert client.get(detail(fife, previous)).status_code == 404
    # ... while their own area's opens.
    assert client.get(detail(glasgow, period)).status_code == 200


def test_the_secretariat_sees_every_areas_return(client, fife, glasgow, period, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(detail(fife, period)).status_code == 200
    assert client.get(detail(glasgow, period)).status_code == 200


def test_an_area_that_owes_no_return_for_the_period_has_none(client, period, secretariat_user):
    from datetime import date

    northern = AreaFactory(name="Northern", slug="northern", code="NOR", active=False, ended_on=date(2017, 3, 31))
    client.force_login(secretariat_user)
    assert client.get(detail(northern, period)).status_code == 404
    assert client.get(detail(northern, ReportingPeriodFactory(year=2016, quarter=4))).status_code == 200


def test_a_period_that_does_not_exist_is_not_found(client, fife, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get("/returns/2030-31-q1/fife/").status_code == 404
    assert client.get("/returns/2017-19-q1/fife/").status_code == 404


@pytest.mark.parametrize("reader", ["inspector_user", "member_user"])
def test_inspectors_and_members_read_approved_returns_only(
    client, request, reader, fife, glasgow, period, chair_user, secretariat_user, glasgow_chair
):
    fife_return = approved(fife, period, chair_user, secretariat_user)
    glasgow_return = submit_return(
        complete(QuarterlyReturn(area=glasgow, period=period), glasgow_chair), by=glasgow_chair
    )
    client.force_login(request.getfixturevalue(reader))
    response = client.get(detail(fife_return))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Of the 10 initial ICRs processed" in html
    assert "Reopen" not in html and "Every version" not in html
    assert client.get(detail(glasgow_return)).status_code == 404
    listing = client.get(reverse("reviews:returns")).content.decode()
    assert "Fife" in listing and "Glasgow" not in listing
    # Read-only: the history and every change are refused by role.
    kwargs = {"period": period.slug, "area": fife.slug}
    assert client.get(reverse("reviews:return-history", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("reviews:return-reopen", kwargs=kwargs), {"reason": "x"}).status_code == 403


def test_inspectors_see_case_reviews_only_once_their_learning_is_shared(client, fife, inspector_user, chair_user):
    from datetime import date

    shared = CaseReviewFactory(area=fife, review_type="scr", shared_with_sg_on=date(2017, 12, 1))
    unshared = CaseReviewFactory(area=fife)
    client.force_login(inspector_user)
    assert client.get(shared.get_absolute_url()).status_code == 200
    assert client.get(unshared.get_absolute_url()).status_code == 404
    listing = client.get(reverse("case_reviews:list")).content.decode()
    assert shared.reference in listing and unshared.reference not in listing
    assert "Record a case review" not in listing


def test_a_chair_sees_and_edits_only_their_own_areas_case_reviews(client, fife, glasgow, chair_user):
    own = CaseReviewFactory(area=fife)
    other = CaseReviewFactory(area=glasgow)
    client.force_login(chair_user)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("case_reviews:edit", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("case_reviews:edit", kwargs={"pk": other.pk}), {}).status_code == 404
    listing = client.get(reverse("case_reviews:list")).content.decode()
    assert own.reference in listing and other.reference not in listing


def test_a_chair_filters_case_reviews_by_their_own_areas_only(client, fife, glasgow, inspector_user):
    lothian = AreaFactory(name="Lothian", slug="lothian", code="LOT")
    chair = user_with_role(Role.SOG_CHAIR, username="t-chair-two", areas=[fife, lothian])
    fife_review, lothian_review = CaseReviewFactory(area=fife), CaseReviewFactory(area=lothian)
    CaseReviewFactory(area=glasgow)
    client.force_login(chair)
    url = reverse("case_reviews:list")
    page = client.get(url)
    assert [value for value, _label in page.context["filter"].form.fields["area"].choices] == ["", "fife", "lothian"]
    assert [r.pk for r in client.get(url, {"area": "lothian"}).context["reviews"]] == [lothian_review.pk]
    assert {r.pk for r in page.context["reviews"]} == {fife_review.pk, lothian_review.pk}
    assert client.get(url, {"area": "glasgow"}).status_code == 400  # another area's: no link sends it
    client.force_login(inspector_user)
    assert "area" not in client.get(url).context["filter"].form.fields  # nothing to choose
