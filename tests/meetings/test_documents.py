"""Members download a meeting's documents: the agenda and the minute as PDF, the minute in Word,
and the invitation for Outlook. Until the minute is agreed it says DRAFT, and inspectors cannot
see it."""

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from actions.models import Action
from mappa import pdf
from mappa.models import Organisation
from mappa.text import markdown_blocks, render_markdown
from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import BodyFactory, NsgFactory, OrganisationFactory, PersonFactory
from tests.mappa.test_pdf_fetcher import SpyFetcher

pytestmark = pytest.mark.django_db

HAMILTON = "Committee Room 5, South Lanarkshire Council HQ, Almada Street, Hamilton"
K = AgendaItem.Kind
S = Meeting.Status
# The most queries a document may take, however many items and actions the meeting has.
MAX_DOCUMENT_QUERIES = 20


def pdf_pages(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages]


def pdf_text(response):
    return "\n".join(pdf_pages(response))


def docx_paragraphs(response):
    document = Document(BytesIO(response.content))
    return document, [p.text for p in document.paragraphs]


# --- Building meetings --------------------------------------------------------------------------


def add_action(meeting, item, number, by, *, text, due, organisations=(), people=(), bodies=(), first_due=None):
    action = Action.objects.create(
        meeting=meeting,
        agenda_item=item,
        number=number,
        text=text,
        due_date=due,
        original_due_date=first_due or due,
        created_by=by,
    )
    action.owner_organisations.set(organisations)
    action.owner_people.set(people)
    action.owner_bodies.set(bodies)
    return action


@pytest.fixture
def sg(db):
    return OrganisationFactory(name="Scottish Government", short_name="SG", kind=Organisation.Kind.GOVERNMENT)


@pytest.fixture
def november(secretariat_user, sg):
    """The NSG meeting of 8 November 2017 in Hamilton, its draft minute out for comment."""
    nsg = NsgFactory()
    police = OrganisationFactory(name="Police Scotland", short_name="Police Scotland")
    rma = OrganisationFactory(name="Risk Management Authority", short_name="RMA")
    chair = PersonFactory(name="Morag Chalmers", organisation=sg)
    meeting = Meeting.objects.create(
        body=nsg,
        date=date(2017, 11, 8),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue=HAMILTON,
        chair=chair,
        status=S.DRAFT_CIRCULATED,
        comment_deadline=date(2017, 11, 27),
    )
    items = {}
    for position, (kind, title) in enumerate(
        [
            (K.WELCOME, "Welcome, Introductions and Apologies"),
            (K.PREVIOUS_MINUTES, "Previous Minutes and matters arising"),
            (K.TOPIC, "MAPPA: Thematic Inspection Action Plan"),
            (K.AOB, "Any other business"),
            (K.NEXT_MEETING, "Date and Location of Next Meeting"),
        ],
        start=1,
    ):
        items[str(position)] = AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=title)
    items["3.1"] = AgendaItem.objects.create(
        meeting=meeting,
        parent=items["3"],
        position=1,
        title="Environmental Risk Assessment standards",
        lead_organisation=rma,
        minutes_allotted=20,
    )
    items["1"].narrative = "The chair welcomed members to the latest meeting of the MAPPA NSG."
    items["1"].save()
    items["3"].narrative = (
        "The chair gave a brief overview of the **Inspectorates' Progress Review** "
        "published on 29 June 2017:\n\n- 4 recommendations complete\n- 3 with good progress"
    )
    items["3"].decisions = "It was agreed that the SG would circulate the revised Action Plan."
    items["3"].save()
    Attendance.objects.create(meeting=meeting, person=chair, status=Attendance.Status.PRESENT)
    Attendance.objects.create(
        meeting=meeting, person=PersonFactory(name="Ewan Rennie", organisation=rma), status=Attendance.Status.PRESENT
    )
    Attendance.objects.create(
        meeting=meeting,
        person=PersonFactory(name="Fiona Baird", organisation=police),
        status=Attendance.Status.APOLOGIES,
    )
    Attendance.objects.create(
        meeting=meeting,
        person=PersonFactory(name="Iain Gow", organisation=rma),
        status=Attendance.Status.IN_ATTENDANCE,
        for_item=items["3.1"],
    )
    add_action(
        meeting,
        items["3"],
        1,
        secretariat_user,
        organisations=[sg],
        due=date(2017, 11, 27),
        text="Circulate the revised Thematic Inspection Action Plan to members.",
    )
    add_action(
        meeting,
        items["4"],
        2,
        secretariat_user,
        bodies=[nsg],
        due=date(2017, 12, 15),
        first_due=date(2017, 12, 1),
        text="Send comments on the ERA standards.",
    )
    Meeting.objects.create(
        body=nsg,
        date=date(2018, 2, 14),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="St Andrew's House, Regent Road, Edinburgh",
    )
    meeting.items = items
    return meeting


