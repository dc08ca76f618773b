"""The demo's released pack reads like the seed release: the 2017 NSG meetings, every name blacked out,
organisation names kept; and it holds what a release must: no name, e-mail address or telephone number
from the people register left in its text, and a schedule true to its pages."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from disclosure.models import DisclosureRequest, Proposal
from mappa.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def released(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            request = DisclosureRequest.objects.get(reference="FOI/201800017")
            pack = request.packs.get()
            data = pack.pdf.read()
            people = list(Person.objects.values_list("name", "email"))
            accepted = request.proposals.filter(decision=Proposal.Decision.ACCEPTED).count()
            yield {"request": request, "pack": pack, "pdf": data, "people": people, "accepted": accepted}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pdftotext_pages(data):
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return text.decode().split("\f")


def test_the_demo_request_is_released_by_two_people_and_on_the_log(released):
    request, pack = released["request"], released["pack"]
    assert request.wording == "NSG agendas, minutes and papers, 1 January 2017 to 31 December 2017"
    assert request.status == DisclosureRequest.Status.RELEASED
    assert pack.approved_by != pack.reviewed_by
    assert pack.published_at is not None


def test_no_name_address_or_number_of_the_register_is_left_in_the_pack(released):
    pypdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(released["pdf"])).pages)
    poppler_text = "\n".join(pdftotext_pages(released["pdf"]))
    for text in (pypdf_text, poppler_text):
        flat = " ".join(text.split())
        for name, email in released["people"]:
            assert name not in flat, name
            assert email not in flat, email
            surname = name.split()[-1]
            assert not re.search(rf"\b(Mr|Mrs|Ms|Miss|Dr) {re.escape(surname)}\b", flat), surname
        assert not re.search(r"0131 ?496 ?\d{4}|07700 ?900 ?\d{3}", flat)
        # Organisation names are kept, as in the seed release.
        assert "Police Scotland" in flat
        assert "Risk Management Authority" in flat or "RMA" in flat


def test_the_schedule_is_true_to_the_pages(released):
    pack = released["pack"]
    reader = PdfReader(io.BytesIO(released["pdf"]))
    pages = pdftotext_pages(released["pdf"])
    scheduled = {}
    for row in pack.schedule:
        scheduled[row["pack_page"]] = scheduled.get(row["pack_page"], 0) + row["count"]
    assert sum(scheduled.values()) == released["accepted"]
    for number in range(1, len(reader.pages) + 1):
        blocks = len(re.findall("\u2588+", pages[number - 1]))
        burned = not pages[number - 1].strip().replace(f"FOI/201800017 · Page {number} of {len(reader.pages)}", "")
        if number in scheduled:
            # Each redaction on a rendered page is a block of its own (one per line it spans); a paper's page
            # with redactions is burned in: a picture, no text left but the pack's stamp.
            assert blocks >= scheduled[number] or burned, f"page {number}: {blocks} blocks for {scheduled[number]}"
        else:
            assert blocks == 0, f"page {number} has blocks but no line in the schedule"
