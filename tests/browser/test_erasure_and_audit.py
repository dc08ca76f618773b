"""The secretariat erases a date of birth typed into an action's update, and the administrator reads the
audit log: who erased what kind of record, and why, but never the text itself."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from actions.models import ActionUpdate
from audit.models import AuditEvent
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

TYPED = "DOB 31/12/1979 q9z"


def test_the_secretariat_erases_a_date_of_birth_and_the_administrator_sees_the_erasure_logged(page, assert_accessible):
    call_command("seed_demo", stdout=io.StringIO())
    update = ActionUpdate.objects.order_by("pk").first()
    # Typed in before the service refused such text, and edited since, so versions hold it too.
    ActionUpdate.objects.filter(pk=update.pk).update(text=f"{update.text} Contact: {TYPED}.")

    sign_in(page, "secretariat")
    page.goto("/erasure/")
    assert_accessible(page)
    page.get_by_label("Text to erase").fill(TYPED)
    page.get_by_role("button", name="Find the text").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Where")
    expect(page.get_by_role("region", name="Records holding the text")).to_contain_text("update")
    assert_accessible(page)
    page.get_by_role("button", name="Continue to erase it").click()

    expect(page.get_by_role("heading", name="Erase the text everywhere")).to_be_visible()
    page.get_by_role("button", name="Erase the text").click()
    # Nothing is erased without a reason and the confirmation: the errors say so.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert TYPED in ActionUpdate.objects.get(pk=update.pk).text
    assert_accessible(page)
    page.get_by_label("Why is this text being erased?").fill("A date of birth typed into an update by mistake.")
    page.get_by_label("I understand that the text is replaced everywhere and cannot be brought back").check()
    page.get_by_role("button", name="Erase the text").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("erased")
    assert_accessible(page)
    assert TYPED not in ActionUpdate.objects.get(pk=update.pk).text
    assert "[removed on " in ActionUpdate.objects.get(pk=update.pk).text

    page.context.clear_cookies()
    sign_in(page, "admin")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("What").select_option(label="Erasure")
    page.get_by_role("button", name="Apply filters").click()
    log = page.get_by_role("region", name="Audit log")
    expect(log).to_contain_text("A date of birth typed into an update by mistake.")
    expect(log).not_to_contain_text(TYPED)
    assert_accessible(page)
    with page.expect_download() as csv:
        page.get_by_role("link", name="Download these lines (CSV)").click()
    assert TYPED not in csv.value.path().read_text()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT_AUDIT).exists()