def agree(meeting):
    later = Meeting.objects.filter(body=meeting.body, date__gt=meeting.date).order_by("date").first()
    Meeting.objects.filter(pk=meeting.pk).update(status=S.MINUTES_AGREED, agreed_at=later)


def meeting_of_size(*, top_items, sub_items, actions, by, body=None, on=date(2017, 11, 8)):
    """A meeting with many items, attendees and actions owned by people, organisations and groups.

    Used by the query-count tests and by scripts/benchmark_documents.py.
    """
    body = body or NsgFactory()
    sg = Organisation.objects.get_or_create(
        name="Scottish Government", defaults={"short_name": "SG", "kind": Organisation.Kind.GOVERNMENT}
    )[0]
    csu = Organisation.objects.get_or_create(
        name="Community Safety Unit", defaults={"short_name": "CSU", "kind": Organisation.Kind.GOVERNMENT, "parent": sg}
    )[0]
    people = [PersonFactory(organisation=csu if n % 2 else sg) for n in range(12)]
    meeting = Meeting.objects.create(
        body=body,
        date=on,
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue=HAMILTON,
        chair=people[0],
        status=S.DRAFT_CIRCULATED,
    )
    items = []
    for position in range(1, top_items + 1):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=f"Topic {position}",
                lead_person=people[position % 12],
                minutes_allotted=10,
                narrative=f"Discussion of topic {position}.\n\n- one point\n- another point",
                decisions=f"It was agreed that topic {position} would return to the next meeting.",
            )
        )
    for n in range(sub_items):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                parent=items[n % top_items],
                position=n + 1,
                title=f"Sub-topic {n + 1}",
                lead_organisation=csu,
            )
        )
    for n, person in enumerate(people):
        status = Attendance.Status.APOLOGIES if n >= 10 else Attendance.Status.PRESENT
        Attendance.objects.create(meeting=meeting, person=person, status=status)
    for number in range(1, actions + 1):
        owners = {
            0: {"organisations": [sg]},
            1: {"organisations": [csu]},
            2: {"people": people[:2]},
            3: {"bodies": [body]},
        }[number % 4]
        add_action(
            meeting,
            items[number % len(items)],
            number,
            by,
            due=date(2017, 12, 1),
            text=f"Action number {number}.",
            **owners,
        )
    return meeting


# --- The minute as a PDF ------------------------------------------------------------------------


def test_the_minute_pdf_reads_like_the_nsg_minutes(client, member_user, november):
    client.force_login(member_user)
    response = client.get(f"/meetings/{november.pk}/minutes.pdf")
    assert response["Content-Disposition"] == 'inline; filename="nsg-minutes-2017-11-08-draft.pdf"'
    text = pdf_text(response)
    assert "MAPPA NATIONAL STRATEGIC GROUP, COMMITTEE ROOM 5, SOUTH LANARKSHIRE COUNCIL HQ" in text
    assert "WEDNESDAY 8 NOVEMBER 2017, 10:30 to 13:00" in text
    assert "Draft minute: comments by 27 November 2017." in text
    present = text.index("Present")
    apologies = text.index("Apologies")
    assert present < text.index("Morag Chalmers (chair) — SG") < apologies
    assert present < text.index("Ewan Rennie — RMA") < apologies
    assert present < text.index("In attendance for item 3.1") < text.index("Iain Gow — RMA") < apologies
    assert apologies < text.index("Fiona Baird — Police Scotland") < text.index("Item 1 ")
    assert "Item 1 Welcome, Introductions and Apologies" in text
    assert "The chair welcomed members to the latest meeting of the MAPPA NSG." in text
    assert "3.1 Environmental Risk Assessment standards" in text
    item3 = text.index("Item 3 MAPPA: Thematic Inspection Action Plan")
    assert item3 < text.index("Inspectorates' Progress Review") < text.index("4 recommendations complete")
    assert item3 < text.index("It was agreed that the SG would circulate the revised Action Plan.")
    action = text.index("Action: SG")
    assert (
        item3
        < action
        < text.index("Circulate the revised Thematic Inspection Action Plan")
        < text.index("Due: 27 November 2017 (action 1)")
        < text.index("Item 4 Any other business")
    )
    assert "Action: All NSG members" in text
    assert "Due: 15 December 2017 (first set for 1 December 2017)" in text
    next_meeting = text.index("Item 5 Date and Location of Next Meeting")
    assert next_meeting < text.index(
        "The next meeting of the NSG will be held on Wednesday 14 February 2018 at "
        "10:30, St Andrew's House, Regent Road, Edinburgh."
    )
    assert "Page 1 of" in text
    assert PdfReader(BytesIO(response.content)).metadata.title == "Minute: NSG, 8 November 2017"


