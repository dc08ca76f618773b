"""Reading papers: who may see them, one paper of a meeting, an item to add one to, the agenda pack.

``may_see_papers`` is the one rule for who may see a meeting's papers.
"""

from dataclasses import dataclass

from django.http import Http404

from mappa import access
from meetings.models import AgendaItem, Meeting
from meetings.numbering import numbered_agenda
from meetings.selectors.documents import MeetingDocuments, meeting_documents
from papers.models import Paper, PaperVersion


def may_see_papers(user, meeting):
    """Whether ``user`` may see (list and download) the papers of ``meeting``, and its agenda pack.

    Everyone who may see the meeting (the secretariat, SOG chairs, NSG members,
    administrators) sees its papers at every stage, including papers marked not
    for publication: members receive those in the agenda pack. Inspectors see
    a meeting's papers only once its minutes are agreed (``minutes_are_agreed``);
    before that the papers are not theirs to see, and every paper address
    answers them "not found", as if it did not exist.
    """
    roles = access.roles_of(user)
    if roles - {access.Role.INSPECTOR}:
        return True
    return access.Role.INSPECTOR in roles and meeting.minutes_are_agreed


def visible_papers(user):
    """The papers ``user`` may see, as a query set: may_see_papers for many meetings at once."""
    roles = access.roles_of(user)
    if roles - {access.Role.INSPECTOR}:
        return Paper.objects.all()
    if access.Role.INSPECTOR in roles:
        agreed = Meeting.statuses_from(Meeting.Status.MINUTES_AGREED)
        return Paper.objects.filter(agenda_item__meeting__status__in=agreed)
    return Paper.objects.none()


def _visible_or_404(user, meeting):
    if not may_see_papers(user, meeting):
        raise Http404("No such paper")


def paper_in_meeting(pk, paper_pk, user):
    """The paper ``paper_pk`` of meeting ``pk``, with its versions, if ``user`` may see it; else Http404.

    A paper of another meeting, asked for under this meeting's address, is "not found".
    """
    try:
        paper = (
            Paper.objects.select_related("agenda_item__meeting__body")
            .prefetch_related("versions")
            .get(pk=paper_pk, agenda_item__meeting_id=pk)
        )
    except Paper.DoesNotExist:
        raise Http404("No such paper") from None
    _visible_or_404(user, paper.agenda_item.meeting)
    return paper


def version_of(paper, number=None):
    """A version of ``paper`` (its current one when ``number`` is None), or Http404."""
    versions = {version.number: version for version in paper.versions.all()}
    version = paper.current_version if number is None else versions.get(number)
    if version is None:
        raise Http404("No such version")
    return version


@dataclass
class ItemPapers:
    """An agenda item with its number, and its papers with their versions."""

    meeting: Meeting
    item: AgendaItem
    number: str
    papers: list


def item_in_meeting(pk, item_pk):
    """Agenda item ``item_pk`` of meeting ``pk`` with its number and papers; Http404 if it is not that meeting's."""
    try:
        meeting = Meeting.objects.select_related("body").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None
    agenda = numbered_agenda(list(meeting.agenda_items.prefetch_related("papers__versions")))
    entry = next((entry for entry in agenda if entry.item.pk == item_pk), None)
    if entry is None:
        raise Http404("No such agenda item")
    return ItemPapers(meeting=meeting, item=entry.item, number=entry.number, papers=list(entry.item.papers.all()))


def item_number(item):
    """The number ("4.1") the agenda gives ``item``."""
    agenda = numbered_agenda(list(AgendaItem.objects.filter(meeting_id=item.meeting_id)))
    return next(entry.number for entry in agenda if entry.item.pk == item.pk)


@dataclass
class PackEntry:
    """One paper in the agenda pack: the item it belongs to, its current version, and where it starts."""

    number: str
    item: AgendaItem
    paper: Paper
    version: PaperVersion
    first_page: int | None = None
    page_count: int = 0
    # Why it is not in the pack ("not included: DOCX — download from the service"), if it is not.
    left_out: str = ""


@dataclass
class AgendaPack:
    docs: MeetingDocuments
    entries: list[PackEntry]

    @property
    def meeting(self):
        return self.docs.meeting


def agenda_pack(pk, user):
    """A meeting's agenda and every paper's current version in agenda order, in a fixed number of queries.

    Http404 if there is no such meeting or ``user`` may not see its papers.
    """
    docs = meeting_documents(pk, with_minute=False)
    _visible_or_404(user, docs.meeting)
    order = {entry.item.pk: (index, entry) for index, entry in enumerate(docs.agenda)}
    papers = Paper.objects.filter(agenda_item__meeting_id=pk).prefetch_related("versions")
    entries = []
    for paper in sorted(papers, key=lambda p: (order.get(p.agenda_item_id, (len(order),))[0], p.position)):
        version = paper.current_version
        if version is None or paper.agenda_item_id not in order:
            continue
        entry = order[paper.agenda_item_id][1]
        paper.agenda_item = entry.item  # no query per paper
        entries.append(PackEntry(number=entry.number, item=entry.item, paper=paper, version=version))
    return AgendaPack(docs=docs, entries=entries)
