"""How long the minute PDF and the agenda pack take beside the meeting's HTML page, for a long meeting.

    .venv/bin/python scripts/benchmark_documents.py [--runs N]

Builds, in a throwaway test database (in-memory SQLite unless DATABASE_URL says
otherwise), an NSG meeting with 30 agenda items (20 items, 10 sub-items), 12
attendees, 60 actions and a 2-page PDF paper on each of 10 items (stored in a
temporary media folder), then fetches /meetings/<pk>/minutes.pdf,
/meetings/<pk>/pack.pdf and the meeting page /meetings/<pk>/ N times each (10 by
default) through Django's test client, signed in as an NSG member. Prints the
median times and their ratios to the page; it asserts nothing about time.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"


def timed(client, url, runs):
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
    return seconds, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="requests per document (default 10)")
    runs = parser.parse_args().runs

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from pypdf import PdfReader, PdfWriter

    def two_page_pdf():
        writer = PdfWriter()
        for _ in range(2):
            writer.add_blank_page(width=595, height=842)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()

    media = tempfile.TemporaryDirectory(prefix="bench-media-")
    settings.MEDIA_ROOT = media.name
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from mappa.models import Person
        from tests.factories import user_with_role
        from tests.meetings.test_documents import meeting_of_size

        secretariat = user_with_role(Person.AccessRole.SECRETARIAT, username="bench-secretariat")
        member = user_with_role(Person.AccessRole.NSG_MEMBER, username="bench-member")
        meeting = meeting_of_size(top_items=20, sub_items=10, actions=60, by=secretariat)
        from papers import services as paper_services

        for number, item in enumerate(meeting.agenda_items.order_by("position")[:10], start=1):
            paper_services.add_paper(
                item,
                by=secretariat,
                title=f"Paper {number}",
                upload=SimpleUploadedFile(f"paper-{number}.pdf", two_page_pdf(), content_type="application/pdf"),
            )
        client = Client()
        client.force_login(member)

        pdf_url, page_url = f"/meetings/{meeting.pk}/minutes.pdf", f"/meetings/{meeting.pk}/"
        pack_url = f"/meetings/{meeting.pk}/pack.pdf"
        cold_pdf, _ = timed(client, pdf_url, 1)  # the first render also loads fonts
        timed(client, page_url, 1)
        timed(client, pack_url, 1)
        pdf_times, pdf_response = timed(client, pdf_url, runs)
        pack_times, pack_response = timed(client, pack_url, runs)
        page_times, _ = timed(client, page_url, runs)

        pages = len(PdfReader(io.BytesIO(pdf_response.content)).pages)
        pdf_median, page_median = statistics.median(pdf_times), statistics.median(page_times)
        print(
            f"Meeting: {meeting.agenda_items.count()} agenda items, {meeting.actions.count()} actions, "
            f"{meeting.attendance.count()} attendees; database: {connection.vendor}; runs: {runs}"
        )
        print(
            f"minutes.pdf      median {pdf_median * 1000:8.1f} ms  (min {min(pdf_times) * 1000:.1f}, "
            f"max {max(pdf_times) * 1000:.1f}; first render {cold_pdf[0] * 1000:.1f} ms; "
            f"{pages} pages, {len(pdf_response.content) / 1024:.0f} KiB)"
        )
        pack_median = statistics.median(pack_times)
        pack_pages = len(PdfReader(io.BytesIO(pack_response.content)).pages)
        print(
            f"pack.pdf         median {pack_median * 1000:8.1f} ms  (min {min(pack_times) * 1000:.1f}, "
            f"max {max(pack_times) * 1000:.1f}; {pack_pages} pages, {len(pack_response.content) / 1024:.0f} KiB)"
        )
        print(
            f"meeting page     median {page_median * 1000:8.1f} ms  (min {min(page_times) * 1000:.1f}, "
            f"max {max(page_times) * 1000:.1f})"
        )
        print(f"ratio minutes.pdf/page {pdf_median / page_median:8.1f}x")
        print(f"ratio pack.pdf/page    {pack_median / page_median:8.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        media.cleanup()


if __name__ == "__main__":
    main()
