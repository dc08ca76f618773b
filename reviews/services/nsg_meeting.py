"""The NSG meeting: the areas' approved updates into the SOG chairs' updates minute, and the national
case review table into the meeting's papers.

This is the one place that knows both returns and meetings: the meetings app serves every group
and knows nothing of returns, so the returns app brings its figures and narratives to a meeting,
through the meetings and papers apps' own services (the minute's version check and history, the
papers' versions).
"""

from django.core.files.base import ContentFile
from django.db import transaction

from mappa.refusals import require_secretariat
from meetings.models import AgendaItem, Meeting
from meetings.services.meetings import MeetingStepRefused
from meetings.services.minutes import EditConflict, save_minute
from papers.models import Paper
from papers.services import add_paper, replace_paper
from reviews.documents import case_review_table_filename, case_review_table_pdf
from reviews.selectors.nsg_meeting import approved_by_area
from reviews.services.returns import ReturnRefused

NO_UPDATE = "No update given."
NIL_UPDATE = "Nil return: nothing to report this quarter."


def sog_updates_text(period, updates):
    """The SOG chairs' updates as Markdown: "### Area" and its approved narrative, one sub-section per area.

    An area with no approved return is listed as such, so the minute shows who has not reported.
    """
    sections = []
    for entry in updates:
        if entry.ret is None:
            body = f"No approved return for {period.label}."
        else:
            body = entry.ret.narrative.strip() or (NIL_UPDATE if entry.ret.is_nil_return else NO_UPDATE)
        sections.append(f"### {entry.area.name}\n\n{body}")
    return "\n\n".join(sections)


@transaction.atomic
def add_sog_updates_to_minute(item, *, by, period, base_version, replace=False):
    """Write each area's approved update for ``period`` into the minute of the SOG chairs' updates item.

    The updates go after the text already there, unless ``replace``. The minute is
    saved through meetings.services.minutes.save_minute, so the version rises, the old
    text stays in the item's history, and if anyone saved since ``base_version``
    (the version the person saw) nothing is written: EditConflict. Returns
    (the saved item, the areas with their approved returns or None).
    """
    require_secretariat(by)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if current.kind != AgendaItem.Kind.SOG_UPDATES:
        raise MeetingStepRefused("Areas' updates go only into the SOG chairs' updates item.")
    if current.version != base_version:
        raise EditConflict(current)
    updates = approved_by_area(period)
    if not any(entry.ret for entry in updates):
        raise MeetingStepRefused({"period": f"No return for {period.label} has been approved yet"})
    text = sog_updates_text(period, updates)
    existing = current.narrative.rstrip()
    narrative = f"{existing}\n\n{text}" if existing and not replace else text
    saved = save_minute(current, by=by, narrative=narrative, decisions=current.decisions, base_version=base_version)
    return saved, updates


CASE_REVIEW_TABLE_TITLE = "National case review figures, {period}"


def attach_case_review_table(period, meeting, *, by):
    """Put the period's national case review table into a meeting's papers, under its SOG chairs' updates item.

    The first time it becomes a new paper; again (returns approved since) a new
    version of the same paper, the earlier kept. Refused if the meeting's
    minutes are agreed or its agenda has no SOG chairs' updates item. Returns
    (the paper, the version number).
    """
    require_secretariat(by)
    if meeting.minutes_are_agreed:
        raise ReturnRefused(
            {
                "meeting": "The minutes of that meeting are agreed: choose a meeting still to come "
                "or whose minutes are in draft"
            }
        )
    item = (
        AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.SOG_UPDATES, parent=None)
        .order_by("position")
        .first()
    )
    if item is None:
        raise ReturnRefused(
            {"meeting": "That meeting's agenda has no SOG chairs' updates item: choose another meeting"}
        )
    # Rendered before any lock is taken: it is the slow part.
    upload = ContentFile(case_review_table_pdf(period), name=case_review_table_filename(period))
    title = CASE_REVIEW_TABLE_TITLE.format(period=period.label)
    with transaction.atomic():
        # One at a time per meeting, so that two people attaching at once make one paper, not two.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        paper = Paper.objects.filter(agenda_item=item, title=title).first()
        if paper is not None:
            return paper, replace_paper(paper, by=by, upload=upload).number
        return add_paper(item, by=by, title=title, upload=upload), 1
