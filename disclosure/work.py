"""What a disclosure job does once a worker runs it (disclosure.tasks.run_job): find the personal data in the
documents in scope, or build the pack from the decisions made.

``run_job`` marks the job running, reports each document done, stops at the next document if
cancellation was asked (and checks again before it writes), and records the outcome in plain words.

Finding replaces the request's proposals, keeping every decision already made on the same
words in the same document. Building redacts each document from the accepted proposals
and makes the pack a new version; it refuses if the documents or the rules have changed
since the proposals were found, since redacting by position in a changed document could
leave a name in.
"""

import logging
from collections import Counter, defaultdict
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from disclosure import selectors
from disclosure.documents import rendered, uploaded
from disclosure.documents.scope import documents_in_scope
from disclosure.models import DisclosureRequest, Job, Pack, Proposal
from disclosure.pack import PackDocument, PackError, Redacted, build_pack

logger = logging.getLogger(__name__)

Decision = Proposal.Decision


class JobCancelled(Exception):
    """The job's page asked it to stop."""


class JobFailed(Exception):
    """The job cannot finish; its message says why, in plain words."""


def finish(job_id, status, message=""):
    """Record how a job ended (a job already ended, e.g. cancelled, keeps its ending)."""
    Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
        status=status, message=message, finished_at=timezone.now()
    )


def _progress(job_id, done, total):
    """Record progress, and stop if the page asked to cancel."""
    Job.objects.filter(pk=job_id).update(done=done, total=total)
    _stop_if_cancelled(job_id)


def _stop_if_cancelled(job_id):
    if Job.objects.filter(pk=job_id, cancel_asked=True).exists():
        raise JobCancelled


