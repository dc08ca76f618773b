"""Paper pages: add a paper to an agenda item, replace it, mark it not for publication, download it, the agenda pack.

Views parse the request, call a selector or service, and render. Files go out
only through ``_send``, as attachments with the stored (checked) content type,
after papers.selectors.may_see_papers has said the user may see them.
"""

import hashlib
import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from audit.decorators import audit_subject, audited
from audit.models import AuditEvent
from mappa.access import EVERYONE, SECRETARIAT, allow
from mappa.pdf import PDF_CONTENT_TYPE
from mappa.submissions import submitted_once
from meetings.documents import stored_pdf
from meetings.models import Meeting, StoredDocument
from meetings.services.documents import keep_document
from papers import selectors, services
from papers.forms import PaperReplaceForm, PaperUploadForm, PublicationForm
from papers.pack import agenda_pack_pdf, pack_filename

logger = logging.getLogger(__name__)

read_or_post = require_http_methods(["GET", "HEAD", "POST"])


def _papers_on_meeting_page(meeting_pk, item_pk):
    return reverse("meetings:detail", kwargs={"pk": meeting_pk}) + f"#papers-{item_pk}"


@allow(read=SECRETARIAT, write=SECRETARIAT)
@read_or_post
@submitted_once
def paper_upload(request, pk, item_pk):
    """Add a paper to an agenda item."""
    target = selectors.item_in_meeting(pk, item_pk)
    form = PaperUploadForm(request.POST, request.FILES) if request.method == "POST" else PaperUploadForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        paper = services.add_paper(
            target.item,
            by=request.user,
            title=data["title"],
            upload=data["file"],
            not_for_publication=data["not_for_publication"],
        )
        messages.success(request, f"Paper added to item {target.number}: {paper.title}.")
        return redirect(_papers_on_meeting_page(pk, item_pk))
    return render(request, "papers/paper_upload.html", {"form": form, "target": target})


@allow(read=SECRETARIAT, write=SECRETARIAT)
@read_or_post
@submitted_once
def paper_replace(request, pk, paper_pk):
    """Upload a new version of a paper; the earlier versions are kept."""
    paper = selectors.paper_in_meeting(pk, paper_pk, request.user)
    form = PaperReplaceForm(request.POST, request.FILES) if request.method == "POST" else PaperReplaceForm()
    if request.method == "POST" and form.is_valid():
        version = services.replace_paper(paper, by=request.user, upload=form.cleaned_data["file"])
        messages.success(request, f"{paper.title}: version {version.number} uploaded. Earlier versions are kept.")
        return redirect(_papers_on_meeting_page(pk, paper.agenda_item_id))
    return render(
        request,
        "papers/paper_replace.html",
        {
            "form": form,
            "paper": paper,
            "meeting": paper.agenda_item.meeting,
            "number": selectors.item_number(paper.agenda_item),
        },
    )


@allow(read=SECRETARIAT, write=SECRETARIAT)
@read_or_post
def paper_publication(request, pk, paper_pk):
    """Mark a paper not for publication, or allow it again (POST); GET shows the meeting page."""
    paper = selectors.paper_in_meeting(pk, paper_pk, request.user)
    if request.method != "POST":
        return redirect(_papers_on_meeting_page(pk, paper.agenda_item_id))
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{paper.title}: choose whether it is for publication.")
    else:
        services.set_publication(paper, by=request.user, not_for_publication=form.cleaned_data["not_for_publication"])
        messages.success(
            request, f"{paper.title}: " + ("not for publication." if paper.not_for_publication else "may be published.")
        )
    return redirect(_papers_on_meeting_page(pk, paper.agenda_item_id))


def _send(version):
    """The version's file as an attachment, named as it was uploaded, with the content type found on upload."""
    try:
        file = version.file.open("rb")
    except FileNotFoundError:
        logger.error("The file of paper version %s (%s) is missing from MEDIA_ROOT", version.pk, version.file.name)
        raise Http404("No such paper") from None
    response = FileResponse(
        file, as_attachment=True, filename=version.original_filename, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def _audit_paper(request, paper, version):
    """Name the paper and the version downloaded on the audit log's line; the format is the file's own."""
    extension = version.original_filename.rpartition(".")[2].lower() if "." in version.original_filename else ""
    audit_subject(request, paper, format=extension, version=version.number, filename=version.original_filename)


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD)
def paper_download(request, pk, paper_pk):
    """The paper's current version."""
    paper = selectors.paper_in_meeting(pk, paper_pk, request.user)
    version = selectors.version_of(paper)
    response = _send(version)
    _audit_paper(request, paper, version)
    return response


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD)
def paper_version_download(request, pk, paper_pk, number):
    """One version of the paper, current or earlier."""
    paper = selectors.paper_in_meeting(pk, paper_pk, request.user)
    version = selectors.version_of(paper, number)
    response = _send(version)
    _audit_paper(request, paper, version)
    return response


@allow(read=EVERYONE)
@audited(AuditEvent.Kind.DOWNLOAD, format="pdf")
def agenda_pack(request, pk):
    """The agenda pack: contents, agenda, then every PDF paper in agenda order."""
    pack = selectors.agenda_pack(pk, request.user)
    meeting = pack.meeting
    audit_subject(request, meeting, document="agenda pack")
    # A held meeting's agenda can no longer change: its pack is kept from the first download for as long
    # as its papers are those it was made from (a replaced or retitled paper makes a new pack).
    held = meeting.status in Meeting.statuses_from(Meeting.Status.HELD)
    source = _made_from(pack)
    content = stored_pdf(meeting, StoredDocument.Kind.PACK, source=source) if held else None
    if content is None:
        content = agenda_pack_pdf(pack)
        if held:
            keep_document(meeting, kind=StoredDocument.Kind.PACK, content=content, source=source)
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pack_filename(pack.meeting)}"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def _made_from(pack):
    """A digest of what the pack shows of its papers: each one's current version, title, place and marking."""
    papers = "\n".join(
        f"{entry.number}:{entry.paper.pk}:{entry.paper.position}:{entry.version.pk}:"
        f"{entry.paper.not_for_publication}:{entry.paper.title}"
        for entry in pack.entries
    )
    return hashlib.sha256(papers.encode()).hexdigest()
