"""Images in minutes are never shown, whatever their address (mappa/text.py).

The service serves no images of its own, so an image in a narrative could only come from
elsewhere: every reader's browser (and the PDF renderer) would fetch it, telling its owner
who read the minute and when. Both Markdown's ``![alt](url)`` and raw HTML ``<img>`` go.
"""

from datetime import date

import pytest
import time_machine

from mappa.text import markdown_blocks, render_markdown
from meetings.models import Meeting
from meetings.services import meetings as services
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

URLS = [
    "http://tracker.example/pixel.png",
    "https://tracker.example/pixel.png",
    "//tracker.example/pixel.png",
    "/media/papers/2017/11/pixel.png",
    "pixel.png",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "write",
    [
        lambda url: f"![Chart of referrals]({url})",
        lambda url: f'<img src="{url}" alt="Chart of referrals">',
        lambda url: f"<p>Inline <img src='{url}'> picture</p>",
    ],
    ids=["markdown", "html", "html-inline"],
)
def test_no_image_survives_whatever_its_address(url, write):
    html = str(render_markdown(f"Before the chart.\n\n{write(url)}\n\nAfter the chart."))
    assert "<img" not in html
    assert "pixel.png" not in html and "base64" not in html and "javascript:" not in html
    assert "Before the chart." in html and "After the chart." in html


def test_links_and_the_rest_of_the_allowlist_are_unchanged():
    html = str(render_markdown("See [the review](https://www.hmics.scot/review) and **this**."))
    assert html == (
        '<p>See <a href="https://www.hmics.scot/review" rel="noopener noreferrer">the review</a> '
        "and <strong>this</strong>.</p>"
    )


def test_the_word_minute_drops_images_too():
    assert markdown_blocks("Text.\n\n![x](https://tracker.example/pixel.png)") == [("paragraph", "Text.")]


@pytest.mark.django_db
def test_a_member_reading_the_circulated_draft_sees_no_image(client, secretariat_user, member_user):
    meeting = MeetingFactory(date=date(2017, 11, 8), status=Meeting.Status.HELD)
    AgendaItemFactory(
        meeting=meeting,
        position=1,
        title="Thematic Inspection Action Plan",
        narrative="Four recommendations are complete.\n\n"
        "![progress](https://tracker.example/pixel.png)\n\n"
        '<img src="//tracker.example/pixel.png" alt="progress">\n\n'
        "![local](/media/papers/x.png)",
    )
    with time_machine.travel(date(2017, 11, 20)):
        services.advance_meeting(
            meeting, Meeting.Status.DRAFT_CIRCULATED, by=secretariat_user, comment_deadline=date(2017, 11, 27)
        )
        client.force_login(member_user)
        page = client.get(f"/meetings/{meeting.pk}/comments/").content.decode()
    assert "Four recommendations are complete." in page
    assert "tracker.example" not in page and "/media/papers/x.png" not in page
