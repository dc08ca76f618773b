"""The demo's papers and its freedom-of-information request, answered as the seed release was.

The seed documents (../shared/seeds) are themselves a release under FOISA: the NSG's 2017
minutes, agendas and papers with officials' names blacked out. The demo holds that request,
FOI/201800017 "NSG agendas, minutes and papers, 1 January 2017 to 31 December 2017", reviewed
by the secretariat (every name, address and number found is redacted under section 38(1)(b),
organisation names kept), approved by a second person (the administrator) and published to
the disclosure log.

Two of the May 2017 meeting's papers are uploaded as PDFs drawn here (an author named in the
text and in the file's metadata, as real papers have); a third, marked "not for publication",
is left out of the release.
"""

import time
from datetime import date

import weasyprint
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from disclosure import work
from disclosure.finding import Kind
from disclosure.models import DisclosureRequest, DocumentKind, Exemption, Proposal
from disclosure.selectors import default_exemption
from disclosure.services import jobs, release, requests, review
from meetings.models import AgendaItem
from papers.models import Paper
from papers.services import add_paper

REFERENCE = "FOI/201800017"
WORDING = "NSG agendas, minutes and papers, 1 January 2017 to 31 December 2017"


def _pdf(title, paragraphs, author):
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    html = f"<html><head><title>{title}</title><meta name=author content='{author}'></head><body><h1>{title}</h1>{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def _item(meeting, number):
    """The agenda item numbered ``number`` ("5.1") of the meeting."""
    top, _, sub = number.partition(".")
    item = AgendaItem.objects.get(meeting=meeting, parent=None, position=int(top))
    return AgendaItem.objects.get(meeting=meeting, parent=item, position=int(sub)) if sub else item


def _paper(item, title, data, *, by, not_for_publication=False):
    if Paper.objects.filter(agenda_item=item, title=title).exists():
        return
    upload = SimpleUploadedFile(f"{title[:40]}.pdf", data, content_type="application/pdf")
    add_paper(item, by=by, title=title, upload=upload, not_for_publication=not_for_publication)


def seed_papers(world):
    """Papers 5.1 and 5.2 of the May 2017 meeting, and a restricted annex not for publication."""
    secretariat = get_user_model().objects.get(username="secretariat")
    may = world.meetings["2017-05-31"]
    forensic, rma, secretariat_person = (world.people[k] for k in ("forensic", "member-rma", "secretariat"))
    _paper(
        _item(may, "5.1"),
        "Paper 5.1: Child abuse image offenders and risk",
        _pdf(
            "Child abuse image offenders and risk",
            [
                f"Paper by {forensic.name}, {forensic.job_title}, NHS Forensic Network, for the NSG meeting of "
                "31 May 2017.",
                "The paper summarises current research on the risk posed by people convicted of offences involving "
                "indecent images of children, and what it means for MAPPA risk assessment.",
                f"Comments to {forensic.name} ({forensic.email}) by 14 June 2017.",
            ],
            forensic.name,
        ),
        by=secretariat,
    )
    _paper(
        _item(may, "5.2"),
        "Paper 5.2: RMA research and implementation plan",
        _pdf(
            "Risk assessment of internet offenders: research and implementation plan",
            [
                f"Prepared by {rma.name} (RMA) for the National Strategic Group.",
                "The RMA will commission a review of the evidence on risk assessment tools for internet offenders, "
                "recruit a research lead, and report to the NSG in November 2017.",
                f"Contact: {secretariat_person.name}, NSG secretariat, {secretariat_person.email}.",
            ],
            rma.name,
        ),
        by=secretariat,
    )
    _paper(
        _item(may, "5.2"),
        "Paper 5.2, annex: draft job description (restricted)",
        _pdf("Research lead: draft job description", ["Grade, salary band and interview panel."], rma.name),
        by=secretariat,
        not_for_publication=True,
    )


def seed_disclosure(world):
    """The 2017 request, reviewed, approved and published; left as it is if already released."""
    if DisclosureRequest.objects.filter(reference=REFERENCE).exists():
        return
    User = get_user_model()
    secretariat, administrator = User.objects.get(username="secretariat"), User.objects.get(username="admin")
    with transaction.atomic():
        request = requests.log_request(
            by=secretariat,
            reference=REFERENCE,
            received_on=date(2018, 1, 15),
            wording=WORDING,
            requester="A member of the public",
            handler=secretariat,
        )
        requests.set_scope(
            request=request,
            by=secretariat,
            bodies=[world.bodies["nsg"]],
            scope_from=date(2017, 1, 1),
            scope_to=date(2017, 12, 31),
            kinds=[DocumentKind.AGENDAS, DocumentKind.MINUTES, DocumentKind.PAPERS],
            keep_organisation_names=True,
            keep_chairs=False,
            kept_people=[],
        )
    # The short list comes with a data migration; a test database flushed between tests has lost it.
    Exemption.objects.get_or_create(section="s.38(1)(b)", defaults={"title": "Personal data", "is_default": True})
    _run(jobs.start_finding(request=request, by=secretariat))
    exemption = default_exemption()
    for term, kind in set(request.proposals.values_list("term", "kind")):
        # The postcodes found are of the meetings' venues (St Andrew's House): an office address is kept.
        decision = Proposal.Decision.REJECTED if kind == Kind.POSTCODE else Proposal.Decision.ACCEPTED
        review.decide_term(request=request, by=secretariat, term=term, decision=decision, exemption=exemption)
    _run(jobs.start_building(request=request, by=secretariat))
    pack = request.packs.get()
    release.approve(pack=pack, by=administrator)
    release.publish(pack=pack, by=administrator)


def _run(job, timeout=600):
    """Run the job here and now, unless a worker took it first (then wait for it to finish)."""
    work.run_job(job.pk)
    deadline = time.monotonic() + timeout
    job.refresh_from_db()
    while job.is_active and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()
    if job.status != job.Status.DONE:
        raise RuntimeError(f"The demo's disclosure job did not finish: {job.message}")
