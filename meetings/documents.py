"""A meeting's documents: the agenda (PDF), the minute (PDF and Word) and the invitation (iCalendar).

Renderers: each takes a meeting's documents (meetings.selectors.documents.meeting_documents)
and returns the bytes; and ``stored_pdf``, a PDF kept once it can no longer change (StoredDocument).
Until the minute is agreed, both its PDF and its Word copy say DRAFT on every page. Who may download
them is meetings/views/documents.py's.
"""

import io
from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date
from docx import Document
from docx.shared import Pt, RGBColor
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from mappa.pdf import pdf_from_html
from mappa.text import markdown_blocks, render_markdown
from meetings.models import StoredDocument

PRODID = "-//Scottish Government Community Safety Unit//MAPPA Governance//EN"


def _minute_context(docs):
    for entry in docs.agenda:
        entry.narrative_html = render_markdown(entry.item.narrative)
        entry.decisions_html = render_markdown(entry.item.decisions)
    return {"docs": docs, "meeting": docs.meeting, "draft": docs.is_draft}


def minutes_pdf(docs) -> bytes:
    """The minute as a PDF (DRAFT on every page until it is agreed)."""
    return pdf_from_html(minutes_html(docs))


def minutes_html(docs) -> str:
    """The minute's PDF as HTML, before it is laid out (disclosure redacts it there)."""
    return render_to_string("documents/minutes.html", _minute_context(docs))


def draft_minutes_pdf(docs) -> bytes:
    """The minute as a PDF, for attaching to the circulation e-mail."""
    return minutes_pdf(docs)


def agenda_pdf(docs, *, numbered_by_pack=False) -> bytes:
    """The agenda as a PDF; in the agenda pack without page numbers of its own (the pack numbers its pages)."""
    return pdf_from_html(agenda_html(docs, numbered_by_pack=numbered_by_pack))


def agenda_html(docs, *, numbered_by_pack=False) -> str:
    """The agenda's PDF as HTML, before it is laid out (disclosure redacts it there)."""
    return render_to_string(
        "documents/agenda.html",
        {"docs": docs, "meeting": docs.meeting, "draft": False, "numbered_by_pack": numbered_by_pack},
    )


