"""Signing in, as each person in the demo world, in a real browser.

Every page of the app that a test visits is checked with axe-core against
WCAG 2.2 A and AA (the Django admin, which is third-party, is not).
"""

import re

import pytest
from playwright.sync_api import expect

from demo import world as demo_world
from tests.browser.conftest import password_step, sign_in

pytestmark = pytest.mark.browser

SIGN_IN_HEADING = "Sign in to MAPPA Governance"


def name_of(username):
    """The invented name of the demo person a login belongs to (a login's username is their key)."""
    return demo_world.NAME_OF[username].full


@pytest.fixture
def demo_logins(transactional_db):
    demo_world.seed_core()
    return dict(demo_world.LOGINS)


def open_the_service(page, assert_accessible):
    """A visitor opens the home page and is sent to sign in first."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page).to_have_title("Sign in – MAPPA Governance")
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN_HEADING)
    assert_accessible(page)


def header(page):
    return page.get_by_role("banner")


def visit_the_app_pages(page, assert_accessible):
    """Every signed-in person can browse the groups and reach their password page."""
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Groups").click()
    expect(page).to_have_url(re.compile(r"/groups/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    assert_accessible(page)

    page.get_by_role("link", name="MAPPA National Strategic Group", exact=True).click()
    expect(page).to_have_url(re.compile(r"/groups/nsg/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("MAPPA National Strategic Group")
    expect(page.get_by_role("table", name="Current members")).to_contain_text(name_of("member-rma"))
    assert_accessible(page)

    header(page).get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)
    page.get_by_role("link", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/change/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    expect(page.get_by_label("Old password")).to_be_visible()
    assert_accessible(page)


def home_sections(page):
    main = page.get_by_role("main")
    return {
        "caption": main.locator(".govuk-caption-l"),
        "attention": main.get_by_role("heading", name="Needs your attention"),
        "areas": main.locator("h2:has-text('Your MAPPA area') + ul"),
        "groups": main.get_by_role("table", name="Groups you sit on"),
        "read_only": main.get_by_text("You have read-only access"),
        "administration": header(page).get_by_role("link", name="Administration"),
    }


def secretariat_sees(page):
    home = home_sections(page)
    expect(home["caption"]).to_have_text("NSG secretariat")
    expect(home["attention"]).to_be_visible()
    expect(home["groups"]).to_contain_text("MAPPA National Strategic Group")
    expect(home["read_only"]).to_have_count(0)
    expect(home["administration"]).to_have_count(0)


def chair_sees(area, other_area):
    def check(page):
        home = home_sections(page)
        expect(home["caption"]).to_have_text("SOG chair or MAPPA coordinator")
        expect(page.get_by_role("heading", name="Your MAPPA area", exact=True)).to_be_visible()
        expect(home["areas"].get_by_role("listitem")).to_have_text([area])
        expect(home["areas"]).not_to_contain_text(other_area)
        expect(home["groups"]).to_contain_text(f"{area} Strategic Oversight Group")
        expect(home["attention"]).to_have_count(0)
        expect(home["administration"]).to_have_count(0)

    return check


def member_sees(page):
    home = home_sections(page)
    expect(home["caption"]).to_have_text("NSG member")
    expect(page.get_by_role("heading", name="Your groups")).to_be_visible()
    nsg_row = home["groups"].get_by_role("row").filter(has_text="MAPPA National Strategic Group")
    expect(nsg_row).to_have_count(1)
    expect(nsg_row).to_contain_text("Member")
    expect(home["attention"]).to_have_count(0)
    expect(home["areas"]).to_have_count(0)
    expect(home["administration"]).to_have_count(0)


def inspector_sees(page):
    home = home_sections(page)
    expect(home["caption"]).to_have_text("Inspector")
    expect(home["read_only"]).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("You do not sit on any group.")
    expect(home["attention"]).to_have_count(0)
    expect(home["administration"]).to_have_count(0)


def administrator_sees(page):
    home = home_sections(page)
    expect(home["caption"]).to_have_text("Administrator")
    expect(home["administration"]).to_be_visible()
    expect(home["read_only"]).to_have_count(0)


ROLES = [
    pytest.param("secretariat", name_of("secretariat"), secretariat_sees, id="secretariat"),
    pytest.param("chair-fife", name_of("chair-fife"), chair_sees("Fife", "Glasgow"), id="chair-fife"),
    pytest.param("chair-glasgow", name_of("chair-glasgow"), chair_sees("Glasgow", "Fife"), id="chair-glasgow"),
    pytest.param("member-rma", name_of("member-rma"), member_sees, id="member-rma"),
    pytest.param("inspector", name_of("inspector"), inspector_sees, id="inspector"),
    pytest.param("admin", name_of("admin"), administrator_sees, id="admin"),
]


@pytest.mark.parametrize(("username", "name", "sees_their_home_page"), ROLES)
def test_each_demo_login_signs_in_and_lands_on_their_own_home_page(
    page, assert_accessible, demo_logins, username, name, sees_their_home_page
):
    assert username in demo_logins

    open_the_service(page, assert_accessible)
    sign_in(page, username, here=True)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title("Home – MAPPA Governance")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(header(page)).to_contain_text(name)
    expect(header(page).get_by_role("button", name="Sign out")).to_be_visible()
    sees_their_home_page(page)
    assert_accessible(page)

    visit_the_app_pages(page, assert_accessible)


def test_administrator_opens_the_django_admin_from_the_header(page, assert_accessible, demo_logins):
    open_the_service(page, assert_accessible)
    sign_in(page, "admin", here=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(name_of("admin"))

    header(page).get_by_role("link", name="Administration").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("banner").get_by_role("link", name="MAPPA Governance administration")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site administration")
    expect(page.get_by_role("link", name="People", exact=True)).to_be_visible()
    # Not checked with axe: the Django admin is third-party.


def test_someone_who_is_not_an_administrator_is_refused_the_django_admin(page, assert_accessible, demo_logins):
    open_the_service(page, assert_accessible)
    sign_in(page, "secretariat", here=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(name_of("secretariat"))

    response = page.goto("/admin/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Site administration")).to_have_count(0)


def test_a_wrong_password_shows_the_error_summary_and_keeps_the_username(page, assert_accessible, demo_logins):
    open_the_service(page, assert_accessible)

    password_step(page, "secretariat", "not-the-password", here=True)

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page).to_have_title("Error: Sign in – MAPPA Governance")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username", exact=True)).to_have_value("secretariat")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)


def test_signing_out_from_the_header_returns_to_the_sign_in_page(page, assert_accessible, demo_logins):
    open_the_service(page, assert_accessible)
    sign_in(page, "member-rma", here=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(name_of("member-rma"))

    header(page).get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN_HEADING)
    expect(header(page).get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)

    # The session really has ended: the home page asks for a sign-in again.
    open_the_service(page, assert_accessible)


def test_with_two_step_sign_in_off_the_demo_says_so_and_the_password_alone_signs_in(
    page, assert_accessible, demo_logins, password_only
):
    open_the_service(page, assert_accessible)
    expect(page.locator("#two-step-off")).to_contain_text(
        "Two-step sign-in is off in this demo: your username and password are all you need."
    )

    password_step(page, "member-rma", here=True)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name_of("member-rma"))


def test_the_accessibility_check_fails_a_page_with_a_violation(page, assert_accessible):
    """The axe helper is not a rubber stamp: an unlabelled field and an image with no alt fail it."""
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main>'
        '<h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "label (critical)" in message
    assert "at img" in message
