"""Every page on a phone: at 320 CSS pixels wide nothing makes the page scroll sideways, and axe finds
no WCAG 2.2 A/AA violation.

The pages are every route of the site that answers a GET with a page (not a file), filled from
the demo world as tests/mappa/test_url_permissions.py fills them, opened as the secretariat
(who may see the most) and, where the secretariat may not, as the Fife SOG chair. Wide tables
scroll inside their own box (`app-table-scroll`), so the page itself stays 320 pixels wide.
"""

import io

import pytest
from django.core.management import call_command

from demo import world as demo_world
from tests.browser.conftest import assert_accessible, sign_in
from tests.mappa.test_url_permissions import SITE_ROUTES, site_url

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 720}
# Files, not pages; and the pages that only take a POST or sign out.
NOT_PAGES = (".pdf", ".xlsx", ".csv", ".ics", ".docx", "/download/", "healthz", "logout")

# Which element sticks out furthest to the right, to say what to fix.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  let widest = null, right = width;
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.right > right + 0.5 && !element.closest('.app-table-scroll')) { right = box.right; widest = element; }
  }
  return {
    scroll: document.documentElement.scrollWidth,
    width,
    widest: widest ? widest.tagName.toLowerCase() + (widest.className ? '.' + String(widest.className).split(' ').join('.') : '') : null,
  };
}"""


def _pages(world):
    for route in SITE_ROUTES:
        url = site_url(route, world)
        if not any(part in url for part in NOT_PAGES):
            yield route.name, url


def test_no_page_scrolls_sideways_on_a_phone_and_axe_finds_nothing(page):
    call_command("seed_demo", stdout=io.StringIO())
    world = demo_world.seed_core()
    pages = list(_pages(world))
    page.set_viewport_size(PHONE)
    visited, too_wide, inaccessible = [], [], []
    for username in ("secretariat", "chair-fife"):
        page.context.clear_cookies()
        sign_in(page, username)
        for name, url in pages:
            if name in visited:
                continue
            answer = page.request.get(url, max_redirects=0)
            if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
                continue  # not this person's page (403), or a step that only takes a POST (405)
            page.goto(url)
            visited.append(name)
            measured = page.evaluate(WIDEST)
            if measured["scroll"] > measured["width"]:
                too_wide.append(f"{url} is {measured['scroll']} px wide; widest: {measured['widest']}")
            try:
                assert_accessible(page)
            except AssertionError as violations:
                inaccessible.append(str(violations))

    assert len(visited) >= 40, f"only {len(visited)} pages checked: {visited}"
    assert not too_wide, "Pages wider than a 320 px phone:\n" + "\n".join(too_wide)
    assert not inaccessible, "\n".join(inaccessible)
    # The pages users found too wide are among those checked.
    for name in (
        "meetings:list",
        "meetings:agenda",
        "meetings:attendance",
        "meetings:minute-edit",
        "recommendations:plan",
        "recommendations:divergence",
        "reviews:return-history",
        "case_reviews:list",
        "actions:list",
        "dashboard:index",
        "home",
    ):
        assert name in visited, f"{name} was not checked"
