"""The secretariat's register of requests: each due on the 20th Scottish working day, those due within 5
working days and overdue ones marked here and on the home page; only the secretariat sees it."""

from datetime import date

import pytest
import time_machine

from disclosure.models import DisclosureRequest
from tests.html import page, texts

pytestmark = pytest.mark.django_db


def logged(secretariat_user, reference, received_on, due_on, status=DisclosureRequest.Status.OPEN):
    return DisclosureRequest.objects.create(
        reference=reference,
        received_on=received_on,
        due_on=due_on,
        status=status,
        wording=f"Request {reference}",
        requester="a journalist",
        handler=secretariat_user,
        created_by=secretariat_user,
    )


@pytest.fixture
def register(secretariat_user):
    # Today is Monday 11 January 2027.
    logged(secretariat_user, "FOI/1", date(2026, 12, 1), date(2026, 12, 30))  # overdue by 6 working days
    logged(secretariat_user, "FOI/2", date(2026, 12, 18), date(2027, 1, 14))  # 3 working days left
    logged(secretariat_user, "FOI/3", date(2027, 1, 8), date(2027, 2, 5))  # 19 working days left
    logged(secretariat_user, "FOI/4", date(2026, 11, 2), date(2026, 11, 30), DisclosureRequest.Status.RELEASED)


def row_of(markup, reference):
    return " ".join(texts(page(markup), f"//tr[td/a[normalize-space()='{reference}']]/td"))


def test_the_register_marks_requests_due_soon_and_overdue(client, secretariat_user, register):
    with time_machine.travel(date(2027, 1, 11), tick=False):
        client.force_login(secretariat_user)
        markup = client.get("/disclosure/").content.decode()
    assert "Overdue by 6 working days" in row_of(markup, "FOI/1")
    assert "3 working days left" in row_of(markup, "FOI/2")
    assert "19 working days left" in row_of(markup, "FOI/3")
    assert "left" not in row_of(markup, "FOI/4") and "Released" in row_of(markup, "FOI/4")


def test_the_home_page_asks_the_secretariat_about_requests_due_within_five_working_days(
    client, secretariat_user, chair_user, register
):
    with time_machine.travel(date(2027, 1, 11), tick=False):
        client.force_login(secretariat_user)
        attention = texts(page(client.get("/").content.decode()), "//ul[contains(@class, 'app-attention-list')]/li")
    mine = [line for line in attention if line.startswith("FOI/")]
    assert len(mine) == 2
    assert mine[0].startswith("FOI/1: overdue by 6 working days")
    assert mine[1].startswith("FOI/2: due Thursday 14 January")

    with time_machine.travel(date(2027, 1, 11), tick=False):
        client.force_login(chair_user)
        assert "FOI/" not in client.get("/").content.decode()


def test_a_request_is_logged_due_twenty_working_days_later(client, secretariat_user):
    client.force_login(secretariat_user)
    form = {
        "reference": "FOI/202700045",
        "received_on_0": "27",
        "received_on_1": "11",
        "received_on_2": "2026",
        "wording": "Minutes of the NSG in 2016",
        "requester": "a researcher",
        "handler": secretariat_user.pk,
    }
    response = client.post("/disclosure/new/", form, follow=True)
    request = DisclosureRequest.objects.get(reference="FOI/202700045")
    # St Andrew's Day (30 November), Christmas and Boxing Day (observed on 28 December) are not working days.
    assert request.due_on == date(2026, 12, 30)
    assert "due 30 December 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": "FOI/1"}, "FOI/1 is already in the register."),
        ({"received_on_0": "31", "received_on_1": "2"}, "Enter a real date received"),
        ({"received_on_2": "2099"}, "The date received must be today or in the past."),
        ({"requester": ""}, "Enter a label for the requester"),
    ],
)
def test_a_request_that_cannot_be_logged_says_why_and_keeps_what_was_typed(
    client, secretariat_user, register, change, message
):
    client.force_login(secretariat_user)
    form = {
        "reference": "FOI/202700046",
        "received_on_0": "4",
        "received_on_1": "12",
        "received_on_2": "2026",
        "wording": "Papers of the MAPPA Development Group, 2017",
        "requester": "a journalist",
        "handler": secretariat_user.pk,
        **change,
    }
    response = client.post("/disclosure/new/", form)
    markup = response.content.decode()
    assert response.status_code == 400
    assert message in " ".join(texts(page(markup), "//div[contains(@class, 'govuk-error-summary')]//li"))
    assert "Papers of the MAPPA Development Group, 2017" in markup
    assert DisclosureRequest.objects.count() == 4


def test_only_the_secretariat_handles_requests(client, member_user, inspector_user, chair_user, register):
    for user in (member_user, inspector_user, chair_user):
        client.force_login(user)
        assert client.get("/disclosure/").status_code == 403
        assert client.post("/disclosure/new/", {"reference": "FOI/9"}).status_code == 403
        assert client.get("/disclosure/log/").status_code == 200
    assert DisclosureRequest.objects.count() == 4
