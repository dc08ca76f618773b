"""Browser fixtures: one Debian chromium per session, a fresh context per test, axe, and signing in.

The tests drive /usr/bin/chromium through Playwright's sync API (Playwright's own
browser download does not work here) against pytest-django's live server. Every test
signs in as the service does: two-step sign-in is on for the whole browser suite (the
autouse ``two_step`` fixture), and ``sign_in`` enters the code the person's authenticator
app shows. A test of the password-only demo asks for ``password_only``.
"""

import os
import re
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
def new_page(browser, live_server):
    """Open another browser: a fresh context (no cookies) pointed at the live server, a person at their own desk.

    ``new_page(**options)`` overrides the context's options: ``java_script_enabled=False``, or
    ``bypass_csp=False`` to enforce the Content Security Policy. By default bypass_csp lets the test
    inject axe-core: the app's CSP (rightly) refuses any script it did not serve itself.
    The contexts are closed after the test: that ends their keep-alive connections, so the live
    server's request threads and their database connections end too (PostgreSQL cannot drop a test
    database in use).
    """
    contexts = []

    def open_page(**options):
        context = browser.new_context(**{"base_url": live_server.url, "bypass_csp": True, "locale": "en-GB", **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page, transactional_db):
    """The test's own browser page (see ``new_page``)."""
    return new_page()


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


@pytest.fixture(autouse=True)
def two_step(settings):
    """Two-step sign-in on for every browser test (config/test_settings.py turns it off for force_login).

    ``sign_in`` then enters the code from the person's authenticator; django-otp's wait after a wrong
    code is off, so a test that enters one does not wait seconds.
    """
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def password_only(two_step, settings):
    """Two-step sign-in off, as in the `make run` demo: the password alone signs in."""
    settings.MFA_REQUIRED = False


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
    """The second step: the code page, and the code from the person's authenticator."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your authenticator app")
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(authenticator_code(username))
    page.get_by_role("button", name="Continue").click()


def password_step(page, username, password=None, *, here=False):
    """The first step: username and password (the demo logins', demo.world, unless given) on the sign-in page.

    ``here``: the page is on the sign-in page already (sent there to sign in); otherwise it opens it.
    """
    from demo.world import DEMO_PASSWORD

    if not here:
        page.goto("/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page, username, password=None, *, here=False):
    """Sign in as ``username`` through the sign-in page, and wait until signed in.

    With two-step sign-in on (every browser test but those asking for ``password_only``), the code
    page follows the password: the person's authenticator is set up first if they have none.
    """
    if settings.MFA_REQUIRED:
        authenticator_code(username)  # enrolled, so the password leads to the code page
    password_step(page, username, password, here=here)
    if settings.MFA_REQUIRED:
        enter_code(page, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_to(page, path, username, assert_accessible=None, password=None):
    """Open ``path``, be sent to sign in (checked with axe if given ``assert_accessible``), sign in, land on ``path``."""
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    if assert_accessible:
        assert_accessible(page)
    sign_in(page, username, password, here=True)
    expect(page).to_have_url(re.compile(r"^[^?]*" + re.escape(path) + "$"))


class HeldQueue:
    """A task queue that takes tasks (``apply_async``) but runs none until the test says so (``run()``), with
    ``work`` (the task's body): a page's progress can be seen while a job waits for a worker."""

    def __init__(self, work):
        self.work = work
        self.queued = []

    def apply_async(self, args, **options):
        self.queued.extend(args)

    def run(self):
        while self.queued:
            self.work(self.queued.pop(0))
