"""Two-step sign-in in a real browser: setting up the app from the QR page, signing in with a code,
and the timeout warning. Every screen is checked with axe."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from demo import world as demo_world
from tests.browser.conftest import password_step, sign_in

pytestmark = pytest.mark.browser


def code_from(secret, steps_ahead=0):
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_new_person_sets_up_their_app_from_the_qr_page_then_signs_in_with_a_code(
    page, assert_accessible, transactional_db
):
    demo_world.seed_core()
    page.goto("/accounts/login/")
    expect(page.get_by_role("main")).to_contain_text("You sign in in two steps")
    assert_accessible(page)
    password_step(page, "member-rma")

    expect(page).to_have_url(re.compile(r"/accounts/two-step/set-up/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.locator("svg.app-qr-code")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret").inner_text()

    # A wrong code first: the error summary.
    page.get_by_label("Enter the 6-digit code your authenticator app now shows").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Enter the 6-digit code your authenticator app now shows").fill(code_from(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("list", name="Your recovery codes").get_by_role("listitem")).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your recovery codes (text file)").click()
    assert download.value.suggested_filename == "mappa-governance-recovery-codes.txt"
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_world.NAME_OF["member-rma"].full)

    page.get_by_role("banner").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("main")).to_contain_text("10 left")
    assert_accessible(page)
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()

    # Signing in again: the code page (the code of the next 30 seconds: the first is used).
    password_step(page, "member-rma")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your authenticator app")
    assert_accessible(page)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code_from(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_world.NAME_OF["member-rma"].full)


def test_the_timeout_warning_keeps_a_person_signed_in_or_signs_them_out(
    page, assert_accessible, settings, transactional_db
):
    demo_world.seed_core()
    sign_in(page, "member-rma")
    settings.SESSION_COOKIE_AGE = 8  # seconds; the warning opens 4 seconds before the end
    page.goto("/groups/")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=6_000)
    expect(dialog).to_contain_text("we will sign you out in")
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    # Left alone, the page goes to sign in, back to this page afterwards.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/groups/$"), timeout=12_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to MAPPA Governance")
