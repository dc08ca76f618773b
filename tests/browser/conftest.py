"""Browser fixtures: one Debian chromium per session, a fresh context per test, and axe.

The tests drive /usr/bin/chromium through Playwright's sync API (Playwright's own
browser download does not work here) against pytest-django's live server.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls from the test body (seeding, the transactional flush) as "async".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what public sector bodies must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` (or apt-get install chromium) installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page in a fresh browser context (no cookies) pointed at the live server.

    bypass_csp lets the test inject axe-core: the app's Content Security Policy
    (rightly) refuses any script it did not serve itself.
    """
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _describe(violation):
    lines = [f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): {violation['help']}"]
    lines.append(f"  {violation['helpUrl']}")
    for node in violation["nodes"]:
        target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
        lines.append(f"    at {target}")
        summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
        if summary:
            lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe-core over the page and fail with every WCAG 2.2 A/AA violation it finds."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        AXE_TAGS,
    )
    violations = results["violations"]
    if violations:
        raise AssertionError(
            f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + "\n".join(_describe(v) for v in violations)
        )
    # axe ran the rules it was asked for: a page it could not check is not a pass.
    assert results["passes"], f"axe checked nothing on {page.url}"


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    return assert_accessible


@pytest.fixture
def two_step(settings):
    """Two-step sign-in on (config/test_settings.py turns it off for force_login): sign_in enters codes."""
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def authenticator_code(username):
    """The code the person's authenticator app shows now, computed from their enrolled secret.

    Set one up (a confirmed django-otp TOTP device) if they have none. A test may sign the same person
    in twice within one 30-second step, and a code is refused a second time (tests/accounts tests
    that): the device's record of the last step used is cleared first, so this code is accepted.
    """
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def enter_code(page, username):
    """The second step, when the sign-in asks for it: the code from the person's authenticator."""
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(authenticator_code(username))
    page.get_by_role("button", name="Continue").click()


def sign_in(page, username):
    """Sign in through the sign-in page as a demo login (demo.world), and wait until signed in.

    With two-step sign-in on (the ``two_step`` fixture), the code page follows the password.
    """
    from demo.world import DEMO_PASSWORD

    if settings.MFA_REQUIRED:
        authenticator_code(username)  # enrolled, so the password leads to the code page
    page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if settings.MFA_REQUIRED:
        enter_code(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
