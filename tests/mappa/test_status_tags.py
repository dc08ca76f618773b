"""Statuses carry their GOV.UK tag colour (mappa.choices); pages show them with one include."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string

from accounts.models import PasswordResetRequest
from actions.models import Action
from dashboard.models import ReportBuild
from disclosure.models import DisclosureRequest, Job, Proposal
from mappa.choices import TAG_COLOURS, TAG_SHADES, StatusChoices
from mappa.templatetags.status_tags import choice
from meetings.models import AgendaProposal, Meeting, MinuteComment
from outbox.models import Email
from recommendations.models import Assessment, StatusUpdate
from reminders.models import Reminder
from reviews.models import QuarterlyReturn
from tests import html
from tests.meetings.factories import MeetingFactory

# Every status the service shows as a tag.
SHOWN_AS_TAGS = [
    Meeting.Status,
    AgendaProposal.Status,
    MinuteComment.Decision,
    Action.Status,
    QuarterlyReturn.Status,
    StatusUpdate.Status,
    Assessment.Grade,
    Reminder.State,
    Email.State,
    PasswordResetRequest.Outcome,
    DisclosureRequest.Status,
    Proposal.Decision,
    Job.Status,
    ReportBuild.Status,
]


def status_choices_of_every_model():
    for model in apps.get_models():
        for attribute in vars(model).values():
            if isinstance(attribute, type) and issubclass(attribute, StatusChoices):
                yield attribute


@pytest.mark.parametrize("statuses", SHOWN_AS_TAGS, ids=lambda statuses: statuses.__qualname__)
def test_every_status_shown_as_a_tag_carries_a_gov_uk_tag_colour(statuses):
    assert issubclass(statuses, StatusChoices)
    for status in statuses:
        assert status.colour in TAG_COLOURS, f"{statuses.__qualname__}.{status.name}: {status.colour!r}"
    assert set(statuses.colours) == set(statuses.values), "a colour for each status, and only for them"


def test_every_status_choices_of_the_models_is_checked_here():
    assert set(status_choices_of_every_model()) == set(SHOWN_AS_TAGS)


def test_the_recommendation_statuses_use_the_nearest_gov_uk_tag_colours():
    S = StatusUpdate.Status
    assert {status: status.colour for status in S} == {
        S.MET: "green",
        S.NOT_MET: "red",
        S.ON_HOLD: "grey",
        S.ON_TARGET: "blue",
        S.OUT_OF_TARGET: "orange",
        S.NO_CHANGE: "purple",
    }


@pytest.mark.django_db
def test_the_choice_filter_gives_the_member_of_a_field_read_from_the_database():
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    status = choice(Meeting.objects.get(pk=meeting.pk), "status")
    assert status is Meeting.Status.HELD
    assert (status.label, status.colour) == ("Held", "purple")
    assert choice(None, "status") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, label, colour",
    [
        (Meeting.Status.PLANNED, "Planned", "grey"),
        (Meeting.Status.DRAFT_CIRCULATED, "Draft minutes circulated", "yellow"),
        (Meeting.Status.PUBLISHED, "Published", "turquoise"),
    ],
)
def test_the_meeting_page_shows_its_status_as_a_tag_in_its_colour(client, secretariat_user, status, label, colour):
    meeting = MeetingFactory(status=status)
    client.force_login(secretariat_user)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    page = html.page(response)
    row = html.one(page, '//dl//div[dt[normalize-space()="Status"]]/dd')
    tag = html.one(row, './/strong[contains(concat(" ", @class, " "), " govuk-tag ")]')
    assert tag.get("class").split() == ["govuk-tag", f"govuk-tag--{colour}"]
    assert html.text(tag) == label


@pytest.mark.django_db
def test_the_meetings_list_shows_each_status_in_its_colour(client, secretariat_user):
    MeetingFactory(status=Meeting.Status.MINUTES_AGREED)
    client.force_login(secretariat_user)
    page = html.page(client.get("/meetings/"))
    tags = page.xpath('//table//strong[contains(concat(" ", @class, " "), " govuk-tag ")]')
    assert [(html.text(tag), tag.get("class")) for tag in tags] == [("Minutes agreed", "govuk-tag govuk-tag--green")]


def test_no_template_chooses_a_tag_colour_by_itself():
    """Colours come from the statuses: no ``govuk-tag {% if ... %}`` chains left in templates."""
    templates = Path(settings.BASE_DIR) / "templates"
    choosing = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'class="govuk-tag {%' in path.read_text() or "app-status" in path.read_text()
    ]
    assert choosing == []


def test_one_timeline_entry_says_what_who_and_when():
    at = datetime(2024, 3, 5, 14, 30, 15, tzinfo=ZoneInfo(settings.TIME_ZONE))
    user = get_user_model()(username="jsmith")
    entry = html.page(
        render_to_string("includes/timeline_entry.html", {"title": "Held", "by": user, "at": at, "text": "A note"})
    )
    assert html.texts(entry, '//*[@class="moj-timeline__title"]') == ["Held"]
    assert html.texts(entry, '//*[@class="moj-timeline__byline"]') == ["by jsmith"]
    assert html.texts(entry, "//time") == ["5 March 2024, 14:30"]
    assert html.texts(entry, '//*[@class="moj-timeline__description"]') == ["A note"]

    version = html.page(
        render_to_string(
            "includes/timeline_entry.html",
            {"version": 2, "title": "Draft", "by": None, "at": at, "seconds": True, "heading": "h2"},
        )
    )
    assert html.texts(version, '//h2[@class="moj-timeline__title"]') == ["Version 2 (Draft)"]
    assert html.texts(version, '//*[@class="moj-timeline__byline"]') == ["by the system"]
    assert html.texts(version, "//time") == ["5 March 2024, 14:30:15"]
    assert version.xpath('//*[@class="moj-timeline__description"]') == []


# --- One palette: the page's tags, the documents and the charts ---------------------------------


def test_the_shades_are_the_ones_gov_uk_frontend_draws_its_tags_with():
    import re

    built = (Path(settings.BASE_DIR) / "static" / "build" / "application.css").read_text()
    drawn = {
        colour: (text, background)
        for colour, text, background in re.findall(
            r"\.govuk-tag--([a-z-]+)\{color:(#[0-9a-f]{6});background-color:(#[0-9a-f]{6})\}", built
        )
    }
    assert drawn == TAG_SHADES


def test_the_action_plan_pdf_key_and_rows_use_the_status_tag_colours():
    markup = render_to_string(
        "documents/action_plan.html",
        {"rows": [], "statuses": list(StatusUpdate.Status), "produced_on": datetime(2017, 12, 1).date()},
    )
    key = html.page(markup).xpath('//table[@class="status-key"]//span[@class="status"]')
    assert {(span.text, span.get("style")) for span in key} == {
        (status.label, f"color: {status.shades[0]}; background: {status.shades[1]}") for status in StatusUpdate.Status
    }


@pytest.mark.django_db
def test_the_dashboards_status_chart_draws_each_bar_in_its_status_colours(client, inspector_user):
    from tests.recommendations.factories import RecommendationFactory, StatusUpdateFactory

    met = RecommendationFactory(number=1)
    StatusUpdateFactory(recommendation=met, status=StatusUpdate.Status.MET, completion_date=date(2017, 11, 8))
    late = RecommendationFactory(inspection=met.inspection, number=2)
    StatusUpdateFactory(recommendation=late, status=StatusUpdate.Status.OUT_OF_TARGET)
    client.force_login(inspector_user)

    page = html.page(client.get("/dashboard/"))

    chart = html.one(page, '//svg[starts-with(@aria-label, "Recommendations by status")]')
    bars = {(bar.get("fill"), bar.get("stroke")) for bar in chart.xpath('.//g[@class="bar"]')}
    assert bars == {tuple(reversed(status.shades)) for status in StatusUpdate.Status}
    # Colour is not the only signal: each bar's status is written beside it.
    labels = " ".join(chart.itertext())
    assert "Objective successfully met" in labels and "Out with target for completion within timescale" in labels
