"""A return's journey: draft → submitted → returned for amendment → resubmitted → approved (locked).

Each step is guarded: taken only by whom it belongs to and only from the status
it follows, and each is recorded with who, when and why.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.models import QuarterlyReturn, SectionComment
from reviews.services.returns import (
    ReturnRefused,
    approve_return,
    make_nil_return,
    reopen_return,
    save_section,
    send_back,
    submit_return,
)
from tests.factories import user_with_role
from tests.reviews.factories import NARRATIVE, ReportingPeriodFactory, complete, section_values

pytestmark = pytest.mark.django_db
S = QuarterlyReturn.Status


@pytest.fixture
def period():
    return ReportingPeriodFactory(year=2017, quarter=2)


@pytest.fixture
def draft(fife, period, chair_user):
    return complete(QuarterlyReturn(area=fife, period=period), chair_user)


def kwargs(ret):
    return {"period": ret.period.slug, "area": ret.area.slug}


def test_the_whole_journey_is_recorded_with_who_when_and_why(
    draft, chair_user, secretariat_user, django_capture_on_commit_callbacks
):
    chair_user.person.email = "fife-chair@test.example"
    chair_user.person.save()
    ret = submit_return(draft, by=chair_user)
    assert ret.status == S.SUBMITTED and ret.submitted_by == chair_user and ret.first_submitted_at

    with django_capture_on_commit_callbacks(execute=True):
        ret = send_back(
            ret,
            by=secretariat_user,
            comments={"case-reviews": "Please check the number progressed to full ICR.", "narrative": ""},
            note="Two small points.",
        )
    assert ret.status == S.RETURNED
    assert list(SectionComment.objects.values_list("section", "text")) == [
        ("case-reviews", "Please check the number progressed to full ICR.")
    ]
    # The submitter is e-mailed each comment and a link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fife-chair@test.example"]
    assert message.subject == "Fife return for 2017-18 Q2: returned for amendment"
    assert "1. Case reviews:\nPlease check the number progressed to full ICR." in message.body
    assert "Two small points." in message.body
    assert "/returns/2017-18-q2/fife/" in message.body

    ret = save_section(ret, "case-reviews", section_values("case-reviews", progressed_to_full_icr="3"), by=chair_user)
    assert ret.status == S.RETURNED  # amending does not resubmit
    first_submitted = ret.first_submitted_at
    ret = submit_return(ret, by=chair_user)
    assert ret.status == S.RESUBMITTED
    assert ret.first_submitted_at == first_submitted  # the on-time rate counts the first submission

    ret = approve_return(ret, by=secretariat_user)
    assert ret.status == S.APPROVED and ret.approved_by == secretariat_user
    steps = list(ret.transitions.values_list("from_status", "to_status", "by__username", "comment"))
    assert steps == [
        (S.NOT_STARTED, S.DRAFT, "t-chair-fife", ""),
        (S.DRAFT, S.SUBMITTED, "t-chair-fife", ""),
        (S.SUBMITTED, S.RETURNED, "t-secretariat", "Two small points."),
        (S.RETURNED, S.RESUBMITTED, "t-chair-fife", ""),
        (S.RESUBMITTED, S.APPROVED, "t-secretariat", ""),
    ]


def test_an_approved_return_is_locked(draft, chair_user, secretariat_user):
    ret = approve_return(submit_return(draft, by=chair_user), by=secretariat_user)
    with pytest.raises(ReturnRefused, match="approved and locked"):
        save_section(ret, "narrative", {"narrative": "A change"}, by=chair_user)
    with pytest.raises(ReturnRefused):
        submit_return(ret, by=chair_user)
    with pytest.raises(ReturnRefused):
        send_back(ret, by=secretariat_user, comments={"narrative": "Too late"})


def test_a_submitted_return_cannot_be_changed_until_it_is_returned(draft, chair_user):
    ret = submit_return(draft, by=chair_user)
    with pytest.raises(ReturnRefused, match="submitted"):
        save_section(ret, "narrative", {"narrative": "Second thoughts"}, by=chair_user)


def test_only_the_secretariat_reopens_an_approved_return_and_only_with_a_reason(
    draft, chair_user, secretariat_user, django_capture_on_commit_callbacks
):
    chair_user.email = "fife@test.example"
    chair_user.save()
    ret = approve_return(submit_return(draft, by=chair_user), by=secretariat_user)
    with pytest.raises(PermissionDenied):
        reopen_return(ret, by=chair_user, reason="We found an error")
    with pytest.raises(ReturnRefused):
        reopen_return(ret, by=secretariat_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        ret = reopen_return(ret, by=secretariat_user, reason="The SCR figure was later corrected.")
    assert ret.status == S.RETURNED and ret.approved_at is None
    assert ret.transitions.last().comment == "Reopened: The SCR figure was later corrected."
    assert len(mail.outbox) == 1 and "reopened" in mail.outbox[0].subject
    # Amended and resubmitted, it is approved again.
    ret = submit_return(ret, by=chair_user)
    assert approve_return(ret, by=secretariat_user).status == S.APPROVED


def test_the_chair_cannot_approve_or_return_their_own_return(draft, chair_user):
    ret = submit_return(draft, by=chair_user)
    with pytest.raises(PermissionDenied):
        approve_return(ret, by=chair_user)
    with pytest.raises(PermissionDenied):
        send_back(ret, by=chair_user, comments={"narrative": "x"})


def test_a_draft_cannot_be_approved_or_returned(draft, secretariat_user):
    with pytest.raises(ReturnRefused, match="only a submitted return can be approved"):
        approve_return(draft, by=secretariat_user)
    with pytest.raises(ReturnRefused):
        send_back(draft, by=secretariat_user, comments={"narrative": "x"})


def test_returning_needs_a_comment_on_at_least_one_section(draft, chair_user, secretariat_user):
    ret = submit_return(draft, by=chair_user)
    with pytest.raises(ReturnRefused, match="at least one section"):
        send_back(ret, by=secretariat_user, comments={"narrative": " "})


def test_an_incomplete_return_cannot_be_submitted(fife, period, chair_user):
    ret = save_section(
        QuarterlyReturn(area=fife, period=period), "narrative", section_values("narrative"), by=chair_user
    )
    with pytest.raises(ReturnRefused) as refusal:
        submit_return(ret, by=chair_user)
    assert refusal.value.messages == [
        "Case reviews: not completed yet",
        "Category 3 referrals: not completed yet",
        "Learning and issues to escalate: not completed yet",
    ]


def test_a_nil_return_is_a_valid_submission(fife, period, chair_user):
    ret = make_nil_return(QuarterlyReturn(area=fife, period=period), by=chair_user)
    assert ret.is_nil_return and ret.initial_icrs_processed == 0 and ret.category3_received == 0
    ret = submit_return(ret, by=chair_user)
    assert ret.status == S.SUBMITTED


def test_reporting_figures_after_a_nil_return_makes_it_an_ordinary_return(fife, period, chair_user):
    ret = make_nil_return(QuarterlyReturn(area=fife, period=period), by=chair_user)
    ret = save_section(ret, "case-reviews", section_values("case-reviews"), by=chair_user)
    assert not ret.is_nil_return and ret.initial_icrs_processed == 10


def test_the_chair_of_another_area_cannot_touch_the_return(draft, glasgow):
    other = user_with_role("sog_chair", username="t-chair-glasgow", areas=[glasgow])
    with pytest.raises(PermissionDenied):
        save_section(draft, "narrative", section_values("narrative"), by=other)
    with pytest.raises(PermissionDenied):
        submit_return(draft, by=other)


def test_a_returns_period_must_have_opened(fife, chair_user):
    from datetime import date

    future = ReportingPeriodFactory(year=2090, quarter=1)
    assert future.opens_on == date(2090, 4, 1)
    with pytest.raises(ReturnRefused, match="open on 1 April 2090"):
        save_section(QuarterlyReturn(area=fife, period=future), "narrative", section_values("narrative"), by=chair_user)


# --- Through the pages -----------------------------------------------------------------------


def test_the_secretariat_returns_a_return_with_a_comment_per_section_from_its_page(
    client, draft, chair_user, secretariat_user
):
    ret = submit_return(draft, by=chair_user)
    client.force_login(secretariat_user)
    page = client.get(reverse("reviews:return-detail", kwargs=kwargs(ret))).content.decode()
    assert "Approve return" in page and "Return for amendment" in page
    url = reverse("reviews:return-send-back", kwargs=kwargs(ret))
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Enter a comment on at least one section, saying what needs to change" in response.content.decode()
    response = client.post(url, {"comment_narrative": "Please say which areas attended the seminar."})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == S.RETURNED

    client.force_login(chair_user)
    page = client.get(reverse("reviews:return-detail", kwargs=kwargs(ret))).content.decode()
    assert "Returned for amendment" in page
    assert "Please say which areas attended the seminar." in page
    assert "Needs amendment" in page
    edit = client.get(reverse("reviews:return-edit", kwargs={**kwargs(ret), "section": "narrative"}))
    assert "The secretariat&#x27;s comment" in edit.content.decode() or "secretariat's comment" in edit.content.decode()
    client.post(
        reverse("reviews:return-edit", kwargs={**kwargs(ret), "section": "narrative"}),
        {"narrative": NARRATIVE["narrative"] + " The seminar was open to all areas."},
    )
    check = client.get(reverse("reviews:return-check", kwargs=kwargs(ret))).content.decode()
    assert "Resubmit return" in check
    response = client.post(reverse("reviews:return-submit", kwargs=kwargs(ret)))
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == S.RESUBMITTED

    client.force_login(secretariat_user)
    client.post(reverse("reviews:return-approve", kwargs=kwargs(ret)))
    ret.refresh_from_db()
    assert ret.status == S.APPROVED


def test_the_chair_sees_no_approve_button_and_posting_to_approve_is_refused(client, draft, chair_user):
    ret = submit_return(draft, by=chair_user)
    client.force_login(chair_user)
    page = client.get(reverse("reviews:return-detail", kwargs=kwargs(ret))).content.decode()
    assert "Approve return" not in page and "Return for amendment" not in page
    assert client.post(reverse("reviews:return-approve", kwargs=kwargs(ret))).status_code == 403
    ret.refresh_from_db()
    assert ret.status == S.SUBMITTED


def test_approving_twice_says_why_not_the_second_time(client, draft, chair_user, secretariat_user):
    ret = submit_return(draft, by=chair_user)
    client.force_login(secretariat_user)
    url = reverse("reviews:return-approve", kwargs=kwargs(ret))
    client.post(url)
    response = client.post(url, follow=True)
    assert "only a submitted return can be approved" in response.content.decode()


def test_the_secretariat_reopens_from_the_page_with_a_reason(client, draft, chair_user, secretariat_user):
    ret = approve_return(submit_return(draft, by=chair_user), by=secretariat_user)
    client.force_login(secretariat_user)
    url = reverse("reviews:return-reopen", kwargs=kwargs(ret))
    response = client.post(url, {"reason": ""})
    assert "Enter the reason for reopening the return" in response.content.decode()
    assert client.post(url, {"reason": "Figures corrected at the NSG."}).status_code == 302
    ret.refresh_from_db()
    assert ret.status == S.RETURNED


def test_the_nil_return_button_fills_zeros_and_goes_to_check_your_answers(client, fife, period, chair_user):
    client.force_login(chair_user)
    response = client.post(reverse("reviews:return-nil", kwargs={"period": period.slug, "area": fife.slug}))
    assert response["Location"] == reverse("reviews:return-check", kwargs={"period": period.slug, "area": fife.slug})
    page = client.get(response["Location"]).content.decode()
    assert "This is a nil return" in page and "Submit return" in page