def run_job(job_id):
    """Run a queued job to its end (the Celery task's body); a job already finished is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, cancel_asked=False).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return
    job = Job.objects.select_related("request", "started_by").get(pk=job_id)
    progress = partial(_progress, job_id)
    try:
        if job.kind == Job.Kind.FIND:
            message = _find(job, progress)
        else:
            message = _build(job, progress)
    except JobCancelled:
        finish(job_id, Job.Status.CANCELLED, "Cancelled: nothing was changed.")
    except JobFailed as failure:
        finish(job_id, Job.Status.FAILED, str(failure))
    except Exception:
        logger.exception("Disclosure job %s failed", job_id)
        finish(job_id, Job.Status.FAILED, "Something went wrong on the server: nothing was changed. Try again.")
    else:
        finish(job_id, Job.Status.DONE, message)


def _find(job, progress):
    request = job.request
    documents = documents_in_scope(request)
    finder = selectors.finder_for(request)
    exemption = selectors.default_exemption()
    found, notes = [], []
    for done, document in enumerate(documents):
        progress(done, len(documents))
        if document.html is not None:
            for occurrence in rendered.find(document.html(), finder):
                found.append(_proposal(request, document, occurrence.index, occurrence, [], exemption))
            continue
        try:
            pdf = uploaded.paper_pdf(document.version)
            occurrences = uploaded.find(pdf, finder)
            if not uploaded.has_text(pdf):
                notes.append(f"{document.title} has no text to read (a scanned paper?): check it by eye.")
        except uploaded.PaperUnusable as problem:
            raise JobFailed(f"{document.title}: {problem}") from problem
        for index, occurrence in enumerate(occurrences):
            boxes = [list(box) for box in occurrence.boxes]
            found.append(_proposal(request, document, index, occurrence, boxes, exemption))
    progress(len(documents), len(documents))
    with transaction.atomic():
        _stop_if_cancelled(job.pk)
        _replace_proposals(request, found)
        request.found_for = selectors.fingerprint(request, documents)
        request.found_at = timezone.now()
        request.save(update_fields=["found_for", "found_at"])
    return " ".join([f"{len(found)} possible redaction{'s' if len(found) != 1 else ''} found.", *notes])


def _proposal(request, document, index, occurrence, boxes, exemption):
    """A Proposal of an occurrence found in a document (rendered.Occurrence or pdf_text.PdfOccurrence)."""
    found = occurrence.found
    return Proposal(
        request=request,
        document=document.key,
        document_title=document.title[:300],
        occurrence=index,
        page=occurrence.page,
        text=found.text[:300],
        kind=found.kind,
        term=found.term[:300],
        context=occurrence.context,
        boxes=boxes,
        exemption=exemption,
    )


def _same_words_key(proposals):
    """(document, term, text, n): the n-th time these words stand in the document — what a decision is about."""
    seen = Counter()
    for proposal in proposals:
        key = (proposal.document, proposal.term, proposal.text)
        yield (*key, seen[key]), proposal
        seen[key] += 1


def _replace_proposals(request, found):
    earlier_proposals = request.proposals.order_by("document", "occurrence")
    decided = {
        key: proposal for key, proposal in _same_words_key(earlier_proposals) if proposal.decision != Decision.PROPOSED
    }
    for key, proposal in _same_words_key(found):
        earlier = decided.get(key)
        if earlier is not None:
            proposal.decision, proposal.exemption_id = earlier.decision, earlier.exemption_id
            proposal.decided_by_id, proposal.decided_at = earlier.decided_by_id, earlier.decided_at
    request.proposals.all().delete()
    Proposal.objects.bulk_create(found, batch_size=500)


def _build(job, progress):
    request = job.request
    documents = documents_in_scope(request)
    if selectors.fingerprint(request, documents) != request.found_for:
        raise JobFailed(
            "The scope, the added terms or the names kept have changed since personal data was found: "
            "find it again, then build."
        )
    finder = selectors.finder_for(request)
    by_document = defaultdict(list)
    for proposal in request.proposals.select_related("exemption").order_by("occurrence"):
        by_document[proposal.document].append(proposal)
    parts = []
    total = 2 * len(documents) + 1  # redact each, put each in the pack, write it
    for done, document in enumerate(documents):
        progress(done, total)
        proposals = by_document.get(document.key, [])
        accepted = [proposal for proposal in proposals if proposal.decision == Decision.ACCEPTED]
        try:
            if document.html is not None:
                redacted = rendered.redact(
                    document.html(),
                    finder,
                    seen={proposal.occurrence: proposal.text for proposal in proposals},
                    accepted=[proposal.occurrence for proposal in accepted],
                )
                pdf, pages = redacted.pdf, redacted.pages
            else:
                pdf = uploaded.redact(uploaded.paper_pdf(document.version), accepted)
                pages = {proposal.occurrence: proposal.page for proposal in accepted}
        except rendered.DocumentChanged as change:
            raise JobFailed(
                f"{document.title} has changed since personal data was found ({change}): find it again."
            ) from change
        except uploaded.PaperUnusable as problem:
            raise JobFailed(f"{document.title}: {problem}") from problem
        counts = Counter((pages[proposal.occurrence], str(proposal.exemption)) for proposal in accepted)
        parts.append(
            PackDocument(
                title=document.title,
                date=document.date,
                kind=document.kind,
                filename=document.filename,
                pdf=pdf,
                redactions=[
                    Redacted(page=page, exemption=exemption, count=count)
                    for (page, exemption), count in sorted(counts.items())
                ],
                note=document.note,
            )
        )
    try:
        built = build_pack(
            reference=request.reference,
            request_title=request.wording,
            produced_on=timezone.localdate(),
            documents=parts,
            progress=lambda done, _total: progress(len(documents) + done, total),
        )
    except PackError as problem:
        raise JobFailed(f"The pack could not be put together: {problem}") from problem
    with transaction.atomic():
        _stop_if_cancelled(job.pk)
        request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
        version = (request.packs.aggregate(last=Max("version"))["last"] or 0) + 1
        pack = Pack(
            request=request,
            version=version,
            page_count=built.page_count,
            document_count=len(parts),
            redaction_count=sum(row.count for row in built.schedule),
            schedule=[
                {
                    "document": row.document,
                    "date": row.date.isoformat(),
                    "document_page": row.document_page,
                    "pack_page": row.pack_page,
                    "exemption": row.exemption,
                    "count": row.count,
                }
                for row in built.schedule
            ],
            reviewed_by=job.started_by,
        )
        name = f"{slugify(request.reference)}-pack-v{version}"
        pack.pdf.save(f"{name}.pdf", ContentFile(built.pdf), save=False)
        pack.zip.save(f"{name}.zip", ContentFile(built.zip), save=False)
        pack.save()
        request.status = DisclosureRequest.Status.IN_REVIEW
        request.save(update_fields=["status"])
    return f"Pack version {version} built: {built.page_count} pages, {pack.redaction_count} redactions."