def stored_pdf(meeting, kind, *, source=""):
    """The bytes of the meeting's kept ``kind`` of PDF (StoredDocument) made from ``source``; None if none is
    kept, or it was made from something else, or storage has lost its file (then it is rendered again)."""
    stored = StoredDocument.objects.filter(meeting=meeting, kind=kind).first()
    if stored is None or stored.source != source:
        return None
    try:
        with stored.file.open("rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


# --- The minute as a Word document -------------------------------------------------------------


def _long_date(value):
    return format_date(value, "l j F Y")


def _short_date(value):
    return format_date(value, "j F Y")


def _add_blocks(document, text):
    styles = {"bullet": "List Bullet", "number": "List Number", "quote": "Quote"}
    for kind, block in markdown_blocks(text):
        if kind == "heading":
            document.add_heading(block, level=4)
        else:
            document.add_paragraph(block, style=styles.get(kind))


def _add_people(document, records):
    for record in records:
        document.add_paragraph(record.label, style="List Bullet")


def minutes_document(docs) -> bytes:
    """The minute as a .docx: the same content as its PDF, with DRAFT in the page header until agreed."""
    meeting, body = docs.meeting, docs.meeting.body
    document = Document()
    document.core_properties.title = f"Minute: {meeting}"
    document.core_properties.author = body.name

    header = document.sections[0].header.paragraphs[0]
    header.text = f"{body.name} — minute of {_short_date(meeting.date)}"
    if docs.is_draft:
        draft = header.add_run("    DRAFT")
        draft.bold = True
        draft.font.size = Pt(14)
        draft.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    document.add_heading(f"{body.name.upper()}, {meeting.venue.upper()}", level=1)
    when = document.add_paragraph()
    times = f"{meeting.start_time:%H:%M} to {meeting.end_time:%H:%M}"
    when.add_run(f"{_long_date(meeting.date).upper()}, {times}").bold = True
    if docs.is_draft:
        note = "DRAFT minute"
        if meeting.status == meeting.Status.DRAFT_CIRCULATED and meeting.comment_deadline:
            note += f": comments by {_short_date(meeting.comment_deadline)}"
        document.add_paragraph(f"{note}.")
    elif meeting.agreed_at_id:
        document.add_paragraph(
            f"Agreed as a true record at the meeting of {_short_date(meeting.agreed_at.date)}{meeting.agreement_ending}"
        )

    document.add_heading("Present", level=2)
    if docs.present:
        _add_people(document, docs.present)
    else:
        document.add_paragraph("No one is recorded as present.")
    for record in docs.in_attendance:
        item = f" for item {record.item_number}" if record.item_number else ""
        document.add_paragraph(f"In attendance{item}: {record.label}")

    document.add_heading("Apologies", level=2)
    if docs.apologies:
        _add_people(document, docs.apologies)
    else:
        document.add_paragraph("No apologies were received.")

    for entry in docs.agenda:
        number = f"Item {entry.number}" if entry.depth == 0 else entry.number
        document.add_heading(f"{number}  {entry.item.title}", level=2 if entry.depth == 0 else 3)
        if entry.item.kind == entry.item.Kind.PREVIOUS_MINUTES:
            for earlier in docs.previous_agreed:
                document.add_paragraph(earlier.agreement_sentence)
        _add_blocks(document, entry.item.narrative)
        _add_blocks(document, entry.item.decisions)
        for action in entry.actions:
            line = document.add_paragraph()
            owner = action.owner_label or "owner to be confirmed"
            line.add_run(f"Action: {owner} — due {_short_date(action.due_date)}").bold = True
            line.add_run(f" (action {action.number})")
            document.add_paragraph(action.text)
        if entry.item == docs.next_meeting_item:
            _add_next_meeting(document, docs, has_narrative=bool(entry.item.narrative.strip()))

    if docs.next_meeting_item is None:
        document.add_heading("Date of next meeting", level=2)
        _add_next_meeting(document, docs, has_narrative=False)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_next_meeting(document, docs, *, has_narrative):
    following = docs.next_meeting
    body = docs.meeting.body
    if following:
        document.add_paragraph(
            f"The next meeting of the {body.short_name or body.name} will be held on "
            f"{_long_date(following.date)} at {following.start_time:%H:%M}, {following.venue}."
        )
    elif not has_narrative:
        document.add_paragraph("The date of the next meeting is to be confirmed.")


# --- The invitation (iCalendar, as Outlook accepts it) ------------------------------------------


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'mappa-governance@localhost'}")
    organizer.params["CN"] = vText(name or "MAPPA Governance")
    return organizer


def meeting_uid(meeting):
    """The same UID for every copy of a meeting's invitation, so calendars update it in place."""
    return f"meeting-{meeting.pk}@mappa-governance"


def invitation(docs) -> bytes:
    """A VCALENDAR (METHOD:REQUEST) with one VEVENT in Europe/London time and its VTIMEZONE."""
    meeting, body = docs.meeting, docs.meeting.body
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
    end = datetime.combine(meeting.date, meeting.end_time, tzinfo=zone)

    agenda = "\n".join(
        f"{'    ' * entry.depth}{entry.number}{'' if entry.depth else '.'} {entry.item.title}" for entry in docs.agenda
    )
    description = f"{body.name}, {_long_date(meeting.date)}, {meeting.start_time:%H:%M} to {meeting.end_time:%H:%M}."
    if agenda:
        description += f"\n\nAgenda:\n{agenda}"
    description += f"\n\nMeeting page: {settings.SITE_URL}{meeting.get_absolute_url()}"

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{body.name} meeting")
    event.add("location", meeting.venue)
    event.add("description", description)
    event.add("organizer", _organizer())
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    # Only the transitions around the meeting: a short VTIMEZONE that Outlook reads.
    calendar.add_component(
        Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=meeting.date - timedelta(days=366),
            last_date=meeting.date + timedelta(days=366),
        )
    )
    calendar.add_component(event)
    return calendar.to_ical()