def test_the_minute_says_draft_on_every_page_until_it_is_agreed(client, member_user, secretariat_user, november):
    # Enough minute to run over several pages.
    for item in november.items.values():
        item.narrative += "\n\n" + "\n\n".join(
            f"Paragraph {n} of the discussion, at some length. " * 6 for n in range(8)
        )
        item.save()
    client.force_login(member_user)
    pages = pdf_pages(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert len(pages) > 2
    # Twice on each page: the watermark across it, and the running header.
    assert [page.count("DRAFT") for page in pages] == [2] * len(pages)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert all("MAPPA National Strategic Group — minute of 8 November 2017" in page for page in pages)

    agree(november)
    pages = pdf_pages(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert not any("DRAFT" in page for page in pages)
    assert "Agreed as a true record at the meeting of 14 February 2018." in pages[0]
    response = client.get(f"/meetings/{november.pk}/minutes.pdf")
    assert response["Content-Disposition"] == 'inline; filename="nsg-minutes-2017-11-08.pdf"'


def test_a_minute_without_a_next_meeting_item_ends_with_the_date_of_the_next_meeting(client, member_user, november):
    november.items["5"].delete()
    client.force_login(member_user)
    text = pdf_text(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert (
        text.index("Item 4 Any other business")
        < text.index("Date of next meeting")
        < text.index("The next meeting of the NSG will be held on Wednesday 14 February 2018")
    )
    Meeting.objects.filter(date=date(2018, 2, 14)).delete()
    text = pdf_text(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert "The date of the next meeting is to be confirmed." in text


# --- What people type is cleaned ----------------------------------------------------------------


def test_script_and_raw_html_in_a_narrative_are_removed(client, member_user, november):
    narrative = (
        'Members noted the update.\n\n<script>alert("minute")</script>\n\n'
        '<b onclick="alert(1)">Bold claim</b> and <iframe src="https://example.com">framed</iframe>'
        "[a link](javascript:alert(2)) and [the review](https://www.hmics.scot/review)\n\n"
        '<style>body { display: none }</style><p style="color: red" onmouseover="alert(3)">Styled</p>'
    )
    html = render_markdown(narrative)
    assert "alert(" not in html
    assert "<script" not in html and "<style" not in html and "<iframe" not in html and "framed" not in html
    assert "onclick" not in html and "onmouseover" not in html and "style=" not in html and "<b" not in html
    assert "Bold claim" in html and "Styled" in html
    assert '<a href="https://www.hmics.scot/review" rel="noopener noreferrer">the review</a>' in html

    item = november.items["2"]
    item.narrative = narrative
    item.save()
    client.force_login(member_user)
    text = pdf_text(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert "Members noted the update." in text and "Bold claim" in text and "Styled" in text
    assert "alert(" not in text and "display: none" not in text


def test_images_from_the_web_or_the_server_disk_are_not_fetched_and_the_minute_still_renders(
    client, member_user, november, monkeypatch
):
    spy = SpyFetcher()
    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    item = november.items["2"]
    item.narrative = (
        "Before the pictures.\n\n![x](http://example.com/x.png)\n\n"
        '<img src="file:///etc/passwd" alt="passwd">\n\n![y](file:///etc/passwd)\n\nAfter the pictures.'
    )
    item.save()
    client.force_login(member_user)
    text = pdf_text(client.get(f"/meetings/{november.pk}/minutes.pdf"))
    assert "Before the pictures." in text and "After the pictures." in text
    assert "root:" not in text
    # Every image was dropped when the narrative was cleaned (mappa/text.py), so none reached the
    # fetcher; and the fetcher refuses them too.
    assert spy.refused == []
    assert spy.served == ["/static/build/print.css"]
    for url in ("http://example.com/x.png", "file:///etc/passwd"):
        with pytest.raises(pdf.ResourceRefused):
            pdf.safe_url_fetcher(url)


# --- The agenda ---------------------------------------------------------------------------------


def test_the_agenda_pdf_lists_numbered_items_with_leads_and_times(client, inspector_user, november):
    client.force_login(inspector_user)
    response = client.get(f"/meetings/{november.pk}/agenda.pdf")
    text = pdf_text(response)
    assert response["Content-Disposition"] == 'inline; filename="nsg-agenda-2017-11-08.pdf"'
    assert "MAPPA NATIONAL STRATEGIC GROUP" in text
    assert HAMILTON in text
    assert "Wednesday 8 November 2017, 10:30 to 13:00" in text
    assert "Chair: Morag Chalmers (SG)" in text
    agenda = text.index("AGENDA")
    assert (
        agenda
        < text.index("1. Welcome, Introductions and Apologies")
        < text.index("3. MAPPA: Thematic Inspection Action Plan")
        < text.index("3.1 Environmental Risk Assessment standards")
        < text.index("Lead: RMA · 20 minutes")
        < text.index("5. Date and Location of Next Meeting")
    )
    # The agenda is not the minute.
    assert "DRAFT" not in text and "Action:" not in text and "The chair welcomed" not in text


# --- The minute in Word -------------------------------------------------------------------------


def test_the_minute_in_word_has_the_same_content_and_says_draft(client, member_user, november):
    client.force_login(member_user)
    response = client.get(f"/meetings/{november.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="nsg-minutes-2017-11-08-draft.docx"'
    document, paragraphs = docx_paragraphs(response)
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    assert paragraphs[0] == f"MAPPA NATIONAL STRATEGIC GROUP, {HAMILTON.upper()}"
    assert paragraphs[1] == "WEDNESDAY 8 NOVEMBER 2017, 10:30 to 13:00"
    assert "Morag Chalmers (chair) — SG" in paragraphs
    assert "In attendance for item 3.1: Iain Gow — RMA" in paragraphs
    assert paragraphs.index("Apologies") < paragraphs.index("Fiona Baird — Police Scotland")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Item 1  Welcome, Introductions and Apologies" in headings
    assert "Item 3  MAPPA: Thematic Inspection Action Plan" in headings
    assert "3.1  Environmental Risk Assessment standards" in headings
    item3 = paragraphs.index("Item 3  MAPPA: Thematic Inspection Action Plan")
    assert paragraphs[item3 + 1].startswith("The chair gave a brief overview of the Inspectorates' Progress Review")
    assert paragraphs[item3 + 2] == "4 recommendations complete"  # a bullet, as plain text
    assert "It was agreed that the SG would circulate the revised Action Plan." in paragraphs
    action = paragraphs.index("Action: SG — due 27 November 2017 (action 1)")
    assert item3 < action
    assert paragraphs[action + 1] == "Circulate the revised Thematic Inspection Action Plan to members."
    assert "Action: All NSG members — due 15 December 2017 (action 2)" in paragraphs
    assert (
        "The next meeting of the NSG will be held on Wednesday 14 February 2018 at 10:30, "
        "St Andrew's House, Regent Road, Edinburgh."
    ) in paragraphs

    agree(november)
    document, paragraphs = docx_paragraphs(client.get(f"/meetings/{november.pk}/minutes.docx"))
    assert "DRAFT" not in document.sections[0].header.paragraphs[0].text
    assert not any("DRAFT" in text for text in paragraphs)


def test_the_word_minute_is_cleaned_as_the_pdf_is():
    blocks = markdown_blocks(
        'Noted.\n\n<script>alert(1)</script>\n\n- <b onclick="x()">first</b>\n- second\n\n'
        "[review](https://www.hmics.scot/review)"
    )
    assert blocks == [
        ("paragraph", "Noted."),
        ("bullet", "first"),
        ("bullet", "second"),
        ("paragraph", "review (https://www.hmics.scot/review)"),
    ]


# --- The invitation -----------------------------------------------------------------------------


def test_the_invitation_opens_in_outlook_at_the_right_time_and_place(client, inspector_user, november):
    client.force_login(inspector_user)
    response = client.get(f"/meetings/{november.pk}/invite.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nsg-meeting-2017-11-08.ics"'
    assert b"METHOD:REQUEST" in response.content
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [event] = calendar.events
    london = ZoneInfo("Europe/London")
    assert event.start == datetime(2017, 11, 8, 10, 30, tzinfo=london)
    assert event.end == datetime(2017, 11, 8, 13, 0, tzinfo=london)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert b"DTSTART;TZID=Europe/London:20171108T103000" in response.content
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/London"]
    assert event["SUMMARY"] == "MAPPA National Strategic Group meeting"
    assert event["LOCATION"] == HAMILTON
    assert event["UID"] == f"meeting-{november.pk}@mappa-governance"
    assert "DTSTAMP" in event and "ORGANIZER" in event
    description = str(event["DESCRIPTION"])
    assert "1. Welcome, Introductions and Apologies" in description
    assert "3.1 Environmental Risk Assessment standards" in description
    # A second download updates the same calendar entry.
    again = Calendar.from_ical(client.get(f"/meetings/{november.pk}/invite.ics").content)
    assert again.events[0]["UID"] == event["UID"]


def test_a_summer_meeting_is_at_bst(client, member_user):
    meeting = Meeting.objects.create(
        body=NsgFactory(),
        date=date(2017, 5, 31),
        start_time=time(10, 30),
        end_time=time(13, 0),
        venue="St Andrew's House",
    )
    client.force_login(member_user)
    [event] = Calendar.from_ical(client.get(f"/meetings/{meeting.pk}/invite.ics").content).events
    assert event.start.utcoffset().total_seconds() == 3600
    assert event.start.astimezone(ZoneInfo("UTC")).hour == 9


# --- Who may read what --------------------------------------------------------------------------


def test_inspectors_see_a_minute_only_once_it_is_agreed(client, inspector_user, november):
    client.force_login(inspector_user)
    assert client.get(f"/meetings/{november.pk}/minutes.pdf").status_code == 404
    assert client.get(f"/meetings/{november.pk}/minutes.docx").status_code == 404
    # The agenda and the invitation are for everyone.
    assert client.get(f"/meetings/{november.pk}/agenda.pdf").status_code == 200
    assert client.get(f"/meetings/{november.pk}/invite.ics").status_code == 200
    agree(november)
    assert client.get(f"/meetings/{november.pk}/minutes.pdf").status_code == 200
    assert client.get(f"/meetings/{november.pk}/minutes.docx").status_code == 200


@pytest.mark.parametrize("role", ["secretariat", "sog_chair", "nsg_member", "administrator"])
def test_members_chairs_and_the_secretariat_read_the_draft(client, users_by_role, role, november):
    client.force_login(users_by_role[role])
    assert client.get(f"/meetings/{november.pk}/minutes.pdf").status_code == 200
    assert client.get(f"/meetings/{november.pk}/minutes.docx").status_code == 200


@pytest.mark.parametrize("role", ["secretariat", "inspector"])
def test_nobody_writes_through_the_documents(client, users_by_role, role, november):
    client.force_login(users_by_role[role])
    for name in ("minutes.pdf", "minutes.docx", "agenda.pdf", "invite.ics"):
        assert client.post(f"/meetings/{november.pk}/{name}").status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, november):
    response = client.get(f"/meetings/{november.pk}/minutes.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_meeting_that_does_not_exist_is_not_found(client, member_user):
    client.force_login(member_user)
    for name in ("minutes.pdf", "minutes.docx", "agenda.pdf", "invite.ics"):
        assert client.get(f"/meetings/999999/{name}").status_code == 404


# --- However long the meeting, a fixed number of queries ----------------------------------------


@pytest.mark.parametrize("document", ["minutes.pdf", "agenda.pdf", "minutes.docx", "invite.ics"])
def test_documents_take_the_same_few_queries_for_3_items_as_for_30(
    client, member_user, secretariat_user, document, django_assert_max_num_queries
):
    small = meeting_of_size(top_items=3, sub_items=0, actions=3, by=secretariat_user)
    large = meeting_of_size(
        top_items=20,
        sub_items=10,
        actions=60,
        by=secretariat_user,
        body=BodyFactory(name="ERA SLWG"),
        on=date(2017, 11, 9),
    )
    assert large.agenda_items.count() == 30 and large.actions.count() == 60
    client.force_login(member_user)
    client.get("/")  # the session's first save is not the document's
    counts = {}
    for meeting in (small, large):
        with django_assert_max_num_queries(MAX_DOCUMENT_QUERIES):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/meetings/{meeting.pk}/{document}")
        assert response.status_code == 200
        counts[meeting.pk] = len(queries)
    assert counts[small.pk] == counts[large.pk]
    if document == "minutes.pdf":
        text = pdf_text(response)
        assert "Item 20 Topic 20" in text and "Action number 60." in text
